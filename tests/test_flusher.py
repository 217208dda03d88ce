"""The flusher: shards + rows exactly once, replays, corrupt records, S3 as the store."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest

from game.identity import nickname, user_id_for
from server.export import export_ndjson
from store import keys, services
from store.ingest import Appended, IngestLog
from store.live import LiveState, SessionInfo
from store.records import StoredDrawing, encode_record
from store.settings import Settings
from tests.fixtures import circle_drawing
from tests.services import S3Endpoint
from workers.flusher import Flusher


async def _append(svc: services.Services, n: int) -> list[str]:
    log = IngestLog(svc.redis)
    uid = user_id_for("client-flush")
    await LiveState(svc.redis).open_session(
        SessionInfo("sess-flush", str(uid), nickname(uid), "mouse", 1)
    )
    ids = []
    for i in range(n):
        rec = StoredDrawing(
            f"00000000-0000-4000-8000-{i:012d}",
            "sess-flush",
            str(uid),
            1_700_000_000_000,
            0.7,
            circle_drawing(seed=i),
        )
        result = await log.append(rec.id, encode_record(rec), b"s", "sess-flush", "a", 10**6, 10**6)
        assert isinstance(result, Appended)
        ids.append(rec.id)
    return ids


async def _count(svc: services.Services) -> int:
    return int(await svc.pool.fetchval("SELECT count(*) FROM drawings"))


async def test_batch_becomes_one_shard_and_rows(svc: services.Services) -> None:
    ids = await _append(svc, 25)
    f = Flusher(svc, "t1", batch_size=10, block_ms=10)
    assert await f.drain() == 25
    assert await _count(svc) == 25
    shards = await svc.pool.fetch("SELECT DISTINCT shard_key FROM drawings")
    assert len(shards) == 3
    assert await svc.redis.xlen(keys.INGEST_STREAM) == 0
    user = await svc.pool.fetchrow("SELECT nickname FROM users")
    assert user is not None and user["nickname"] == nickname(user_id_for("client-flush"))
    assert {str(r[0]) for r in await svc.pool.fetch("SELECT id FROM drawings")} == set(ids)


async def test_replayed_batch_after_a_crash_stores_each_drawing_once(
    svc: services.Services,
) -> None:
    await _append(svc, 5)
    log = IngestLog(svc.redis)
    await log.ensure_group()
    entries = await log.read("dead", 100, 10)
    f = Flusher(svc, "t2", batch_size=100, block_ms=10)
    # The dead flusher stored everything but died before acknowledging: replay it.
    result = await f.flush(entries)
    assert result is not None and result.drawings == 5
    await svc.redis.xadd(keys.INGEST_STREAM, {"r": entries[0].record})
    assert await f.drain() == 1
    assert await _count(svc) == 5


async def test_entries_of_a_dead_flusher_are_claimed(svc: services.Services) -> None:
    await _append(svc, 3)
    log = IngestLog(svc.redis)
    await log.ensure_group()
    assert len(await log.read("dead", 100, 10)) == 3
    claimed = await log.claim_stale("alive", 0, 100)
    assert len(claimed) == 3
    await Flusher(svc, "alive", 100, 10).flush(claimed)
    assert await _count(svc) == 3


async def test_corrupt_record_is_quarantined_not_lost(svc: services.Services) -> None:
    await _append(svc, 2)
    await svc.redis.xadd(keys.INGEST_STREAM, {"r": b"\xc1garbage"})
    assert await Flusher(svc, "t3", 100, 10).drain() == 2
    assert await svc.redis.xlen(keys.INGEST_DEAD_LETTER) == 1
    assert await svc.redis.xlen(keys.INGEST_STREAM) == 0


@pytest.fixture
async def s3_svc(settings: Settings, s3_endpoint: S3Endpoint) -> services.Services:
    return await services.connect(dataclasses.replace(settings, s3=s3_endpoint.settings))


async def test_flush_and_export_through_s3(
    s3_svc: services.Services, settings: Settings, s3_endpoint: S3Endpoint
) -> None:
    try:
        ids = await _append(s3_svc, 4)
        assert await Flusher(s3_svc, "t4", 100, 10).drain() == 4
        out = io.StringIO()
        assert await export_ndjson(dataclasses.replace(settings, s3=s3_endpoint.settings), out) == 4
        exported = [json.loads(line) for line in out.getvalue().splitlines()]
        assert sorted(r["key_id"] for r in exported) == sorted(ids)
    finally:
        await s3_svc.close()
