"""What the platform stored, read back the way an operator reads it: `export_ndjson` (the
code behind `drawstream export`) for the strokes, PostgreSQL for the metadata rows."""

from __future__ import annotations

import asyncio
import io
import json
import time
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from server.export import export_ndjson
from store.settings import Settings
from tests.e2e.paths import Polyline, distance_to_polyline

# Chromium reports pointer positions as floats, but rounding in layout (a canvas whose left
# edge sits at a fractional pixel) and the client's float32 storage cost up to a pixel.
TOLERANCE_PX = 2.0


@dataclass(frozen=True)
class Row:
    id: str
    device: str
    stroke_count: int
    shape: str


async def exported(settings: Settings) -> list[dict[str, Any]]:
    """Every stored drawing in Quick, Draw!'s raw layout, as `drawstream export` prints it."""
    out = io.StringIO()
    await export_ndjson(settings, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


async def rows(dsn: str) -> list[Row]:
    conn = await asyncpg.connect(dsn)
    try:
        records = await conn.fetch(
            "SELECT d.id::text, d.device, d.stroke_count, s.name FROM drawings d"
            " JOIN shapes s ON s.id = d.shape_id ORDER BY d.created_at"
        )
    finally:
        await conn.close()
    return [Row(r[0], r[1], r[2], r[3]) for r in records]


async def wait_flushed(base_url: str, timeout: float = 20.0) -> None:
    """Until the ingest stream is empty: every acked drawing has reached PostgreSQL, so a
    count taken afterwards is final (no late duplicate can still arrive)."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base_url, timeout=5) as c:
        while time.monotonic() < deadline:
            if (await c.get("/health")).json()["ingest"]["backlog"] == 0:
                return
            await asyncio.sleep(0.05)
    raise TimeoutError("the flusher did not drain the ingest stream")


def assert_traced(stored: list[list[list[float]]], traced: list[Polyline]) -> None:
    """The stored strokes (raw layout: [xs, ys, ts] each) are the strokes that were traced.

    Same stroke count; every stored point on its polyline; each stroke starting and ending
    where the pointer went down and up; the whole polyline covered (no lost batch); times
    never going back, within and across strokes.
    """
    assert len(stored) == len(traced), f"{len(stored)} strokes stored, {len(traced)} drawn"
    last_t = 0.0
    for i, ((xs, ys, ts), line) in enumerate(zip(stored, traced, strict=True)):
        points = list(zip(xs, ys, strict=True))
        assert len(points) >= 2, f"stroke {i}: {len(points)} points"
        far = [(p, d) for p in points if (d := distance_to_polyline(p, line)) > TOLERANCE_PX]
        assert not far, f"stroke {i}: points off the traced path: {far[:5]}"
        assert distance_to_polyline(points[0], [line[0]]) <= TOLERANCE_PX, (i, points[0], line[0])
        assert distance_to_polyline(points[-1], [line[-1]]) <= TOLERANCE_PX, (
            i,
            points[-1],
            line[-1],
        )
        for vertex in line:
            assert distance_to_polyline(vertex, points) <= TOLERANCE_PX, (
                f"stroke {i} misses {vertex}"
            )
        assert ts == sorted(ts), f"stroke {i}: times go back: {ts}"
        assert ts[0] >= last_t, f"stroke {i} starts at {ts[0]} ms, before {last_t} ms"
        last_t = ts[-1]
    assert stored[0][2][0] == 0, "time starts at the first pointer-down"
