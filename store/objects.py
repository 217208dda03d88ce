"""Object storage: immutable shards and model artifacts.

Two implementations of one protocol: local disk (the embedded default) and any S3 endpoint
through the minio SDK. Both write whole objects atomically (a reader never sees half a
shard) and serve byte ranges, so one drawing costs one ranged read.
"""

from __future__ import annotations

import asyncio
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import urllib3
from minio import Minio
from minio.error import S3Error
from urllib3.exceptions import HTTPError as Urllib3Error


@dataclass(frozen=True, slots=True)
class S3Settings:
    endpoint: str
    access_key: str
    secret_key: str
    bucket: str
    secure: bool
    region: str | None


class ObjectStoreError(RuntimeError):
    """Raised when the object store cannot be reached or refuses an operation."""


class ObjectNotFound(ObjectStoreError):
    """Raised when a key does not exist."""


class ObjectStore(Protocol):
    async def connect(self) -> None: ...
    async def close(self) -> None: ...
    async def put(self, key: str, data: bytes) -> None: ...
    async def get(self, key: str) -> bytes: ...
    async def get_range(self, key: str, offset: int, length: int) -> bytes: ...
    async def delete(self, key: str) -> None: ...
    async def ping(self) -> None: ...


def _check_key(key: str) -> None:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ObjectStoreError(f"invalid object key {key!r}")


class LocalObjectStore:
    """Objects as files under one directory; writes go through a temp file, fsync, rename."""

    def __init__(self, root: Path) -> None:
        self._root = root

    async def connect(self) -> None:
        await asyncio.to_thread(self._root.mkdir, parents=True, exist_ok=True)

    async def close(self) -> None:
        return None

    def _path(self, key: str) -> Path:
        _check_key(key)
        return self._root / key

    def _put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _read(self, key: str, offset: int, length: int | None) -> bytes:
        try:
            with open(self._path(key), "rb") as fh:
                fh.seek(offset)
                data = fh.read() if length is None else fh.read(length)
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        if length is not None and len(data) != length:
            raise ObjectStoreError(f"{key}: range {offset}+{length} beyond the object")
        return data

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._put, key, data)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._read, key, 0, None)

    async def get_range(self, key: str, offset: int, length: int) -> bytes:
        return await asyncio.to_thread(self._read, key, offset, length)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)

    async def ping(self) -> None:
        if not await asyncio.to_thread(os.access, self._root, os.W_OK):
            raise ObjectStoreError(f"{self._root} is not writable")


class S3ObjectStore:
    """Any S3 endpoint (MinIO in production) through the minio SDK, run off the event loop."""

    def __init__(self, settings: S3Settings) -> None:
        self._s = settings
        self._client = Minio(
            settings.endpoint,
            access_key=settings.access_key,
            secret_key=settings.secret_key,
            secure=settings.secure,
            region=settings.region,
            # Fail fast when the endpoint is down: callers answer 503 and clients retry.
            http_client=urllib3.PoolManager(
                timeout=urllib3.Timeout(connect=2.0, read=30.0),
                retries=urllib3.Retry(
                    total=2, backoff_factor=0.1, status_forcelist=(500, 502, 503, 504)
                ),
                maxsize=16,
            ),
        )

    def _ensure_bucket(self) -> None:
        if not self._client.bucket_exists(self._s.bucket):
            self._client.make_bucket(self._s.bucket)

    def _put(self, key: str, data: bytes) -> None:
        self._client.put_object(self._s.bucket, key, io.BytesIO(data), len(data))

    def _read(self, key: str, offset: int, length: int | None) -> bytes:
        try:
            resp = self._client.get_object(self._s.bucket, key, offset=offset, length=length or 0)
        except S3Error as exc:
            if exc.code == "NoSuchKey":
                raise ObjectNotFound(key) from None
            raise ObjectStoreError(f"{key}: {exc.code}") from exc
        try:
            data = resp.read()
        finally:
            resp.close()
            resp.release_conn()
        if length is not None and len(data) != length:
            raise ObjectStoreError(f"{key}: range {offset}+{length} beyond the object")
        return data

    async def connect(self) -> None:
        try:
            await asyncio.to_thread(self._ensure_bucket)
        except (S3Error, OSError, Urllib3Error) as exc:
            raise ObjectStoreError(f"S3 endpoint {self._s.endpoint}: {exc}") from exc

    async def close(self) -> None:
        return None

    async def put(self, key: str, data: bytes) -> None:
        _check_key(key)
        try:
            await asyncio.to_thread(self._put, key, data)
        except (S3Error, OSError, Urllib3Error) as exc:
            raise ObjectStoreError(f"put {key}: {exc}") from exc

    async def get(self, key: str) -> bytes:
        _check_key(key)
        try:
            return await asyncio.to_thread(self._read, key, 0, None)
        except (OSError, Urllib3Error) as exc:
            raise ObjectStoreError(f"get {key}: {exc}") from exc

    async def get_range(self, key: str, offset: int, length: int) -> bytes:
        _check_key(key)
        try:
            return await asyncio.to_thread(self._read, key, offset, length)
        except (OSError, Urllib3Error) as exc:
            raise ObjectStoreError(f"get {key}: {exc}") from exc

    async def delete(self, key: str) -> None:
        _check_key(key)
        try:
            await asyncio.to_thread(self._client.remove_object, self._s.bucket, key)
        except (S3Error, OSError, Urllib3Error) as exc:
            raise ObjectStoreError(f"delete {key}: {exc}") from exc

    async def ping(self) -> None:
        try:
            await asyncio.to_thread(self._client.bucket_exists, self._s.bucket)
        except (S3Error, OSError, Urllib3Error) as exc:
            raise ObjectStoreError(f"S3 endpoint {self._s.endpoint}: {exc}") from exc


def object_store_for(s3: S3Settings | None, local_root: Path) -> ObjectStore:
    """S3 when configured, local disk under the data directory otherwise."""
    return S3ObjectStore(s3) if s3 is not None else LocalObjectStore(local_root)
