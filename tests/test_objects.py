"""Both object stores behind one protocol: local disk and a real S3 HTTP endpoint (moto)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from store.objects import (
    LocalObjectStore,
    ObjectNotFound,
    ObjectStore,
    ObjectStoreError,
    S3ObjectStore,
)
from tests.services import S3Endpoint


@pytest.fixture(params=["local", "s3"])
async def objects(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStore]:
    store: ObjectStore
    if request.param == "local":
        store = LocalObjectStore(tmp_path / "objects")
    else:
        endpoint: S3Endpoint = request.getfixturevalue("s3_endpoint")
        store = S3ObjectStore(endpoint.settings)
    await store.connect()
    yield store
    await store.close()


async def test_put_get_range_delete(objects: ObjectStore) -> None:
    key = f"shards/2026/11/24/{uuid.uuid4().hex}.dsh"
    data = bytes(range(256)) * 40
    await objects.put(key, data)
    assert await objects.get(key) == data
    assert await objects.get_range(key, 1000, 24) == data[1000:1024]
    with pytest.raises(ObjectStoreError):
        await objects.get_range(key, len(data) - 4, 8)
    await objects.ping()
    await objects.delete(key)
    with pytest.raises(ObjectNotFound):
        await objects.get(key)


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "a//b", "./x"])
async def test_unsafe_keys_are_refused(objects: ObjectStore, key: str) -> None:
    with pytest.raises(ObjectStoreError):
        await objects.put(key, b"x")


async def test_local_writes_leave_no_temp_files(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    await store.connect()
    await store.put("a/b.bin", b"1")
    await store.put("a/b.bin", b"2")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b.bin"]
    assert await store.get("a/b.bin") == b"2"


async def test_unreachable_s3_is_a_typed_error() -> None:
    from store.objects import S3Settings

    store = S3ObjectStore(S3Settings("127.0.0.1:9", "key", "secret", "bucket", False, "us-east-1"))
    with pytest.raises(ObjectStoreError):
        await store.ping()
