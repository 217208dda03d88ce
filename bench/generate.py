"""Train the generator on synthetic drawings and measure what issue 8 asks of it.

    python -m bench.generate --per-shape 2000

One run, everything in-process: N synthetic drawings per shape (game/synthetic.py, the data
`drawstream seed` submits), a classifier trained on them with workers/training (the judge),
the generator trained on the same drawings with workers/training/generator, both exported to
ONNX and loaded the way serving loads them. Then, per shape, 500 drawings generated at the
serving default temperature are

- validated as submissions (every one must pass),
- classified by the judge: the share classified as the requested shape (bar: >= 90%),
- compared for diversity: mean pairwise L2 distance between their rasters (inference/raster.py)
  against the same for 500 fresh seeded drawings of the shape (bar: ratio >= 0.5),
- timed: one request of one drawing at a time, sampling + decoding + validation, as the
  endpoint runs it (bar: <= 20 ms per drawing),
- checked for copying: the mean distance from each to its nearest training drawing, against
  the same for the fresh seeded drawings (a ratio near 1: as new as a new human drawing;
  near 0: replaying training drawings).

Prints one JSON line and writes bench/results/generate.json. Never touches ../shared/quickdraw-dev.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from bench.train import generate as synthesize
from game.shapes import shape_by_id
from game.strokes import Drawing
from game.validation import validate_drawing
from inference.generation import DEFAULT_TEMPERATURE, OnnxGenerator
from inference.raster import rasterize_batch
from inference.runtime import OnnxClassifier
from workers.training.config import TrainConfig
from workers.training.export import export as export_classifier
from workers.training.generator.config import GeneratorConfig
from workers.training.generator.export import export as export_generator
from workers.training.generator.loop import train_generator
from workers.training.loop import Progress, train

RESULTS = Path(__file__).resolve().parent / "results" / "generate.json"
F64 = npt.NDArray[np.float64]

RECOGNISED_BAR = 0.90
DIVERSITY_BAR = 0.5
MS_PER_DRAWING_BAR = 20.0


def _rasters(drawings: list[Drawing]) -> F64:
    return rasterize_batch(drawings).reshape(len(drawings), -1).astype(np.float64)  # (N, S*S)


def _distances(a: F64, b: F64) -> F64:
    """L2 distances (N, M) between the rows of a and b."""
    d2 = (a * a).sum(axis=1)[:, None] + (b * b).sum(axis=1)[None, :] - 2.0 * a @ b.T
    return np.asarray(np.sqrt(np.maximum(d2, 0.0)))


def mean_pairwise_distance(drawings: list[Drawing]) -> float:
    """Mean L2 distance between the rasters of every pair of drawings."""
    f = _rasters(drawings)
    return float(_distances(f, f)[np.triu_indices(len(f), 1)].mean())


def mean_nearest_distance(drawings: list[Drawing], reference: F64) -> float:
    """Mean L2 distance from each drawing's raster to its nearest reference raster."""
    return float(_distances(_rasters(drawings), reference).min(axis=1).mean())


def _timed_singles(
    generator: OnnxGenerator, shape_id: int, n: int, temperature: float, seed: int
) -> tuple[list[Drawing], F64]:
    """n one-drawing requests, as the endpoint serves them: ms per drawing for each."""
    drawings: list[Drawing] = []
    ms = np.empty(n)
    for i in range(n):
        started = time.perf_counter()
        [d] = generator.sample(shape_id, 1, temperature, seed + i)
        validate_drawing(d)
        ms[i] = (time.perf_counter() - started) * 1000
        drawings.append(d)
    return drawings, ms


def _batch_ms(generator: OnnxGenerator, shape_id: int, temperature: float, seed: int) -> float:
    """ms per drawing when a request asks for the most (16) at once."""
    started = time.perf_counter()
    for d in generator.sample(shape_id, 16, temperature, seed):
        validate_drawing(d)
    return (time.perf_counter() - started) * 1000 / 16


def evaluate_shape(
    generator: OnnxGenerator,
    judge: OnnxClassifier,
    real: list[Drawing],
    training: F64,
    shape_id: int,
    n: int,
    temperature: float,
    seed: int,
) -> dict[str, Any]:
    drawings, ms = _timed_singles(generator, shape_id, n, temperature, seed)
    probs = judge.classify(drawings)  # (N, C)
    predicted = [judge.spec.shape_names[i] for i in probs.argmax(axis=1)]
    name = shape_by_id(shape_id).name
    generated_spread = mean_pairwise_distance(drawings)
    real_spread = mean_pairwise_distance(real)
    generated_novelty = mean_nearest_distance(drawings, training)
    real_novelty = mean_nearest_distance(real, training)
    return {
        "drawings": n,
        "recognised": predicted.count(name) / n,
        "classified_as": {s: predicted.count(s) for s in judge.spec.shape_names if s in predicted},
        "diversity_generated": round(generated_spread, 4),
        "diversity_real": round(real_spread, 4),
        "diversity_ratio": round(generated_spread / real_spread, 4),
        "nearest_training_generated": round(generated_novelty, 4),
        "nearest_training_real": round(real_novelty, 4),
        "novelty_ratio": round(generated_novelty / real_novelty, 4),
        "ms_per_drawing_mean": round(float(ms.mean()), 3),
        "ms_per_drawing_p99": round(float(np.percentile(ms, 99)), 3),
        "ms_per_drawing_batch16": round(_batch_ms(generator, shape_id, temperature, seed), 3),
        "strokes_mean_generated": round(float(np.mean([len(d.strokes) for d in drawings])), 3),
        "strokes_mean_real": round(float(np.mean([len(d.strokes) for d in real])), 3),
        "duration_ms_median_generated": int(np.median([d.duration_ms for d in drawings])),
        "duration_ms_median_real": int(np.median([d.duration_ms for d in real])),
        "points_mean_generated": round(float(np.mean([d.point_count for d in drawings])), 1),
    }


