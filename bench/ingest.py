"""Ingestion benchmark: N WebSocket players drawing realistic drawings in real time.

    python -m bench.ingest --seconds 60 --sessions 3000 [--baseline] [--idle 10000]

Each player streams points in batches while "drawing" (one `points` frame per `--batch-ms`),
submits, waits for the ack, thinks briefly and draws the next one. Prints one JSON line and
writes it to bench/results/ingest[-baseline].json with the command:
acked drawings/s, ack latency p50/p99, flush lag p99 (age of the oldest unflushed drawing,
sampled every 100 ms), server CPU microseconds per drawing, and server RSS per idle connection.
The load generator runs in `--procs` processes on the same machine as the stack.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing as mp
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

import msgpack
import numpy as np
import redis.asyncio as aioredis
import uvloop
from websockets.asyncio.client import connect

from bench.load_drawings import load_drawings
from bench.stack import Stack, cpu_seconds, rss_bytes, start_stack
from bench.ws_client import Inbox, WsConnection, client_frame
from bench.ws_client import connect as lean_connect
from game.strokes import Drawing
from store import keys

RESULTS = Path(__file__).resolve().parent / "results"


def _pack(frame: dict[str, Any]) -> bytes:
    packed: bytes = msgpack.packb(frame, use_bin_type=True)
    return packed


def _stroke_maps(d: Drawing) -> list[dict[str, Any]]:
    return [
        {"x": s.x.tobytes(), "y": s.y.tobytes(), "t": s.t.tobytes(), "p": s.p.tobytes()}
        for s in d.strokes
    ]


class _Player:
    """One player's connection: frames out (masked with the run's key), answers in order."""

    def __init__(self, conn: WsConnection, inbox: Inbox, mask: bytes) -> None:
        self.conn, self.inbox, self.mask = conn, inbox, mask

    def send(self, frame: dict[str, Any]) -> None:
        self.conn.send(client_frame(_pack(frame), self.mask))

    async def recv(self) -> dict[str, Any]:
        reply: dict[str, Any] = msgpack.unpackb(await self.inbox.recv(), raw=False)
        return reply


async def _draw_and_submit(ws: _Player, d: Drawing, key: str, batch_ms: int) -> float:
    """Stream `d` in real time (batch_ms > 0) or not at all (0: the whole drawing rides in the
    submit, as an outbox resubmission does), submit, return the ack latency in seconds."""
    start = time.monotonic()
    for i, s in enumerate(d.strokes if batch_ms > 0 else ()):
        lo = 0
        n = len(s)
        while lo < n:
            # Points whose timestamps fall in the next batch window, sent when it closes.
            edge = int(s.t[lo]) + batch_ms
            hi = int(np.searchsorted(s.t, edge, side="left"))
            hi = max(hi, lo + 1)
            delay = start + edge / 1000 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            ws.send(
                {
                    "type": "points",
                    "stroke": i,
                    "x": s.x[lo:hi].tobytes(),
                    "y": s.y[lo:hi].tobytes(),
                    "t": s.t[lo:hi].tobytes(),
                    "p": s.p[lo:hi].tobytes(),
                }
            )
            lo = hi
        ws.send({"type": "end", "stroke": i})
    sent = time.perf_counter()
    ws.send(
        {
            "type": "submit",
            "key": key,
            "shape": d.shape_id,
            "canvas": [d.canvas_width, d.canvas_height],
            "duration_ms": d.duration_ms,
            **({} if batch_ms > 0 else {"strokes": _stroke_maps(d)}),
        }
    )
    while True:
        reply = await ws.recv()
        if reply["type"] == "ack":
            return time.perf_counter() - sent
        if reply["type"] == "error":
            raise RuntimeError(f"submit refused: {reply}")


async def _player(
    url: str,
    idx: int,
    drawings: list[Drawing],
    until: float,
    warm_until: float,
    batch_ms: int,
    mask: bytes,
    out: dict[str, Any],
) -> None:
    rng = random.Random(idx)
    await asyncio.sleep(rng.uniform(0, 2.0))  # ramp up over two seconds
    inbox = Inbox()
    try:
        conn = await lean_connect(url + "/ws/play", mask, inbox.put, inbox.closed)
        ws = _Player(conn, inbox, mask)
        try:
            ws.send({"type": "hello", "device": "mouse"})
            await ws.recv()
            n = 0
            while time.monotonic() < until:
                n += 1
                latency = await _draw_and_submit(ws, rng.choice(drawings), f"{idx}-{n}", batch_ms)
                if time.monotonic() >= warm_until:
                    out["latencies"].append(latency)
                if batch_ms > 0:
                    await asyncio.sleep(rng.uniform(0.2, 0.5))
        finally:
            conn.close()
    except Exception as exc:  # a failed player is counted and reported, not fatal
        out["errors"].append(f"{type(exc).__name__}: {exc}"[:200])


def _generator(
    url: str, first: int, count: int, seconds: float, warmup: float, batch_ms: int, queue: Any
) -> None:
    async def run() -> dict[str, Any]:
        drawings = load_drawings()
        out: dict[str, Any] = {"latencies": [], "errors": []}
        now, mask = time.monotonic(), os.urandom(4)
        until, warm_until = now + warmup + seconds, now + warmup
        await asyncio.gather(
            *(
                _player(url, first + i, drawings, until, warm_until, batch_ms, mask, out)
                for i in range(count)
            )
        )
        return out

    queue.put(uvloop.run(run()))  # the load generator's CPU is the server's loss


def _idle_holder(url: str, count: int, ready: Any, release: Any) -> None:
    async def run() -> None:
        sockets = []
        for _ in range(count):
            ws = await connect(url + "/ws/play", compression=None, max_queue=4)
            await ws.send(_pack({"type": "hello", "device": "mouse"}))
            await ws.recv()
            sockets.append(ws)
        ready.put(len(sockets))
        await asyncio.get_running_loop().run_in_executor(None, release.get)
        for ws in sockets:
            await ws.close()

    asyncio.run(run())


async def _sample_lag(r: aioredis.Redis, samples: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        first = await r.xrange(keys.INGEST_STREAM, count=1)
        lag = 0.0
        if first:
            oldest_ms = int(first[0][0].decode().split("-", 1)[0])
            lag = max(0.0, time.time() - oldest_ms / 1000)
        samples.append(lag)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.1)


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


async def measure_idle(stack: Stack, count: int, procs: int) -> dict[str, Any]:
    pid = stack.procs["server"].pid
    before = rss_bytes(pid)
    ctx = mp.get_context("spawn")
    ready, release = ctx.Queue(), ctx.Queue()
    holders = [
        ctx.Process(target=_idle_holder, args=(stack.ws_url, count // procs, ready, release))
        for _ in range(procs)
    ]
    for h in holders:
        h.start()
    opened = sum([await asyncio.to_thread(ready.get) for _ in holders])
    await asyncio.sleep(1.0)
    after = rss_bytes(pid)
    for _ in holders:
        release.put(True)
    for h in holders:
        await asyncio.to_thread(h.join, 60)
    return {
        "idle_connections": opened,
        "rss_before_mb": round(before / 2**20, 1),
        "rss_after_mb": round(after / 2**20, 1),
        "rss_per_idle_connection_kb": round((after - before) / max(opened, 1) / 1024, 2),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    load_before = os.getloadavg()
    stack = await start_stack(naive=args.baseline, server_processes=args.processes)
    try:
        r = aioredis.Redis.from_url(stack.env["REDIS_URL"])
        server_pid = stack.procs["server"].pid
        worker_pid = stack.procs["worker"].pid if "worker" in stack.procs else None
        ctx = mp.get_context("spawn")
        queue = ctx.Queue()
        per = [
            args.sessions // args.procs + (i < args.sessions % args.procs)
            for i in range(args.procs)
        ]
        gens = [
            ctx.Process(
                target=_generator,
                args=(
                    stack.ws_url,
                    sum(per[:i]),
                    per[i],
                    args.seconds,
                    args.warmup,
                    args.batch_ms,
                    queue,
                ),
            )
            for i in range(args.procs)
        ]
        for g in gens:
            g.start()
        await asyncio.sleep(args.warmup)
        cpu0 = cpu_seconds(server_pid)
        wcpu0 = cpu_seconds(worker_pid) if worker_pid else 0.0
        lag: list[float] = []
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sample_lag(r, lag, stop))
        t0 = time.monotonic()
        results = [await asyncio.to_thread(queue.get) for _ in gens]
        elapsed = time.monotonic() - t0
        cpu = cpu_seconds(server_pid) - cpu0
        wcpu = (cpu_seconds(worker_pid) - wcpu0) if worker_pid else 0.0
        stop.set()
        await sampler
        for g in gens:
            g.join(30)
        latencies = [x for res in results for x in res["latencies"]]
        errors = [e for res in results for e in res["errors"]]
        acked = len(latencies)
        out: dict[str, Any] = {
            "mode": "baseline" if args.baseline else "drawstream",
            "sessions": args.sessions,
            "server_processes": args.processes,
            "load_avg_at_start": [round(x, 2) for x in load_before],
            "seconds": round(elapsed, 1),
            "acked": acked,
            "acked_per_s": round(acked / elapsed, 1),
            "ack_ms_p50": round(_pct(latencies, 50) * 1000, 2),
            "ack_ms_p99": round(_pct(latencies, 99) * 1000, 2),
            "flush_lag_s_p99": round(_pct(lag, 99), 3) if not args.baseline else None,
            "server_cpu_us_per_drawing": round(cpu / max(acked, 1) * 1e6, 1),
            "worker_cpu_us_per_drawing": round(wcpu / max(acked, 1) * 1e6, 1),
            "player_errors": len(errors),
            "first_errors": errors[:3],
        }
        if args.idle:
            out.update(await measure_idle(stack, args.idle, args.procs))
        await r.aclose()
        return out
    finally:
        stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument(
        "--batch-ms",
        type=int,
        default=100,
        help="points batch interval (the browser: 100); 0 = no streaming, whole drawings",
    )
    parser.add_argument("--procs", type=int, default=2, help="load generator processes")
    parser.add_argument("--idle", type=int, default=0, help="idle connections for the RSS test")
    parser.add_argument("--baseline", action="store_true", help="naive PUT+INSERT per drawing")
    parser.add_argument("--processes", type=int, default=1, help="server processes")
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    result = asyncio.run(run(args))
    result["command"] = "python -m bench.ingest " + " ".join(sys.argv[1:])
    print(json.dumps(result))
    RESULTS.mkdir(exist_ok=True)
    name = "ingest-baseline.json" if args.baseline else "ingest.json"
    if args.processes > 1:
        name = name.replace(".json", f"-{args.processes}proc.json")
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
