"""The `/ws/admin` monitor frame, and the presence data behind it: players summed over server
processes, worker heartbeats, stale entries ignored and forgotten."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import msgpack
import pytest
import redis.asyncio as aioredis
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

from server.admin_cookies import SESSION_COOKIE
from store import keys
from store.presence import Presence, WorkerBeat
from store.services import Services
from tests.admin_fixtures import AdminBrowser
from tests.drawing_factory import Spec, store_drawings
from tests.fixtures import LiveServer
from tests.wsclient import PlayClient
from workers import maintenance


def _ms() -> int:
    return int(time.time() * 1000)


async def _monitor(ws: ClientConnection) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = msgpack.unpackb(await asyncio.wait_for(ws.recv(), 5), raw=False)
        if frame["type"] == "monitor":
            return frame


async def test_monitor_frames_every_second(
    admin_server: LiveServer, browser: AdminBrowser, svc: Services
) -> None:
    presence = Presence(svc.redis)
    now = _ms()
    await presence.report_players("other-server", 3, now)  # another live process
    await presence.report_players("dead-server", 7, now - 60_000)  # one that died
    await presence.heartbeat("worker-a", now - 1500)
    await store_drawings(svc, [Spec(shape_id=4, at_ms=now), Spec(shape_id=4, at_ms=now)])
    player = await PlayClient.open(admin_server.ws_url)
    await player.hello()  # one player on this server
    async with connect(
        f"{admin_server.ws_url}/ws/admin",
        origin=Origin(admin_server.url),
        additional_headers={"Cookie": f"{SESSION_COOKIE}={browser.session}"},
        compression=None,
    ) as ws:
        first = await _monitor(ws)
        assert first["connectedPlayers"] == 4  # this server's 1 + the other's 3
        assert first["workers"] == [{"name": "worker-a", "lastHeartbeatMs": now - 1500}]
        assert {s["shape"]: s["count"] for s in first["perShape"]} == {
            "line": 0,
            "circle": 0,
            "square": 0,
            "triangle": 2,
            "heart": 0,
        }
        assert first["ingest"] == {"backlog": 0, "lagMs": 0}
        assert first["drawingsPerSecond"] == 0.0
        # Ten drawings accepted (and not yet flushed: no worker runs here).
        for _ in range(10):
            await svc.redis.xadd(keys.INGEST_STREAM, {"r": b"x"})
        second = await _monitor(ws)
        assert 0.5 <= (second["at"] - first["at"]) / 1000 <= 2.5
        assert second["ingest"]["backlog"] == 10
        assert second["drawingsPerSecond"] > 0
    await player.close()


async def test_stale_presence_is_ignored_then_forgotten(redis_url: str, clean: None) -> None:
    r = aioredis.Redis.from_url(redis_url)
    try:
        presence = Presence(r)
        now = _ms()
        await presence.report_players("fresh", 4, now - 1000)
        await presence.report_players("stale", 5, now - keys.PRESENCE_FRESH_MS - 1)
        await presence.report_players("gone", 6, now - keys.PRESENCE_FORGET_MS - 1)
        await presence.heartbeat("w-old", now - keys.PRESENCE_FORGET_MS - 1)
        await presence.heartbeat("w-slow", now - 30_000)
        assert await presence.players(now) == 4
        assert await presence.workers(now) == [WorkerBeat("w-slow", now - 30_000)]
        assert set(await r.hkeys(keys.PRESENCE_PLAYERS)) == {b"fresh", b"stale"}
        assert await r.hkeys(keys.PRESENCE_WORKERS) == [b"w-slow"]
    finally:
        await r.aclose()


async def test_a_worker_beats_until_it_stops(
    redis_url: str, clean: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(maintenance, "HEARTBEAT_S", 0.01)
    r = aioredis.Redis.from_url(redis_url)
    try:
        presence = Presence(r)
        task = asyncio.create_task(maintenance.heartbeat(presence, "worker-1"))
        async with asyncio.timeout(5):
            while True:
                beats = await presence.workers(_ms())
                if beats:
                    break
                await asyncio.sleep(0.01)
        [beat] = beats
        assert beat.name == "worker-1" and _ms() - beat.last_ms < 2000
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await presence.workers(_ms()) == []  # a clean stop leaves the list at once
    finally:
        await r.aclose()
