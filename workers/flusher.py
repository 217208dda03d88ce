"""Drains the ingest stream into immutable shards and PostgreSQL rows.

For each batch: concatenate the records into one shard object (PUT, atomic), insert every
row in one transaction (ON CONFLICT DO NOTHING), then acknowledge and delete the entries.
A crash anywhere replays the batch: the shard is written again under a new key and the rows
already inserted are skipped, so each drawing is stored exactly once in PostgreSQL; an
orphaned shard copy wastes bytes, never correctness.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass

import redis.asyncio as aioredis

from store import keys
from store.drawings import PlayerTotals, insert_shard_rows
from store.ingest import Entry, IngestLog
from store.records import CorruptRecord, StoredDrawing, decode_record
from store.services import Services

log = logging.getLogger("drawstream.flusher")

# A flusher that read entries and has not acknowledged them in this long is presumed dead.
_STALE_MS = 30_000
_MAX_BACKOFF_S = 10.0


@dataclass(frozen=True, slots=True)
class FlushResult:
    shard_key: str
    drawings: int
    bytes: int
    seconds: float
    oldest_lag_ms: int


def shard_key_for(entries: list[Entry], consumer: str) -> str:
    first = entries[0]
    day = time.strftime("%Y/%m/%d", time.gmtime(first.appended_at_ms / 1000))
    return f"shards/{day}/{first.entry_id}-{consumer}-{uuid.uuid4().hex[:8]}.dsh"


async def _player_totals(r: aioredis.Redis, records: list[StoredDrawing]) -> list[PlayerTotals]:
    users = sorted({s.user_id for s in records})
    async with r.pipeline(transaction=False) as p:
        for u in users:
            p.hmget(keys.user(u), "nick", "total", "best")
        rows = await p.execute()
    return [
        PlayerTotals(u, (nick or b"player").decode(), int(total or 0), int(best or 0))
        for u, (nick, total, best) in zip(users, rows, strict=True)
    ]


class Flusher:
    def __init__(self, services: Services, consumer: str, batch_size: int, block_ms: int) -> None:
        self._svc = services
        self._log = IngestLog(services.redis)
        self._consumer = consumer
        self._batch = batch_size
        self._block_ms = block_ms

    async def _quarantine(self, entry: Entry, exc: CorruptRecord) -> None:
        """A record that does not decode can never be stored; keep it aside for a human."""
        log.error("corrupt record %s moved to %s: %s", entry.entry_id, keys.INGEST_DEAD_LETTER, exc)
        await self._svc.redis.xadd(keys.INGEST_DEAD_LETTER, {"r": entry.record, "error": str(exc)})
        await self._log.done([entry.entry_id])

    async def flush(self, entries: list[Entry]) -> FlushResult | None:
        started = time.perf_counter()
        good: list[tuple[Entry, StoredDrawing]] = []
        for e in entries:
            try:
                good.append((e, decode_record(e.record)))
            except CorruptRecord as exc:
                await self._quarantine(e, exc)
        if not good:
            return None
        batch = [e for e, _ in good]
        key = shard_key_for(batch, self._consumer)
        rows: list[tuple[int, int, StoredDrawing]] = []
        offset = 0
        for e, rec in good:
            rows.append((offset, len(e.record), rec))
            offset += len(e.record)
        await self._svc.objects.put(key, b"".join(e.record for e in batch))
        players = await _player_totals(self._svc.redis, [r for _, r in good])
        async with self._svc.pool.acquire() as conn:
            await insert_shard_rows(conn, key, rows, players)
        await self._log.done([e.entry_id for e in batch])
        now_ms = int(time.time() * 1000)
        result = FlushResult(
            key,
            len(batch),
            offset,
            time.perf_counter() - started,
            now_ms - min(e.appended_at_ms for e in batch),
        )
        async with self._svc.redis.pipeline(transaction=False) as p:
            p.hincrby(keys.FLUSHER_STATS, "batches", 1)
            p.hincrby(keys.FLUSHER_STATS, "drawings", result.drawings)
            p.hincrby(keys.FLUSHER_STATS, "bytes", result.bytes)
            p.hset(
                keys.FLUSHER_STATS,
                mapping={
                    "last_batch": result.drawings,
                    "last_seconds": f"{result.seconds:.6f}",
                    "last_lag_ms": result.oldest_lag_ms,
                    "at_ms": now_ms,
                },
            )
            await p.execute()
        return result

    async def _next_batch(self, check_stale: bool) -> list[Entry]:
        if check_stale:
            stale = await self._log.claim_stale(self._consumer, _STALE_MS, self._batch)
            if stale:
                log.warning("claimed %d entries left by a dead flusher", len(stale))
                return stale
        return await self._log.read(self._consumer, self._batch, self._block_ms)

    async def drain(self) -> int:
        """Flush until the stream has nothing new for this consumer."""
        await self._log.ensure_group()
        total = 0
        while batch := await self._log.read(self._consumer, self._batch, 1):
            result = await self.flush(batch)
            total += result.drawings if result else 0
        return total

    async def run(self) -> None:
        await self._log.ensure_group()
        backoff = 0.1
        last_stale_check = 0.0
        pending: list[Entry] = []
        while True:
            try:
                if not pending:
                    now = time.monotonic()
                    check = now - last_stale_check > _STALE_MS / 1000 / 2
                    if check:
                        last_stale_check = now
                    pending = await self._next_batch(check)
                if pending:
                    await self.flush(pending)
                    pending = []
                backoff = 0.1
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # storage down: keep the batch, retry with backoff
                log.error(
                    "flush failed (%s: %s); retrying in %.1fs", type(exc).__name__, exc, backoff
                )
                await asyncio.sleep(backoff)
                backoff = min(_MAX_BACKOFF_S, backoff * 2)
