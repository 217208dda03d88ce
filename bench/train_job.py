"""Training as an admin runs it: from `POST /api/admin/training/start` to a models row.

    python -m bench.train_job --per-shape 10000

Starts a real stack (embedded PostgreSQL and Valkey, `drawstream server` and `drawstream
worker` as separate processes; bench/stack.py), seeds N synthetic drawings per shape through
the real ingestion path (what `drawstream seed` does, split over `--seed-procs` processes),
waits until every one is flushed to shards and rows, logs in as an admin and starts a training
job with the default config. The clock runs from just before the start request until the
models row exists. Then the registered ONNX file is fetched from the object store and scored
on the Quick, Draw! sample (never trained on). Prints one JSON line and writes
bench/results/train_job.json with the command, the job's own phase timings and the load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import torch

from bench.stack import Stack, start_stack
from bench.train import score_quickdraw
from server import passwords
from server.csrf import CSRF_HEADER
from server.seed import seed
from store import admin_users
from store.objects import LocalObjectStore
from store.settings import Settings

RESULTS = Path(__file__).resolve().parent / "results" / "train_job.json"
EMAIL, PASSWORD = "bench@example.org", "bench password, long enough"


def _settings(stack: Stack) -> Settings:
    return Settings(
        data_dir=stack.dir,
        database_url=stack.env["DATABASE_URL"],
        redis_url=stack.env["REDIS_URL"],
    )


def _seed_part(settings: Settings, per_shape: int, rng_seed: int) -> int:
    with open(os.devnull, "w") as quiet:
        return asyncio.run(seed(settings, per_shape, rng_seed, out=quiet)).submitted


async def _seed(stack: Stack, per_shape: int, procs: int) -> float:
    """Seed through the ingestion path; seconds until every drawing is a stored row."""
    started = time.perf_counter()
    shares = [per_shape // procs + (i < per_shape % procs) for i in range(procs)]
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(procs) as pool:
        parts = [
            loop.run_in_executor(pool, _seed_part, _settings(stack), n, 1000 + i)
            for i, n in enumerate(shares)
        ]
        total = sum(await asyncio.gather(*parts))
    conn = await asyncpg.connect(stack.env["DATABASE_URL"])
    try:
        # The running worker's flusher may still hold the stream's last entries.
        while (stored := await conn.fetchval("SELECT count(*) FROM drawings")) < total:
            print(f"flushed {stored}/{total}", file=sys.stderr)
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
    return time.perf_counter() - started


async def _login(stack: Stack, client: httpx.AsyncClient) -> str:
    conn = await asyncpg.connect(stack.env["DATABASE_URL"])
    try:
        await admin_users.create(conn, EMAIL, passwords.hash_password(PASSWORD))
    finally:
        await conn.close()
    r = await client.post("/api/admin/login", json={"email": EMAIL, "password": PASSWORD})
    r.raise_for_status()
    token: str = r.json()["csrfToken"]
    return token


async def _wait_for_model(dsn: str, job_id: str, quiet: bool) -> dict[str, Any]:
    """Poll until the job's models row exists (or the job ended without one)."""
    conn = await asyncpg.connect(dsn)
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    last = ""
    try:
        while True:
            model = await conn.fetchrow("SELECT * FROM models WHERE job_id = $1", job_id)
            if model is not None:
                return dict(model)
            job = await conn.fetchrow(
                "SELECT status, progress, error FROM training_jobs WHERE id = $1", job_id
            )
            if job["status"] in ("failed", "cancelled"):
                raise RuntimeError(f"training job {job['status']}: {job['error']}")
            p = job["progress"]
            line = f"{job['status']} {p.get('phase')} epoch {p.get('epoch')} step {p.get('step')}"
            if not quiet and line != last:
                print(line, f"loss {p.get('loss')} eta {p.get('etaS')}s", file=sys.stderr)
                last = line
            await asyncio.sleep(0.1)
    finally:
        await conn.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    load_start = os.getloadavg()
    stack = await start_stack()
    try:
        seed_s = await _seed(stack, args.per_shape, args.seed_procs)
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as client:
            csrf = await _login(stack, client)
            load_at_start = os.getloadavg()
            started = time.perf_counter()
            r = await client.post("/api/admin/training/start", json={}, headers={CSRF_HEADER: csrf})
            r.raise_for_status()
            job_id = r.json()["id"]
            model = await _wait_for_model(stack.env["DATABASE_URL"], job_id, args.quiet)
            elapsed = time.perf_counter() - started
            load_end = os.getloadavg()
            job = (await client.get(f"/api/admin/training/{job_id}")).json()
        objects = LocalObjectStore(stack.dir / "objects")
        await objects.connect()
        try:
            onnx = await objects.get(model["artifact_key"])
            card = json.loads(await objects.get(model["metadata_key"]))
        finally:
            await objects.close()
        metrics = model["metrics"]
        shape_ids = tuple(card["shape_ids"])
    finally:
        stack.stop()
    real = score_quickdraw(onnx, shape_ids)
    return {
        "bench": "train_job",
        "command": " ".join(["python -m bench.train_job", *args.argv]),
        "per_shape": args.per_shape,
        "drawings": model["dataset"]["total"],
        "seed_s": round(seed_s, 1),
        "job_start_to_models_row_s": round(elapsed, 2),
        "target_s": 180,
        "job_timings_s": job["metrics"]["timings"],
        "holdout_accuracy": metrics["accuracy"],
        "holdout_drawings": metrics["validation_drawings"],
        "holdout_precision": metrics["precision"],
        "holdout_recall": metrics["recall"],
        "holdout_confusion": metrics["confusion"],
        "onnx_max_abs_diff": metrics["onnx_max_abs_diff"],
        "train_samples_per_s": metrics["samples_per_s"],
        "config": job["config"],
        "model_version": model["version"],
        "artifact_key": model["artifact_key"],
        "quickdraw": {k: v for k, v in real.items() if k != "misses"},
        # Other engineers' processes share this machine; the load says how much they took.
        "load_avg_1m": {
            "bench_start": round(load_start[0], 2),
            "job_start": round(load_at_start[0], 2),
            "job_end": round(load_end[0], 2),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "torch": torch.__version__,
            "cuda": torch.cuda.is_available(),
        },
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-shape", type=int, default=10_000)
    parser.add_argument("--seed-procs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else argv
    report = asyncio.run(run(args))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(
        json.dumps(
            {
                k: report[k]
                for k in (
                    "per_shape",
                    "job_start_to_models_row_s",
                    "holdout_accuracy",
                    "train_samples_per_s",
                    "load_avg_1m",
                )
            }
            | {"quickdraw_accuracy": report["quickdraw"].get("accuracy")}
        )
    )
    return report


if __name__ == "__main__":
    main()
