"""Spectators: a drawing made through server process A appears live on /ws/watch of
server process B (they share only Redis), and the leaderboards follow."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import msgpack
import numpy as np
import pytest
from websockets.asyncio.client import ClientConnection, connect

from game.identity import live_id
from server.embedded import free_port
from store.settings import Settings
from tests.fixtures import LiveServer, circle_drawing
from tests.processes import Proc, drawstream, env_for, wait_ready
from tests.wsclient import PlayClient


@pytest.fixture
def two_servers(settings: Settings) -> Iterator[tuple[str, str]]:
    env = env_for(settings.database_url or "", settings.redis_url or "")
    ports = [free_port(), free_port()]
    procs = [
        Proc(drawstream("server", "--port", str(p), "--data-dir", str(settings.data_dir)), env)
        for p in ports
    ]
    for p in procs:
        p.start()
    try:
        yield tuple(f"127.0.0.1:{p}" for p in ports)  # type: ignore[misc]
    finally:
        for p in procs:
            p.stop()


async def _next(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = msgpack.unpackb(await asyncio.wait_for(ws.recv(), 10), raw=False)
        if frame["type"] == kind:
            return frame


async def _next_any(ws: ClientConnection) -> dict[str, Any]:
    frame: dict[str, Any] = msgpack.unpackb(await asyncio.wait_for(ws.recv(), 10), raw=False)
    return frame if frame["type"] != "leaderboards" else await _next_any(ws)


async def test_drawing_on_a_appears_on_b(two_servers: tuple[str, str]) -> None:
    a, b = two_servers
    await wait_ready(f"http://{a}")
    await wait_ready(f"http://{b}")
    async with connect(f"ws://{b}/ws/watch", compression=None) as watch:
        snapshot = await _next(watch, "snapshot")
        assert snapshot["live"] == []
        assert set(snapshot["leaderboards"]) == {"today", "all", "streak"}
        player = await PlayClient.open(f"ws://{a}")
        welcome = await player.hello()
        d = circle_drawing()
        await player.draw(d, batch=5)
        points = await _next(watch, "points")
        assert points["live"] == live_id(welcome["session"]) != welcome["session"]
        assert points["nickname"] == welcome["nickname"]
        assert points["shape"] == welcome["prompt"]["name"]
        first = np.frombuffer(points["x"], "<f4")
        assert np.array_equal(first, d.strokes[0].x[: len(first)])
        ack = await player.submit(d, "watched")
        relayed = [points]
        while (frame := await _next_any(watch))["type"] == "points":
            relayed.append(frame)
        done = frame
        assert done["type"] == "done"
        # Every streamed point reached the spectator before `done`, the stroke's end included.
        got = np.concatenate([np.frombuffer(f["x"], "<f4") for f in relayed])
        assert np.array_equal(got, d.strokes[0].x)
        assert done["id"] == ack["id"] and done["nickname"] == welcome["nickname"]
        boards = await _next(watch, "leaderboards")
        while [welcome["nickname"], 1] not in boards["today"]:
            boards = await _next(watch, "leaderboards")
        assert [welcome["nickname"], 1] in boards["all"]
        await player.close()

    async with connect(f"ws://{b}/ws/watch", compression=None) as late:
        snapshot = await _next(late, "snapshot")
        assert [welcome["nickname"], 1] in snapshot["leaderboards"]["all"]
        await late.send(msgpack.packb({"type": "ping"}))
        assert (await _next(late, "pong"))["type"] == "pong"


async def test_a_player_leaving_mid_drawing_frees_the_tile(live_server: LiveServer) -> None:
    async with connect(f"{live_server.ws_url}/ws/watch", compression=None) as watch:
        await _next(watch, "snapshot")
        player = await PlayClient.open(live_server.ws_url)
        welcome = await player.hello()
        await player.draw(circle_drawing(), batch=5)
        assert (await _next(watch, "points"))["live"] == live_id(welcome["session"])
        await player.close()
        assert (await _next(watch, "leave"))["live"] == live_id(welcome["session"])
    async with connect(f"{live_server.ws_url}/ws/watch", compression=None) as late:
        assert (await _next(late, "snapshot"))["live"] == []
