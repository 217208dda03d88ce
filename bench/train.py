"""Train on synthetic drawings with the real pipeline; measure holdout and real-human accuracy.

    python -m bench.train --per-shape 10000

Generates N drawings per shape with game/synthetic.py (in parallel processes, each with its
own seed from one SeedSequence, so the data set is the same on every run), then runs what the
ARQ job runs, in-process and timed step by step: pack, fit, ONNX export and check. Scores the
ONNX model on the Quick, Draw! sample, which the model never trains on. Prints one JSON line
and writes bench/results/train.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import torch

from bench import quickdraw
from game.shapes import shape_by_id
from game.strokes import Drawing
from game.synthetic import synth_drawings
from inference.raster import rasterize_batch
from workers.training.compute import pick_device
from workers.training.config import TrainConfig
from workers.training.dataset import labelled_set
from workers.training.export import export, load_session, run_onnx
from workers.training.loop import Progress, fit

RESULTS = Path(__file__).resolve().parent / "results" / "train.json"


def _generate_part(per_shape: int, seed: tuple[int, ...]) -> list[Drawing]:
    rng = np.random.default_rng(np.random.SeedSequence(list(seed)))
    return synth_drawings(per_shape, rng)


def generate(per_shape: int, seed: int, workers: int) -> list[Drawing]:
    """`per_shape` drawings of each shape, split over `workers` processes."""
    shares = [per_shape // workers + (i < per_shape % workers) for i in range(workers)]
    seeds = [(seed, i) for i in range(workers)]
    if workers == 1:
        return _generate_part(per_shape, seeds[0])
    with ProcessPoolExecutor(workers) as pool:
        parts = pool.map(_generate_part, shares, seeds)
        return [d for part in parts for d in part]


def score_quickdraw(onnx_bytes: bytes, shape_ids: tuple[int, ...]) -> dict[str, Any]:
    """Accuracy of the exported model on the real drawings, per shape, with the misses."""
    rows = quickdraw.load()
    if not rows:
        return {"available": False}
    images = rasterize_batch([d for _, d in rows])  # (N, 1, S, S)
    probs = run_onnx(load_session(onnx_bytes), images)  # (N, C)
    predicted = [shape_ids[i] for i in probs.argmax(axis=1)]
    per_shape: dict[str, list[int]] = {}
    misses = []
    for (key, d), p, row in zip(rows, predicted, probs, strict=True):
        name = shape_by_id(d.shape_id).name
        hit = per_shape.setdefault(name, [0, 0])
        hit[1] += 1
        if p == d.shape_id:
            hit[0] += 1
        else:
            misses.append(
                {
                    "key_id": key,
                    "true": name,
                    "predicted": shape_by_id(p).name,
                    "confidence": round(float(row.max()), 3),
                }
            )
    correct = sum(h[0] for h in per_shape.values())
    return {
        "available": True,
        "drawings": len(rows),
        "accuracy": correct / len(rows),
        "per_shape": {k: v[0] / v[1] for k, v in per_shape.items()},
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-shape", type=int, default=10_000)
    parser.add_argument("--epochs", type=int, default=TrainConfig().epochs)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    drawings = generate(args.per_shape, args.seed, args.workers)
    generated = time.perf_counter()
    cpu_before = time.process_time()

    def progress(p: Progress) -> None:
        if not args.quiet:
            print(
                f"epoch {p.epoch}/{p.epochs} step {p.step}/{p.steps} {p.phase} "
                f"loss {p.loss:.4f} acc {p.accuracy:.4f} eta {p.eta_s:.0f}s "
                f"{p.samples_per_s:.0f} samples/s",
                file=sys.stderr,
            )

    config = TrainConfig(epochs=args.epochs, seed=args.seed, device=args.device)
    # What `workers.training.loop.train` does, timed step by step.
    data = labelled_set(drawings, [d.shape_id for d in drawings], config.shape_ids)
    packed = time.perf_counter()
    result = fit(config, data, progress)
    exported = export(result.model, config, result.val_images)
    finished = time.perf_counter()
    cpu_used = time.process_time() - cpu_before
    real = score_quickdraw(exported.onnx_bytes, config.shape_ids)

    names = [shape_by_id(i).name for i in config.shape_ids]
    report: dict[str, Any] = {
        "bench": "train",
        "command": " ".join(["python -m bench.train", *(sys.argv[1:] if argv is None else argv)]),
        "per_shape": args.per_shape,
        "shapes": names,
        "drawings": len(drawings),
        "epochs": config.epochs,
        "device": str(pick_device(config.device)),
        "torch_threads": config.num_threads or len(os.sched_getaffinity(0)),
        "generate_s": round(generated - started, 2),
        "pack_s": round(packed - generated, 2),
        "train_s": round(result.seconds, 2),
        "export_verify_s": round(finished - packed - result.seconds, 2),
        "pipeline_s": round(finished - generated, 2),
        # CPU seconds (all threads) of pack + train + export: less skewed than wall time when
        # other processes share the cores.
        "pipeline_cpu_s": round(cpu_used, 2),
        "total_s": round(finished - started, 2),
        "train_samples_per_s": round(result.samples_per_s, 1),
        "holdout_accuracy": result.metrics.accuracy,
        "holdout_drawings": len(result.val_images),
        "holdout_precision": dict(zip(names, result.metrics.precision, strict=True)),
        "holdout_recall": dict(zip(names, result.metrics.recall, strict=True)),
        "holdout_confusion": result.metrics.confusion,
        "onnx_max_abs_diff": exported.max_abs_diff,
        "onnx_bytes": len(exported.onnx_bytes),
        "quickdraw": real,
        "history": result.history,
        # Other processes on the machine skew every timing; the load says how much.
        "load_avg_1m_end": round(os.getloadavg()[0], 2),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "torch": torch.__version__,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(
        json.dumps(
            {
                k: report[k]
                for k in (
                    "per_shape",
                    "holdout_accuracy",
                    "train_s",
                    "pipeline_s",
                    "pipeline_cpu_s",
                    "total_s",
                    "train_samples_per_s",
                )
            }
            | {"quickdraw_accuracy": real.get("accuracy")}
        )
    )
    return report


if __name__ == "__main__":
    main()
