"""What a trained generator says about itself: metrics, dataset snapshot, and `metadata.json`.

The same three documents as a classifier's (workers/training/metadata.py), with the
generator's own measures: how well it reconstructs held-out drawings (point error in drawing
units, the share of steps put in the right stroke), how much its latent carries (KL), and its
interface (inputs, output, sequence length, latent size, time unit). There is no "accuracy":
how recognisable its drawings are is measured against a classifier, by bench/generate.py.
"""

from __future__ import annotations

import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import torch

from game.shapes import shape_by_id
from inference.generation import CONDITION_INPUT, KIND, LATENT_INPUT, OUTPUT_NAME
from store.selection import Selection
from workers.training.dataset import stratified_split
from workers.training.export import OPSET, Exported
from workers.training.generator.config import GeneratorConfig
from workers.training.generator.data import TIME_UNIT_MS, SequenceSet
from workers.training.generator.loop import GeneratorResult
from workers.training.metadata import FORMAT_VERSION


def class_names(config: GeneratorConfig) -> list[str]:
    return [shape_by_id(i).name for i in config.shape_ids]


def metrics_doc(
    config: GeneratorConfig, result: GeneratorResult, exported: Exported
) -> dict[str, Any]:
    return {
        **result.metrics.to_dict(),  # loss, point_rmse, stroke_accuracy, kl
        "classes": class_names(config),
        "validation_drawings": int(sum(result.val_counts)),
        "onnx_max_abs_diff": exported.max_abs_diff,
        "history": result.history,
        "steps": result.steps,
        "samples_per_s": round(result.samples_per_s, 1),
    }


def dataset_doc(
    config: GeneratorConfig, selection: Selection, result: GeneratorResult
) -> dict[str, Any]:
    names = class_names(config)
    train = dict(zip(names, result.train_counts, strict=True))
    val = dict(zip(names, result.val_counts, strict=True))
    return {
        "selection": selection.to_dict(),
        "counts": {n: train[n] + val[n] for n in names},
        "total": sum(train.values()) + sum(val.values()),
        "train": train,
        "validation": val,
    }


def validation_ids(config: GeneratorConfig, data: SequenceSet, ids: Sequence[str]) -> list[str]:
    """The drawings `fit` held out: its split is a pure function of labels and seed."""
    _, val = stratified_split(data.labels, config.val_fraction, config.seed)
    return [ids[i] for i in val]


def model_metadata(
    *,
    model_id: str,
    job_id: str,
    device: str,
    config: GeneratorConfig,
    metrics: dict[str, Any],
    dataset: dict[str, Any],
    timings: dict[str, float],
    validation_drawing_ids: list[str],
) -> dict[str, Any]:
    """`metadata.json` without the version and object keys, which registration adds."""
    n, z = len(config.shape_ids), config.latent_dim
    return {
        "format": FORMAT_VERSION,
        "kind": KIND,
        "model_id": model_id,
        "job_id": job_id,
        "created_at": datetime.now(UTC).isoformat(),
        # The interface, as the ONNX file's own metadata_props state it.
        "shape_ids": list(config.shape_ids),
        "shape_names": class_names(config),
        "seq_len": config.seq_len,
        "latent_dim": z,
        "time_unit_ms": TIME_UNIT_MS,
        "inputs": [
            {"name": CONDITION_INPUT, "shape": ["batch", n + config.max_strokes]},
            {"name": LATENT_INPUT, "shape": ["batch", z]},
        ],
        "output": {
            "name": OUTPUT_NAME,
            "shape": ["batch", config.seq_len, 4],
            "channels": ["dx", "dy", "dt", "stroke"],
        },
        "opset": OPSET,
        "metrics": metrics,
        "dataset": dataset,
        "config": config.to_dict(),
        "config_digest": config.digest(),
        "timings": timings,
        "trained_on": {
            "device": device,
            "torch": torch.__version__,
            "python": platform.python_version(),
        },
        "validation_drawing_ids": validation_drawing_ids,
    }