def _progress(quiet: bool, what: str) -> Any:
    def report(p: Progress) -> None:
        if not quiet and p.phase == "eval":
            print(
                f"{what} epoch {p.epoch}/{p.epochs} loss {p.loss:.4f} acc {p.accuracy:.4f} "
                f"{p.samples_per_s:.0f} samples/s",
                file=sys.stderr,
            )

    return report


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-shape", type=int, default=2000, help="training drawings per shape")
    parser.add_argument("--samples", type=int, default=500, help="generated drawings per shape")
    parser.add_argument("--epochs", type=int, default=GeneratorConfig().epochs)
    parser.add_argument("--temperature", type=float, default=DEFAULT_TEMPERATURE)
    parser.add_argument(
        "--also-temperatures",
        type=float,
        nargs="*",
        default=[0.5, 1.5],
        help="further temperatures to report (recognised share and diversity only)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    drawings = synthesize(args.per_shape, args.seed, args.workers)
    real = synthesize(args.samples, args.seed + 1, args.workers)  # the diversity reference
    labels = [d.shape_id for d in drawings]
    synthesized = time.perf_counter()

    judge_config = TrainConfig(seed=args.seed)
    judged = train(judge_config, drawings, labels, _progress(args.quiet, "classifier"))
    judge = OnnxClassifier.load(
        export_classifier(judged.model, judge_config, judged.val_images).onnx_bytes
    )
    judge_trained = time.perf_counter()

    config = replace(GeneratorConfig(), epochs=args.epochs, seed=args.seed)
    result = train_generator(config, drawings, labels, _progress(args.quiet, "generator"))
    exported = export_generator(result)
    generator = OnnxGenerator.load(exported.onnx_bytes)  # one thread, as a server loads it
    generator.warm(16)
    generator_trained = time.perf_counter()

    def evaluate(shape_id: int, temperature: float) -> dict[str, Any]:
        return evaluate_shape(
            generator,
            judge,
            [d for d in real if d.shape_id == shape_id],
            _rasters([d for d in drawings if d.shape_id == shape_id]),
            shape_id,
            args.samples,
            temperature,
            args.seed,
        )

    per_shape = {shape_by_id(s).name: evaluate(s, args.temperature) for s in config.shape_ids}
    other_temperatures = {
        str(t): {
            shape_by_id(s).name: {
                k: v
                for k, v in evaluate(s, t).items()
                if k in ("recognised", "diversity_ratio", "novelty_ratio")
            }
            for s in config.shape_ids
        }
        for t in args.also_temperatures
    }
    finished = time.perf_counter()

    worst_recognised = min(v["recognised"] for v in per_shape.values())
    worst_diversity = min(v["diversity_ratio"] for v in per_shape.values())
    worst_ms = max(v["ms_per_drawing_mean"] for v in per_shape.values())
    report: dict[str, Any] = {
        "bench": "generate",
        "command": " ".join(
            ["python -m bench.generate", *(sys.argv[1:] if argv is None else argv)]
        ),
        "per_shape_training": args.per_shape,
        "samples_per_shape": args.samples,
        "temperature": args.temperature,
        "bars": {
            "recognised_min": RECOGNISED_BAR,
            "diversity_ratio_min": DIVERSITY_BAR,
            "ms_per_drawing_max": MS_PER_DRAWING_BAR,
        },
        "passed": {
            "recognised": worst_recognised >= RECOGNISED_BAR,
            "diversity": worst_diversity >= DIVERSITY_BAR,
            "speed": worst_ms <= MS_PER_DRAWING_BAR,
        },
        "worst": {
            "recognised": worst_recognised,
            "diversity_ratio": worst_diversity,
            "ms_per_drawing_mean": worst_ms,
        },
        "per_shape": per_shape,
        "other_temperatures": other_temperatures,
        "judge": {
            "holdout_accuracy": judged.metrics.accuracy,
            "epochs": judge_config.epochs,
            "train_s": round(judged.seconds, 2),
        },
        "generator": {
            "config": config.to_dict(),
            "metrics": result.metrics.to_dict(),
            "train_s": round(result.seconds, 2),
            "train_samples_per_s": round(result.samples_per_s, 1),
            "onnx_max_abs_diff": exported.max_abs_diff,
            "onnx_bytes": len(exported.onnx_bytes),
            "history": result.history,
        },
        "synthesize_s": round(synthesized - started, 2),
        "judge_s": round(judge_trained - synthesized, 2),
        "generator_s": round(generator_trained - judge_trained, 2),
        "evaluate_s": round(finished - generator_trained, 2),
        "total_s": round(finished - started, 2),
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
    print(json.dumps({"passed": report["passed"], "worst": report["worst"]}))
    return report


if __name__ == "__main__":
    main()
