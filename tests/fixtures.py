"""Fixtures for the app: migrated database, clean state per test, a real uvicorn server,
a flusher, and factories for drawings."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import asyncpg
import numpy as np
import pytest
import redis.asyncio as aioredis
import uvicorn

from game.strokes import Drawing, Stroke, make_stroke
from server.app import create_app
from server.embedded import free_port
from store import services
from store.migrations import migrate
from store.settings import Settings
from workers.flusher import Flusher

_TABLES = "drawings, users, training_jobs, models, admin_users, drawings_archive"


@pytest.fixture(scope="session")
async def migrated_dsn(pg_dsn: str) -> str:
    conn = await asyncpg.connect(pg_dsn)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    return pg_dsn


@pytest.fixture
async def clean(migrated_dsn: str, redis_url: str) -> None:
    """Every test starts from empty tables and an empty Redis."""
    conn = await asyncpg.connect(migrated_dsn)
    try:
        await conn.execute(f"TRUNCATE {_TABLES} CASCADE")
    finally:
        await conn.close()
    r = aioredis.Redis.from_url(redis_url)
    await r.flushdb()
    await r.aclose()


@pytest.fixture
def settings(tmp_path: Path, migrated_dsn: str, redis_url: str, clean: None) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=migrated_dsn,
        redis_url=redis_url,
        flush_batch_size=200,
        flush_block_ms=20,
    )


@pytest.fixture
async def svc(settings: Settings) -> AsyncIterator[services.Services]:
    s = await services.connect(settings, pool_size=4)
    yield s
    await s.close()


@dataclass(frozen=True, slots=True)
class LiveServer:
    url: str
    ws_url: str
    settings: Settings


@contextlib.contextmanager
def run_server(settings: Settings) -> Iterator[LiveServer]:
    """A real uvicorn server on a free port, in its own thread and event loop."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        ws="websockets-sansio",
        ws_per_message_deflate=False,
        log_config=None,
        access_log=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}", settings)
    finally:
        server.should_exit = True
        thread.join(20)


@pytest.fixture
def live_server(settings: Settings) -> Iterator[LiveServer]:
    with run_server(settings) as server:
        yield server


@pytest.fixture
async def flusher(svc: services.Services, settings: Settings) -> AsyncIterator[Flusher]:
    f = Flusher(svc, "test-flusher", settings.flush_batch_size, settings.flush_block_ms)
    task = asyncio.create_task(f.run())
    yield f
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def circle_drawing(
    shape_id: int = 2, n: int = 40, seed: int = 0, canvas: int = 400, device: str = "mouse"
) -> Drawing:
    """A wobbly circle with non-integer coordinates (exercises float32 storage)."""
    rng = np.random.default_rng(seed)
    a = np.linspace(0, 2 * np.pi, n)
    r = 120 + rng.normal(0, 3, n)
    stroke = make_stroke(
        200 + r * np.cos(a), 200 + r * np.sin(a), np.arange(n) * 16, rng.uniform(0.2, 0.9, n)
    )
    return Drawing(shape_id, (stroke,), canvas, canvas, n * 16, device, 1_704_067_200_000)


def two_strokes(seed: int = 1) -> Drawing:
    base = circle_drawing(4, 20, seed)
    s = base.strokes[0]
    second = Stroke(s.x[::-1].copy(), s.y.copy(), s.t + np.uint32(500), s.p.copy(), "#ff0000", 5.0)
    return replace(base, strokes=(s, second), duration_ms=int(second.t[-1]))


def drawing_json(d: Drawing) -> dict[str, object]:
    """The REST body for a drawing (timestamps absolute, as browsers send them)."""
    return {
        "shapeId": d.shape_id,
        "strokeData": {
            "canvas": {"width": d.canvas_width, "height": d.canvas_height},
            "strokes": [
                {
                    "points": [
                        {
                            "x": float(x),
                            "y": float(y),
                            "pressure": float(p),
                            "timestamp": d.started_at_ms + int(t),
                        }
                        for x, y, t, p in zip(s.x, s.y, s.t, s.p, strict=True)
                    ],
                    "color": s.color,
                    "width": s.width,
                }
                for s in d.strokes
            ],
            "duration_ms": d.duration_ms,
            "device": d.device,
        },
    }


async def wait_for_rows(dsn: str, expected: int, timeout: float = 20.0) -> int:
    """Poll until the flusher has stored `expected` drawings (or the deadline passes)."""
    conn = await asyncpg.connect(dsn)
    try:
        deadline = time.monotonic() + timeout
        while True:
            count = int(await conn.fetchval("SELECT count(*) FROM drawings"))
            if count >= expected or time.monotonic() > deadline:
                return count
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
