"""Inference benchmark: a real server serving a freshly trained classifier, and its peers.

    python -m bench.inference [--seconds 20] [--sessions 500] [--rate 1000]

One run, all on this machine (load generator included):
1. trains a small classifier with workers/training on synthetic drawings (game/synthetic.py)
   and exports it to ONNX, as the training job does (nothing is cached between runs);
2. starts the stack (embedded PostgreSQL + Valkey, `drawstream server` and worker processes),
   registers the model twice (v1, v2) and activates v1;
3. HTTP `POST /api/inference/classify` at a fixed rate (open loop, keep-alive): `--low-rate`,
   then `--rate`, each with a hot swap to the other model half-way (an admin activating it
   through the admin API): p50/p99 overall and in the two seconds after the swap, errors,
   server CPU per request;
4. maximum throughput, closed loop: single-drawing requests, and the batch form;
5. `/ws/classify`: `--low-sessions`, then `--sessions` sessions at 5 updates/s each,
   update-to-prediction p50/p99;
6. the ceiling: raw onnxruntime on pre-rasterised batches, and rasteriser + onnxruntime, with
   the server's one intra-op thread (served/raw is reported);
7. the peer: the same model run eagerly in PyTorch, one request at a time.

Prints one JSON document and writes it to bench/results/inference.json with the command.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import resource
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import numpy as np
import uvloop

from bench.classify_sessions import run_sessions
from bench.http_load import closed_loop, open_loop, open_pool, post
from bench.stack import Stack, children, cpu_seconds, start_stack
from game.strokes import Drawing
from game.synthetic import synth_drawings
from inference.raster import rasterize_batch
from inference.runtime import OnnxClassifier
from server.admin_accounts import create_admin
from server.heap import freeze_startup_heap
from store.models import ModelRow, insert_model
from store.objects import LocalObjectStore

RESULTS = Path(__file__).resolve().parent / "results"
ADMIN_EMAIL = "bench@example.org"
ADMIN_PASSWORD = "bench admin password 1"
TARGETS = {"http_p99_ms": 10.0, "max_classifications_per_s": 3000.0, "ws_p99_ms": 15.0}


def _ms(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)) * 1000, 2) if values else None


def _body(d: Drawing) -> bytes:
    strokes = [
        {
            "points": [
                {"x": float(x), "y": float(y), "pressure": float(p), "timestamp": int(t)}
                for x, y, t, p in zip(s.x, s.y, s.t, s.p, strict=True)
            ]
        }
        for s in d.strokes
    ]
    data = {
        "canvas": {"width": d.canvas_width, "height": d.canvas_height},
        "strokes": strokes,
        "duration_ms": d.duration_ms,
        "device": "mouse",
    }
    return json.dumps({"strokeData": data}).encode()


def train_model(per_shape: int, epochs: int) -> tuple[bytes, Any, float, float]:
    """(onnx bytes, the torch model, holdout accuracy, seconds) from workers/training."""
    from workers.training.config import TrainConfig
    from workers.training.export import export
    from workers.training.loop import train

    started = time.perf_counter()
    drawings = synth_drawings(per_shape, np.random.default_rng(7))
    # The production network (width 16) on a small set: batches of 64 give one-cycle enough
    # steps to converge in a few epochs (256 would leave it ~20 steps, still at chance).
    config = replace(TrainConfig(), epochs=epochs, batch_size=64)
    result = train(config, drawings, [d.shape_id for d in drawings])
    onnx_bytes = export(result.model, config, result.val_images).onnx_bytes
    return onnx_bytes, result.model, result.metrics.accuracy, time.perf_counter() - started


async def _connect(stack: Stack) -> asyncpg.Connection:
    conn = await asyncpg.connect(stack.env["DATABASE_URL"])
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    return conn


async def register(stack: Stack, onnx_bytes: bytes, accuracy: float) -> list[ModelRow]:
    """Two inactive models rows (v1, then v2 to swap to) sharing one artifact."""
    objects = LocalObjectStore(stack.dir / "objects")
    await objects.connect()
    conn = await _connect(stack)
    rows = []
    try:
        for _ in range(2):
            model_id = uuid.uuid4()
            key = f"models/{model_id}/model.onnx"
            await objects.put(key, onnx_bytes)
            await objects.put(f"models/{model_id}/model.json", b"{}")
            rows.append(
                await insert_model(
                    conn,
                    artifact_key=key,
                    metadata_key=f"models/{model_id}/model.json",
                    metrics={"accuracy": accuracy},
                    model_id=model_id,
                )
            )
    finally:
        await conn.close()
    return rows


@contextlib.asynccontextmanager
async def signed_in_admin(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """An admin signed in before any load runs (password hashing is not a swap's cost), on one
    keep-alive connection: activations then go through the admin API, as in production."""
    await create_admin(stack.env["DATABASE_URL"], ADMIN_EMAIL, ADMIN_PASSWORD)
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        login = await http.post(
            "/api/admin/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        login.raise_for_status()
        http.headers["X-CSRF-Token"] = login.json()["csrfToken"]
        yield http


async def activate(admin: httpx.AsyncClient, row: ModelRow) -> None:
    """What an admin's activation does: the transaction in a server process (one of those
    serving the load), then the message to every server."""
    (await admin.post(f"/api/admin/models/{row.id}/activate")).raise_for_status()


async def _serving(url: str, version: int, timeout: float = 30.0) -> None:
    """Until every server process serves `version`: each probe is a new connection, which the
    kernel hands to any process, and 20 in a row must agree (a process that missed it would
    slip through 20 probes with odds of 1 in 10^6 for two processes, 3,000 for three)."""
    deadline = time.monotonic() + timeout
    agreeing = 0
    fresh = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, limits=fresh) as http:
        while agreeing < 20:
            if time.monotonic() > deadline:
                raise TimeoutError(f"model v{version} not served after {timeout} s")
            r = await http.get("/api/inference/model/info")
            if r.status_code == 200 and r.json()["version"] == version:
                agreeing += 1
            else:
                agreeing = 0
                await asyncio.sleep(0.2)


async def http_fixed_rate(
    stack: Stack,
    bodies: list[bytes],
    rate: float,
    seconds: float,
    admin: httpx.AsyncClient,
    swap_to: ModelRow,
) -> dict[str, Any]:
    requests = [post("/api/inference/classify", b) for b in bodies]
    conns = await open_pool("127.0.0.1", stack.port, 64)
    await open_loop(conns, requests, rate, 3.0)  # warm-up: connections, caches, JIT-free
    pid = stack.procs["server"].pid
    cpu0 = cpu_seconds(pid)
    # The kernel spreads connections, not requests, over the processes: their CPU shows how
    # evenly this run's 64 connections happened to land.
    workers = children(pid) or [pid]
    per0 = [cpu_seconds(w) for w in workers]
    run = asyncio.create_task(open_loop(conns, requests, rate, seconds))
    await asyncio.sleep(seconds / 2)
    swap_at = time.monotonic()
    await activate(admin, swap_to)
    out = await run
    cpu = cpu_seconds(pid) - cpu0
    per = [cpu_seconds(w) - c for w, c in zip(workers, per0, strict=True)]
    for c in conns:
        await c.close()
    window: list[float] = []
    steady: list[float] = []
    for lat, at in zip(out.latencies, out.started, strict=True):
        (window if swap_at <= at < swap_at + 2.0 else steady).append(lat)
    return {
        "rate_rps": rate,
        "seconds": seconds,
        "completed": out.completed,
        "errors": out.errors,
        "p50_ms": _ms(out.latencies, 50),
        "p99_ms": _ms(out.latencies, 99),
        "max_ms": _ms(out.latencies, 100),
        "swap_window_requests": len(window),
        "swap_window_p99_ms": _ms(window, 99),
        "p99_ms_outside_swap_window": _ms(steady, 99),
        "server_cpu_us_per_request": round(cpu / max(out.completed, 1) * 1e6, 1),
        "busy_per_process": [round(c / seconds, 2) for c in per],
    }


async def http_max(
    stack: Stack, bodies: list[bytes], seconds: float, per_request: int, conns_n: int
) -> dict[str, Any]:
    if per_request == 1:
        requests = [post("/api/inference/classify", b) for b in bodies]
    else:
        requests = [
            post(
                "/api/inference/classify/batch",
                b'{"drawings": [' + b",".join(bodies[i : i + per_request]) + b"]}",
            )
            for i in range(0, len(bodies) - per_request + 1, per_request)
        ]
    conns = await open_pool("127.0.0.1", stack.port, conns_n)
    await closed_loop(conns, requests, 2.0)
    out, elapsed = await closed_loop(conns, requests, seconds)
    for c in conns:
        await c.close()
    ok = len(out.latencies)
    return {
        "drawings_per_request": per_request,
        "connections": conns_n,
        "requests_per_s": round(ok / elapsed, 1),
        "classifications_per_s": round(ok * per_request / elapsed, 1),
        "p50_ms": _ms(out.latencies, 50),
        "p99_ms": _ms(out.latencies, 99),
        "errors": out.errors,
    }


async def ws_sessions(
    stack: Stack, drawings: list[Drawing], sessions: int, seconds: float
) -> dict[str, Any]:
    pid = stack.procs["server"].pid
    warmup = 5.0
    cpu0 = cpu_seconds(pid)
    stats = await run_sessions(
        f"{stack.ws_url}/ws/classify", drawings, sessions, 5.0, warmup, seconds
    )
    cpu = cpu_seconds(pid) - cpu0
    return {
        "sessions": sessions,
        "updates_per_s_per_session": 5.0,
        "seconds": seconds,
        "updates": stats.sent,
        "updates_per_s": round(stats.sent / seconds, 1),
        "p50_ms": _ms(stats.latencies, 50),
        "p99_ms": _ms(stats.latencies, 99),
        "max_ms": _ms(stats.latencies, 100),
        "unanswered": stats.unanswered,
        "errors": stats.errors,
        "server_cpu_us_per_update": round(cpu / max(stats.sent_all, 1) * 1e6, 1),
    }


def raw_ceiling(onnx_bytes: bytes, drawings: list[Drawing], seconds: float) -> dict[str, Any]:
    """Throughput of the model alone, and of rasteriser + model, on one thread, batch 64."""
    model = OnnxClassifier.load(onnx_bytes, threads=1)
    model.warm(64)
    batches = [drawings[i : i + 64] for i in range(0, len(drawings) - 63, 64)]
    images = [rasterize_batch(b) for b in batches]

    def rate(step: Any) -> float:
        done, i, began = 0, 0, time.perf_counter()
        while time.perf_counter() - began < seconds:
            done += step(i % len(batches))
            i += 1
        return done / (time.perf_counter() - began)

    onnx_only = rate(lambda i: model.predict(images[i]).shape[0])
    pipeline = rate(lambda i: model.classify(batches[i]).shape[0])
    return {
        "batch": 64,
        "threads": 1,
        "onnx_images_per_s": round(onnx_only, 1),
        "raster_plus_onnx_per_s": round(pipeline, 1),
    }


def pytorch_eager(torch_model: Any, drawings: list[Drawing], seconds: float) -> dict[str, Any]:
    """The simple design: per request, rasterise one drawing and run the model eagerly."""
    import torch

    torch.set_num_threads(1)
    torch_model.eval()
    latencies = []
    began = time.perf_counter()
    i = 0
    with torch.no_grad():
        while time.perf_counter() - began < seconds:
            t0 = time.perf_counter()
            image = torch.from_numpy(rasterize_batch([drawings[i % len(drawings)]]))
            torch.softmax(torch_model(image), dim=1).numpy()
            latencies.append(time.perf_counter() - t0)
            i += 1
    return {
        "threads": 1,
        "requests_per_s": round(i / (time.perf_counter() - began), 1),
        "p50_ms": _ms(latencies, 50),
        "p99_ms": _ms(latencies, 99),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    load_before = os.getloadavg()
    onnx_bytes, torch_model, accuracy, train_s = train_model(args.per_shape, args.epochs)
    drawings = synth_drawings(40, np.random.default_rng(11))  # 200 request payloads
    bodies = [_body(d) for d in drawings]
    result: dict[str, Any] = {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "load_avg_at_start": [round(x, 2) for x in load_before],
        },
        "server_processes": args.processes,
        "model": {
            "trained_on_per_shape": args.per_shape,
            "epochs": args.epochs,
            "holdout_accuracy": round(accuracy, 4),
            "train_and_export_s": round(train_s, 1),
            "onnx_bytes": len(onnx_bytes),
            "payload_points_mean": round(float(np.mean([d.point_count for d in drawings])), 1),
        },
    }
    stack = await start_stack(server_processes=args.processes)
    try:
        rows = await register(stack, onnx_bytes, accuracy)
        async with signed_in_admin(stack) as admin:
            await activate(admin, rows[0])
            await _serving(stack.url, rows[0].version)
            # This process trained a model (torch's heap): a full collection of it mid-run
            # stalled the load generator for up to 170 ms, and every request in flight then
            # looked slow.
            freeze_startup_heap()
            # A rate the server sustains first (what a swap costs when it is not saturated),
            # then the target rate; each run swaps to the other model half-way.
            low = await http_fixed_rate(stack, bodies, args.low_rate, args.seconds, admin, rows[1])
            await _serving(stack.url, rows[1].version)
            high = await http_fixed_rate(stack, bodies, args.rate, args.seconds, admin, rows[0])
            await _serving(stack.url, rows[0].version)
        result["http_fixed_rate"] = [low, high]
        result["http_max_single"] = await http_max(stack, bodies, args.max_seconds, 1, 32)
        result["http_max_batch"] = await http_max(stack, bodies, args.max_seconds, 32, 8)
        result["ws_classify"] = [
            await ws_sessions(stack, drawings, n, args.seconds)
            for n in (args.low_sessions, args.sessions)
        ]
    finally:
        stack.stop()
    pool = synth_drawings(260, np.random.default_rng(12))
    result["raw_onnxruntime"] = raw_ceiling(onnx_bytes, pool, 5.0)
    result["pytorch_eager_per_request"] = pytorch_eager(torch_model, pool, 5.0)
    best = max(
        result["http_max_single"]["classifications_per_s"],
        result["http_max_batch"]["classifications_per_s"],
    )
    raw = result["raw_onnxruntime"]["raster_plus_onnx_per_s"]
    result["served_over_raw"] = {
        "single_requests": round(result["http_max_single"]["classifications_per_s"] / raw, 3),
        "batch_requests": round(result["http_max_batch"]["classifications_per_s"] / raw, 3),
    }
    result["targets"] = {
        "http_p99_ms_at_rate": {
            "target": TARGETS["http_p99_ms"],
            "measured": high["p99_ms"],
        },
        "max_classifications_per_s": {
            "target": TARGETS["max_classifications_per_s"],
            "measured_single_requests": result["http_max_single"]["classifications_per_s"],
            "measured_best": best,
        },
        "ws_p99_ms": {
            "target": TARGETS["ws_p99_ms"],
            "measured": result["ws_classify"][-1]["p99_ms"],
        },
    }
    result["machine"]["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="fixed-rate and ws runs")
    parser.add_argument("--max-seconds", type=float, default=10, help="each max-throughput run")
    parser.add_argument("--rate", type=float, default=1000, help="requests/s, open loop")
    parser.add_argument("--low-rate", type=float, default=250, help="a sustainable rate too")
    parser.add_argument("--sessions", type=int, default=500, help="/ws/classify sessions")
    parser.add_argument("--low-sessions", type=int, default=100, help="a lighter ws run too")
    parser.add_argument("--per-shape", type=int, default=300, help="training drawings per shape")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument(
        "--processes", type=int, default=1, help="server processes (DRAWSTREAM_SERVER_PROCESSES)"
    )
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    result = uvloop.run(run(args))  # the load generators' own CPU is the server's loss
    result["command"] = "python -m bench.inference " + " ".join(sys.argv[1:])
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    name = "inference.json" if args.processes == 1 else f"inference-{args.processes}proc.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
