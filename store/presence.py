"""Who is alive, across every process: players connected to each server, worker heartbeats.

Each server process writes its own count of open /ws/play sockets, and each worker its
heartbeat, as one field of a Redis hash whose value carries the time it was written
("count:ms" or "ms"). A process that dies stops writing; readers then ignore its stale
count and show the worker's heartbeat ageing, and prune entries silent for longer than
`PRESENCE_FORGET_MS`. (Redis expires whole keys only, so freshness is kept per field.)
"""

from __future__ import annotations

from dataclasses import dataclass

import redis.asyncio as aioredis

from store import keys


@dataclass(frozen=True, slots=True)
class WorkerBeat:
    name: str
    last_ms: int  # epoch milliseconds of its last heartbeat


def _text(v: bytes | str) -> str:
    return v.decode() if isinstance(v, bytes) else v


class Presence:
    def __init__(self, client: aioredis.Redis) -> None:
        self._r = client

    async def report_players(self, server: str, count: int, now_ms: int) -> None:
        await self._r.hset(keys.PRESENCE_PLAYERS, server, f"{count}:{now_ms}")

    async def heartbeat(self, worker: str, now_ms: int) -> None:
        await self._r.hset(keys.PRESENCE_WORKERS, worker, str(now_ms))

    async def players(self, now_ms: int) -> int:
        """Open /ws/play sockets summed over servers that reported recently."""
        total = 0
        forget: list[str] = []
        for field, value in (await self._r.hgetall(keys.PRESENCE_PLAYERS)).items():
            count, _, at = _text(value).partition(":")
            age = now_ms - int(at or 0)
            if age <= keys.PRESENCE_FRESH_MS:
                total += int(count)
            elif age > keys.PRESENCE_FORGET_MS:
                forget.append(_text(field))
        if forget:
            await self._r.hdel(keys.PRESENCE_PLAYERS, *forget)
        return total

    async def workers(self, now_ms: int) -> list[WorkerBeat]:
        """Workers heard from in the last PRESENCE_FORGET_MS, by name."""
        beats: list[WorkerBeat] = []
        forget: list[str] = []
        for field, value in (await self._r.hgetall(keys.PRESENCE_WORKERS)).items():
            beat = WorkerBeat(_text(field), int(value))
            if now_ms - beat.last_ms > keys.PRESENCE_FORGET_MS:
                forget.append(beat.name)
            else:
                beats.append(beat)
        if forget:
            await self._r.hdel(keys.PRESENCE_WORKERS, *forget)
        return sorted(beats, key=lambda b: b.name)

    async def leave(self, server: str) -> None:
        """A server shutting down cleanly removes its count at once."""
        await self._r.hdel(keys.PRESENCE_PLAYERS, server)

    async def retire(self, worker: str) -> None:
        """A worker shutting down cleanly leaves the list at once."""
        await self._r.hdel(keys.PRESENCE_WORKERS, worker)
