"""Admin portal benchmark: /api/admin/stats and filtered /api/admin/drawings pages at scale.

    python -m bench.admin --rows 1000000

Starts a real stack (bench/stack.py: embedded PostgreSQL and Valkey, server and worker
processes), loads `--rows` drawing rows through COPY with a realistic spread (5 shapes, 60
days, devices, a skewed quality score, ~1% flagged, ~0.5% soft-deleted, sessions of ~40
drawings), all pointing at one small shard object (only metadata matters here), runs
VACUUM ANALYZE as autovacuum would, logs in as an admin over HTTP and measures, one request in
flight at a time, latency of the stats endpoint and of list pages under several filter
combinations, first pages and deep cursor pages, interleaved round by round with a floor
(`GET /api/admin/session`: the admin guard and an empty handler) and with the machine's load
average recorded, so a busy machine shows as a raised floor. Prints one JSON document and
writes it to bench/results/admin.json with the command. Target: p95 <= 50 ms for each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import numpy as np

from bench.stack import Stack, start_stack
from game.cursor import Cursor, encode_cursor
from game.strokes import DEVICES
from game.synthetic import synth_drawings
from server.admin_accounts import create_admin
from server.admin_cookies import SESSION_COOKIE
from store.objects import LocalObjectStore
from store.records import StoredDrawing, encode_record

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_P95_MS = 50.0
SHARD_KEY = "shards/bench/admin.dsh"
EMAIL = "bench@example.org"
PASSWORD = "bench admin password 1"

SHAPE_WEIGHTS = np.array([0.18, 0.24, 0.22, 0.20, 0.16])  # line circle square triangle heart
DEVICE_WEIGHTS = {"mouse": 0.45, "touch": 0.34, "pen": 0.08, "synthetic": 0.10,
                  "generated": 0.01, "unknown": 0.02}  # fmt: skip
_COLUMNS = (
    "id", "user_id", "session_id", "shape_id", "shard_key", "byte_offset", "byte_length",
    "stroke_count", "point_count", "duration_ms", "device", "metadata", "quality_score",
    "is_flagged", "flag_reason", "created_at", "deleted_at", "flagged_at",
)  # fmt: skip
_CHUNK = 100_000
# Benchmark-only SQL (the application's lives in store/sql/).
_SECONDARY_INDEXES = """
SELECT indexname, indexdef FROM pg_indexes
WHERE schemaname = 'public' AND tablename = 'drawings' AND indexname <> 'drawings_pkey'
"""
_SESSION_SIZE = 40


def _rows(
    n: int, now: datetime, record_len: int, users: list[uuid.UUID], seed: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows in arrival order (oldest first, as the flusher appends them), in chunks."""
    rng = np.random.default_rng(seed)
    start_s = (now - timedelta(days=60)).timestamp()
    # Millisecond times over 60 days with a daily rhythm (busier evenings), sorted: some
    # drawings share a millisecond, as they do under load, which keyset paging must survive.
    hours = rng.choice(24, size=n, p=_daily_rhythm())
    day = rng.integers(0, 60, size=n)
    ms = np.sort((day * 86_400 + hours * 3600) * 1000 + rng.integers(0, 3_600_000, size=n))
    ms = np.minimum(ms + int(start_s * 1000), int(now.timestamp() * 1000) - 1)
    shapes = rng.choice(np.arange(1, 6), size=n, p=SHAPE_WEIGHTS)
    devices = rng.choice(list(DEVICE_WEIGHTS), size=n, p=list(DEVICE_WEIGHTS.values()))
    quality = np.clip(rng.beta(5, 2, size=n), 0, 1).astype(np.float32)
    flagged = rng.random(n) < 0.01
    deleted = rng.random(n) < 0.005
    strokes = rng.integers(1, 7, size=n)
    points = strokes * rng.integers(20, 120, size=n)
    for lo in range(0, n, _CHUNK):
        chunk = []
        for i in range(lo, min(lo + _CHUNK, n)):
            at = datetime.fromtimestamp(int(ms[i]) / 1000, UTC)
            device = str(devices[i])
            chunk.append(
                (
                    uuid.UUID(bytes=rng.bytes(16), version=4),
                    users[i // _SESSION_SIZE % len(users)],
                    f"bench-session-{i // _SESSION_SIZE:07d}",
                    int(shapes[i]),
                    SHARD_KEY,
                    0,
                    record_len,
                    int(strokes[i]),
                    int(points[i]),
                    int(points[i]) * 16,
                    device,
                    {
                        "canvas": [400, 400],
                        "synthetic": device == "synthetic",
                        "generated": device == "generated",
                    },
                    float(quality[i]),
                    bool(flagged[i]),
                    "scribble" if flagged[i] else None,
                    at,
                    min(at + timedelta(hours=1), now) if deleted[i] else None,
                    min(at + timedelta(hours=2), now) if flagged[i] else None,
                )
            )
        yield chunk


def _daily_rhythm() -> np.ndarray:
    p = 1.0 + 0.8 * np.sin((np.arange(24) - 13) / 24 * 2 * np.pi)
    return p / p.sum()  # type: ignore[no-any-return]


async def load(stack: Stack, rows: int, seed: int) -> dict[str, Any]:
    """Users, one shard object, the drawing rows through COPY, then VACUUM ANALYZE."""
    now = datetime.now(UTC)
    objects = LocalObjectStore(stack.dir / "objects")
    await objects.connect()
    drawing = synth_drawings(1, np.random.default_rng(seed))[1]  # a circle
    record = encode_record(
        StoredDrawing(str(uuid.uuid4()), "bench-session", str(uuid.uuid4()), 0, 0.8, drawing)
    )
    await objects.put(SHARD_KEY, record)
    conn = await asyncpg.connect(stack.env["DATABASE_URL"])
    # COPY runs in binary format; jsonb's binary form is a version byte and the JSON text.
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda v: b"\x01" + json.dumps(v).encode(),
        decoder=lambda b: json.loads(b[1:]),
        schema="pg_catalog",
        format="binary",
    )
    try:
        users = [uuid.uuid4() for _ in range(max(1, rows // 100))]
        await conn.copy_records_to_table(
            "users", records=[(u, "Bench Player") for u in users], columns=["id", "nickname"]
        )
        # The classic bulk load: secondary indexes dropped during COPY and rebuilt after from
        # their own definitions (sorted builds instead of 1,000,000 random inserts each). The
        # counters' triggers stay on, so the dashboard's numbers are maintained as in life.
        indexes = await conn.fetch(_SECONDARY_INDEXES)
        for r in indexes:
            await conn.execute(f'DROP INDEX "{r["indexname"]}"')
        began = time.perf_counter()
        for chunk in _rows(rows, now, len(record), users, seed):
            await conn.copy_records_to_table("drawings", records=chunk, columns=_COLUMNS)
        copy_s = time.perf_counter() - began
        began = time.perf_counter()
        await conn.execute("SET maintenance_work_mem = '256MB'")
        for r in indexes:
            await conn.execute(r["indexdef"])
        index_s = time.perf_counter() - began
        began = time.perf_counter()
        await conn.execute("VACUUM ANALYZE drawings")
        vacuum_s = time.perf_counter() - began
        size = await conn.fetchval("SELECT pg_total_relation_size('drawings')")
    finally:
        await conn.close()
    return {
        "rows": rows,
        "copy_s": round(copy_s, 1),
        "copy_rows_per_s": round(rows / copy_s),
        "rebuild_indexes_s": round(index_s, 1),
        "indexes": len(indexes),
        "vacuum_analyze_s": round(vacuum_s, 1),
        "table_with_indexes_mb": round(size / 2**20),
    }


async def _probe(stack: Stack) -> dict[str, Any]:
    """Values the scenarios need from the loaded data: a session, deep cursors."""
    conn = await asyncpg.connect(stack.env["DATABASE_URL"])
    try:
        session = await conn.fetchval(
            "SELECT session_id FROM drawings ORDER BY created_at DESC OFFSET 1000 LIMIT 1"
        )
        deep = []
        for share in (0.25, 0.5, 0.9):
            r = await conn.fetchrow(
                "SELECT created_at, id FROM drawings ORDER BY created_at DESC, id DESC"
                " OFFSET (SELECT (count(*) * $1)::int FROM drawings) LIMIT 1",
                share,
            )
            deep.append(encode_cursor(Cursor(r["created_at"], r["id"])))
    finally:
        await conn.close()
    return {"session": session, "deep": deep}


def _scenarios(probe: dict[str, Any], now: datetime) -> dict[str, Callable[[int], str]]:
    """Name -> the i-th request's query string; parameters vary between requests."""
    shapes = ["line", "circle", "square", "triangle", "heart"]
    devices = [d for d in DEVICES if d != "unknown"]

    def day(n: int) -> str:
        return (now - timedelta(days=n)).date().isoformat()

    deep = probe["deep"]
    return {
        "no_filter": lambda i: "limit=50",
        "shape": lambda i: f"shape={shapes[i % 5]}",
        "shape_date_range": lambda i: (
            f"shape={shapes[i % 5]}&from={day(30 + i % 7)}&to={day(7 + i % 5)}"
        ),
        "flagged": lambda i: "flagged=true&deleted=false",
        "deleted": lambda i: "deleted=true",
        "device_quality": lambda i: f"device={devices[i % len(devices)]}&qmin=0.8",
        "shape_quality_band_human": lambda i: (
            f"shape={shapes[i % 5]}&synthetic=false"
            f"&qmin={0.2 + (i % 3) * 0.1:.1f}&qmax={0.3 + (i % 3) * 0.1:.1f}&deleted=false"
        ),
        "flagged_shape_device": lambda i: (
            f"flagged=true&shape={shapes[i % 5]}&device={devices[i % 3]}"
        ),
        "session": lambda i: f"session={probe['session']}",
        "low_quality_live": lambda i: "qmax=0.1&deleted=false",
        "limit_200": lambda i: f"limit=200&shape={shapes[i % 5]}&deleted=false",
        "deep_cursor": lambda i: f"cursor={deep[i % 3]}",
        "deep_cursor_filtered": lambda i: (
            f"cursor={deep[i % 3]}&shape={shapes[i % 5]}&device={devices[i % 3]}&qmin=0.5"
        ),
    }


def _pct(samples: list[float], q: float) -> float:
    return round(float(np.percentile(np.array(samples) * 1000, q)), 2)


Call = Callable[[int], Awaitable[httpx.Response]]


async def _interleaved(calls: dict[str, Call], requests: int, warmup: int) -> dict[str, Any]:
    """Latency of each call, `requests` times, in rounds that make each call once in turn: a
    burst of load from elsewhere on the machine then hits every endpoint, and the floor,
    alike, instead of whichever happened to be measured at that moment."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for i in range(-warmup, requests):
        for name, call in calls.items():
            began = time.perf_counter()
            r = await call(i)
            if i >= 0:
                samples[name].append(time.perf_counter() - began)
            r.raise_for_status()
    return {
        name: {
            "requests": requests,
            "p50_ms": _pct(s, 50),
            "p95_ms": _pct(s, 95),
            "p99_ms": _pct(s, 99),
            "max_ms": _pct(s, 100),
        }
        for name, s in samples.items()
    }


async def _paging(http: httpx.AsyncClient, query: str, pages: int) -> dict[str, Any]:
    """Follow nextCursor `pages` times: latency per page, and no id seen twice."""
    seen: set[str] = set()
    samples: list[float] = []
    cursor = None
    for _ in range(pages):
        began = time.perf_counter()
        r = await http.get("/api/admin/drawings?" + query + (f"&cursor={cursor}" if cursor else ""))
        samples.append(time.perf_counter() - began)
        body = r.raise_for_status().json()
        ids = [item["id"] for item in body["items"]]
        if seen.intersection(ids):
            raise RuntimeError(f"page repeated ids under {query}")
        seen.update(ids)
        cursor = body["nextCursor"]
        if cursor is None:
            break
    return {"pages": len(samples), "rows": len(seen), "p50_ms": _pct(samples, 50),
            "p95_ms": _pct(samples, 95), "max_ms": _pct(samples, 100)}  # fmt: skip


async def measure(stack: Stack, requests: int) -> dict[str, Any]:
    await create_admin(stack.env["DATABASE_URL"], EMAIL, PASSWORD)
    probe = await _probe(stack)
    now = datetime.now(UTC)
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        login = await http.post("/api/admin/login", json={"email": EMAIL, "password": PASSWORD})
        login.raise_for_status()
        http.cookies = httpx.Cookies({SESSION_COOKIE: login.cookies[SESSION_COOKIE]})
        calls: dict[str, Call] = {
            # The floor: the admin guard (session lookup and refresh in Redis), empty handler.
            "floor": lambda i: http.get("/api/admin/session"),
            "stats": lambda i: http.get("/api/admin/stats"),
        }
        for name, query_of in _scenarios(probe, now).items():

            def page(
                i: int, query_of: Callable[[int], str] = query_of
            ) -> Awaitable[httpx.Response]:
                return http.get("/api/admin/drawings?" + query_of(i))

            calls[name] = page
        load_before = os.getloadavg()
        timings = await _interleaved(calls, requests, warmup=10)
        load_after = os.getloadavg()
        floor, stats = timings.pop("floor"), timings.pop("stats")
        pages = timings
        walks = {
            "shape_square_50_pages": await _paging(http, "shape=square&deleted=false", 50),
            "flagged_50_pages": await _paging(http, "flagged=true&limit=100", 50),
        }
        sample = (await http.get("/api/admin/stats")).json()
    worst = max(p["p95_ms"] for p in pages.values())
    return {
        "load_avg_while_measuring": [
            [round(x, 2) for x in load_before],
            [round(x, 2) for x in load_after],
        ],
        "floor_admin_session": floor,
        "stats": stats,
        "stats_totals": sample["totals"],
        "drawings_pages": pages,
        "drawings_walks": walks,
        "targets": {
            "stats_p95_ms": {"target": TARGET_P95_MS, "measured": stats["p95_ms"]},
            "drawings_page_p95_ms": {"target": TARGET_P95_MS, "worst_scenario": worst},
        },
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    stack = await start_stack()
    try:
        loaded = await load(stack, args.rows, args.seed)
        result = await measure(stack, args.requests)
    finally:
        stack.stop()
    return {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "load_avg": [round(x, 2) for x in os.getloadavg()],
        },
        "client": "one httpx client, one request in flight, over loopback HTTP/1.1",
        "load": loaded,
        **result,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="per scenario")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    result["command"] = "python -m bench.admin " + " ".join(sys.argv[1:])
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "admin.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
