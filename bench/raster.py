"""Rasteriser throughput: drawings/s on one core, single thread.

    python -m bench.raster

Rasterises seeded synthetic drawings (raw 60/120 Hz captures, ~100 points each: what
players submit) in batches through `rasterize_batch` (packing included), and the sparse
Quick, Draw! sample; also the latency of one drawing alone (the serving case). Reports the
median of several repeats. Prints one JSON line and writes bench/results/raster.json.
"""

from __future__ import annotations

import os

# One thread for every numeric library, before numpy loads: the figure is per core.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from bench import quickdraw  # noqa: E402
from game.synthetic import synth_drawings  # noqa: E402
from inference.raster import IMAGE_SIZE, RASTER_VERSION, rasterize, rasterize_batch  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "raster.json"


def _median_seconds(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm caches and allocator
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    drawings = synth_drawings(-(-args.drawings // 5), np.random.default_rng(0))[: args.drawings]
    batches = [drawings[i : i + args.batch] for i in range(0, len(drawings), args.batch)]

    def run_all() -> None:
        for b in batches:
            rasterize_batch(b)

    synthetic_s = _median_seconds(run_all, args.repeats)
    real = [d for _, d in quickdraw.load()]
    real_rate = None
    if real:
        real_batch = (real * (args.batch // len(real) + 1))[: args.batch]
        real_rate = args.batch / _median_seconds(lambda: rasterize_batch(real_batch), args.repeats)
    single = drawings[:200]
    single_s = _median_seconds(lambda: [rasterize(d) for d in single], args.repeats) / len(single)

    report: dict[str, Any] = {
        "bench": "raster",
        "command": " ".join(["python -m bench.raster", *(sys.argv[1:] if argv is None else argv)]),
        "image_size": IMAGE_SIZE,
        "raster_version": RASTER_VERSION,
        "threads": 1,
        "batch": args.batch,
        "drawings": len(drawings),
        "points_per_drawing": sum(d.point_count for d in drawings) / len(drawings),
        "drawings_per_s": len(drawings) / synthetic_s,
        "quickdraw_drawings_per_s": real_rate,
        "single_drawing_us": single_s * 1e6,
        # Other processes on the machine skew every timing; the load says how much.
        "load_avg_1m_end": round(os.getloadavg()[0], 2),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report))
    return report


if __name__ == "__main__":
    main()
