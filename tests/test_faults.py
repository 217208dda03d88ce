"""Crash tests: kill -9 of the server, the worker and Valkey in the middle of a load loses no
acknowledged drawing (acked ids == exported ids, strokes identical)."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pytest
from websockets.exceptions import WebSocketException

from game.strokes import Drawing
from server.embedded import EmbeddedValkey, free_port
from server.export import export_ndjson
from store.settings import Settings
from tests.fixtures import circle_drawing, two_strokes, wait_for_rows
from tests.processes import Proc, wait_ready
from tests.services import service_dir
from tests.wsclient import PlayClient


@dataclass
class Player:
    """Submits drawings forever; like the browser outbox, retries a key until it is acked."""

    name: str
    url: str
    acked: dict[str, Drawing] = field(default_factory=dict)
    stop: bool = False

    async def run(self) -> None:
        n = 0
        session: str | None = None
        pending: tuple[str, Drawing] | None = None
        while not (self.stop and pending is None):
            try:
                c = await PlayClient.open(self.url)
                try:
                    welcome = await c.hello(**({"session": session} if session else {}))
                    session = welcome["session"]
                    while not (self.stop and pending is None):
                        if pending is None:
                            n += 1
                            d = two_strokes(seed=n) if n % 3 == 0 else circle_drawing(seed=n)
                            pending = (f"{self.name}-{n}", d)
                        reply = await asyncio.wait_for(c.submit(pending[1], pending[0], True), 10)
                        if reply["type"] == "ack":
                            self.acked[reply["id"]] = pending[1]
                            pending = None
                        elif reply.get("code") == "unavailable":
                            await asyncio.sleep(0.1)
                        else:
                            raise AssertionError(f"unexpected reply {reply}")
                finally:
                    await c.close()
            except (OSError, WebSocketException, TimeoutError):
                await asyncio.sleep(0.1)


@pytest.fixture
def valkey() -> Iterator[EmbeddedValkey]:
    path = service_dir()
    v = EmbeddedValkey(path)
    v.start()
    yield v
    v.stop()


async def test_kill9_of_server_worker_and_valkey_loses_no_acked_drawing(
    settings: Settings, valkey: EmbeddedValkey
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": valkey.dsn,
        "DRAWSTREAM_FLUSH_BLOCK_MS": "20",
        "DRAWSTREAM_RATE_SESSION": "100000",
        "DRAWSTREAM_RATE_ADDRESS": "100000",
    }
    common = ["--data-dir", str(settings.data_dir)]
    server = Proc([sys.executable, "-m", "server.cli", "server", "--port", str(port), *common], env)
    worker = Proc([sys.executable, "-m", "server.cli", "worker", *common], env)
    url = f"http://127.0.0.1:{port}"
    players = [Player(f"p{i}", f"ws://127.0.0.1:{port}") for i in range(4)]
    server.start()
    worker.start()
    try:
        await wait_ready(url)
        tasks = [asyncio.create_task(p.run()) for p in players]

        async def acked() -> int:
            return sum(len(p.acked) for p in players)

        async def progress(at_least: int, timeout: float = 30.0) -> None:
            deadline = time.monotonic() + timeout
            while await acked() < at_least:
                assert time.monotonic() < deadline, "load made no progress"
                await asyncio.sleep(0.05)

        await progress(40)
        server.kill9()
        server.start()
        await wait_ready(url)
        await progress(await acked() + 40)
        worker.kill9()
        await progress(await acked() + 40)
        worker.start()
        valkey_pid = valkey.pid
        assert valkey_pid is not None
        os.kill(valkey_pid, signal.SIGKILL)
        valkey.stop()
        valkey.start()
        await progress(await acked() + 40)
        for p in players:
            p.stop = True
        await asyncio.wait_for(asyncio.gather(*tasks), 60)
        sent = {k: v for p in players for k, v in p.acked.items()}
        assert await wait_for_rows(settings.database_url or "", len(sent), 60) == len(sent)
    finally:
        server.stop()
        worker.stop()
    out = io.StringIO()
    await export_ndjson(settings, out)
    exported = {r["key_id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert set(exported) == set(sent)
    for drawing_id, d in sent.items():
        strokes = exported[drawing_id]["drawing"]
        assert len(strokes) == len(d.strokes)
        for (xs, ys, ts), s in zip(strokes, d.strokes, strict=True):
            assert np.array_equal(np.array(xs, np.float32), s.x)
            assert np.array_equal(np.array(ys, np.float32), s.y)
            assert ts == s.t.tolist()
