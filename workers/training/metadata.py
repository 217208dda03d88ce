"""What a classifier's documents (workers/training/documents.py) hold that another kind's do not.

Its metrics: holdout accuracy and loss, per-class precision and recall keyed by shape name,
the confusion matrix in `classes` order. Its interface: the input size and rasteriser
version it was trained at, and its input and output tensors.
"""

from __future__ import annotations

from typing import Any

from inference.raster import RASTER_VERSION
from workers.training.config import TrainConfig
from workers.training.documents import class_names, run_metrics
from workers.training.export import INPUT_NAME, OUTPUT_NAME, Exported
from workers.training.loop import TrainResult


def metrics_doc(config: TrainConfig, result: TrainResult, exported: Exported) -> dict[str, Any]:
    names = class_names(config.shape_ids)
    m = result.metrics
    return {
        "accuracy": m.accuracy,
        "loss": m.loss,
        "classes": names,
        "precision": dict(zip(names, m.precision, strict=True)),
        "recall": dict(zip(names, m.recall, strict=True)),
        "confusion": m.confusion,  # [true class][predicted class], in `classes` order
        **run_metrics(result, exported),
    }


def interface(config: TrainConfig) -> dict[str, Any]:
    return {
        "image_size": config.image_size,
        "raster_version": RASTER_VERSION,
        "input": {"name": INPUT_NAME, "shape": ["batch", 1, config.image_size, config.image_size]},
        "output": {"name": OUTPUT_NAME, "shape": ["batch", len(config.shape_ids)]},
    }
