"""The ingest stream: Redis Stream used as the write-ahead log of accepted drawings.

`append` is one Lua script, atomic in Redis: it answers a replayed idempotency key with the
first answer, enforces the per-session and per-address submission rates (a 60 s window opened
by the first submission, so no calendar-minute edge lets a burst of twice the limit through),
and appends the record. With `appendfsync always` the reply is sent only after the AOF write
is fsynced, so a returned `Appended` means the drawing survives a crash of every process.

The flusher side reads batches through a consumer group, claims entries a dead flusher left
pending, and acknowledges + deletes entries only after they are in a shard and PostgreSQL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis.asyncio as aioredis
from redis.exceptions import ResponseError

from store import keys

_APPEND_LUA = """
local prev = redis.call('GET', KEYS[1])
if prev then return {1, prev} end
local s = redis.call('INCR', KEYS[3])
if s == 1 then redis.call('EXPIRE', KEYS[3], 60) end
local a = redis.call('INCR', KEYS[4])
if a == 1 then redis.call('EXPIRE', KEYS[4], 60) end
if s > tonumber(ARGV[4]) then return {2, tostring(redis.call('TTL', KEYS[3]))} end
if a > tonumber(ARGV[5]) then return {2, tostring(redis.call('TTL', KEYS[4]))} end
redis.call('XADD', KEYS[2], '*', 'r', ARGV[1])
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return {0, ''}
"""


@dataclass(frozen=True, slots=True)
class Appended:
    """The record is in the log (fsynced)."""


@dataclass(frozen=True, slots=True)
class Replayed:
    """The idempotency key was seen before; `summary` is what the first submit stored."""

    summary: bytes


@dataclass(frozen=True, slots=True)
class RateLimited:
    retry_after_s: int


AppendResult = Appended | Replayed | RateLimited


@dataclass(frozen=True, slots=True)
class Entry:
    entry_id: str
    record: bytes

    @property
    def appended_at_ms(self) -> int:
        return int(self.entry_id.split("-", 1)[0])


class IngestLog:
    def __init__(self, client: aioredis.Redis) -> None:
        self._r = client
        self._append = client.register_script(_APPEND_LUA)

    async def append(
        self,
        drawing_id: str,
        record: bytes,
        summary: bytes,
        session_id: str,
        address: str,
        per_session_per_minute: int,
        per_address_per_minute: int,
    ) -> AppendResult:
        status, payload = await self._append(
            keys=[
                keys.idempotency(drawing_id),
                keys.INGEST_STREAM,
                keys.rate("submit-session", session_id),
                keys.rate("submit-addr", address),
            ],
            args=[
                record,
                summary,
                keys.IDEMPOTENCY_TTL_S,
                per_session_per_minute,
                per_address_per_minute,
            ],
        )
        if status == 0:
            return Appended()
        if status == 1:
            return Replayed(bytes(payload))
        return RateLimited(max(1, int(payload)))

    async def ensure_group(self) -> None:
        try:
            await self._r.xgroup_create(
                keys.INGEST_STREAM, keys.INGEST_GROUP, id="0", mkstream=True
            )
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def read(self, consumer: str, count: int, block_ms: int) -> list[Entry]:
        reply = await self._r.xreadgroup(
            keys.INGEST_GROUP, consumer, {keys.INGEST_STREAM: ">"}, count=count, block=block_ms
        )
        return [Entry(_s(eid), fields[b"r"]) for _, items in reply or [] for eid, fields in items]

    async def claim_stale(self, consumer: str, min_idle_ms: int, count: int) -> list[Entry]:
        """Take over entries another flusher read but never acknowledged (it died)."""
        _, items, _ = await self._r.xautoclaim(
            keys.INGEST_STREAM, keys.INGEST_GROUP, consumer, min_idle_ms, "0-0", count=count
        )
        return [Entry(_s(eid), fields[b"r"]) for eid, fields in items if fields]

    async def done(self, entry_ids: list[str]) -> None:
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.xack(keys.INGEST_STREAM, keys.INGEST_GROUP, *entry_ids)
            pipe.xdel(keys.INGEST_STREAM, *entry_ids)
            await pipe.execute()

    async def appended_total(self) -> int:
        """Entries ever appended to the stream, i.e. drawings accepted by every server since
        the stream was created (0 before the first); its rate is the cluster's intake rate."""
        try:
            info = await self._r.xinfo_stream(keys.INGEST_STREAM)
        except ResponseError:  # no stream yet
            return 0
        return int(info.get("entries-added", 0))

    async def backlog(self) -> tuple[int, int]:
        """(entries not yet flushed, age in ms of the oldest of them)."""
        length = int(await self._r.xlen(keys.INGEST_STREAM))
        if not length:
            return 0, 0
        first = await self._r.xrange(keys.INGEST_STREAM, count=1)
        if not first:
            return 0, 0
        oldest = int(_s(first[0][0]).split("-", 1)[0])
        return length, max(0, int(time.time() * 1000) - oldest)


def _s(v: bytes | str) -> str:
    return v.decode() if isinstance(v, bytes) else v
