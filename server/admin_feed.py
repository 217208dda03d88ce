"""The admin monitor of one server process: presence out, a `monitor` frame in every second.

Every second the process writes its number of open /ws/play sockets to Redis
(store/presence.py), so any process can sum the players of all of them. While admins are
connected to this process's /ws/admin, it also builds one `monitor` frame a second and hands
it to each of their sockets (docs/ws-protocol.md): built once per process rather than once
per socket, and never relayed through Redis, so N server processes do not send each admin N
frames a second. Sources:

- drawingsPerSecond: growth of the ingest stream's `entries-added` counter over the last few
  seconds, i.e. drawings accepted by every server (0 until two readings exist);
- perShape: drawings stored in PostgreSQL in the last minute (what is still in the stream,
  shown as the backlog beside it, is not counted yet);
- connectedPlayers, workers: the presence hashes; ingest: the stream's length and age.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections import deque
from collections.abc import Iterator
from typing import Any

import asyncpg
from redis.exceptions import RedisError

from game.shapes import SHAPES
from server.metrics import Metrics
from store.admin_stats import recent_per_shape
from store.ingest import IngestLog
from store.presence import Presence

log = logging.getLogger("drawstream.admin_feed")

INTERVAL_S = 1.0
RECENT_S = 60.0
# Readings of the stream counter kept for the rate: a 4-second window smooths the steps
# of one-second sampling without hiding a stall for long.
_RATE_READINGS = 5
_QUEUE = 4


def _now_ms() -> int:
    return int(time.time() * 1000)


class AdminMonitor:
    def __init__(
        self, pool: asyncpg.Pool, ingest: IngestLog, presence: Presence, metrics: Metrics
    ) -> None:
        self._pool = pool
        self._ingest = ingest
        self._presence = presence
        self._metrics = metrics
        # Unique per app, not per process: tests run several apps in one process.
        self.server = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._watchers: set[asyncio.Queue[dict[str, Any]]] = set()
        self._readings: deque[tuple[float, int]] = deque(maxlen=_RATE_READINGS)

    @contextlib.contextmanager
    def watch(self) -> Iterator[asyncio.Queue[dict[str, Any]]]:
        """Monitor frames for one socket while the block runs (a slow reader gets the
        latest frames: older ones are dropped)."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(_QUEUE)
        self._watchers.add(queue)
        try:
            yield queue
        finally:
            self._watchers.discard(queue)

    def _players_here(self) -> int:
        value = self._metrics.registry.get_sample_value("ws_connections", {"endpoint": "play"})
        return int(value or 0)

    async def run(self) -> None:
        """Tick every INTERVAL_S for the life of the process; outages only skip ticks."""
        try:
            while True:
                started = time.monotonic()
                try:
                    await self.tick()
                except (OSError, RedisError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                    log.warning("admin monitor tick skipped: %s", exc)
                await asyncio.sleep(max(0.0, INTERVAL_S - (time.monotonic() - started)))
        finally:
            with contextlib.suppress(OSError, RedisError):  # shutting down: best effort
                await self._presence.leave(self.server)

    async def tick(self) -> None:
        now_ms = _now_ms()
        await self._presence.report_players(self.server, self._players_here(), now_ms)
        if not self._watchers:
            self._readings.clear()  # a rate must not span a time nobody watched
            return
        frame = await self.frame(now_ms)
        for queue in self._watchers:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(frame)

    def _rate(self, total: int) -> float:
        self._readings.append((time.monotonic(), total))
        (t0, n0), (t1, n1) = self._readings[0], self._readings[-1]
        return round(max(0, n1 - n0) / (t1 - t0), 2) if t1 > t0 else 0.0

    async def frame(self, now_ms: int) -> dict[str, Any]:
        rate = self._rate(await self._ingest.appended_total())
        backlog, lag_ms = await self._ingest.backlog()
        players = await self._presence.players(now_ms)
        workers = await self._presence.workers(now_ms)
        recent = await recent_per_shape(self._pool, RECENT_S)
        return {
            "type": "monitor",
            "at": now_ms,
            "drawingsPerSecond": rate,
            "perShape": [{"shape": s.name, "count": recent.get(s.id, 0)} for s in SHAPES],
            "connectedPlayers": players,
            "ingest": {"backlog": backlog, "lagMs": lag_ms},
            "workers": [{"name": w.name, "lastHeartbeatMs": w.last_ms} for w in workers],
        }
