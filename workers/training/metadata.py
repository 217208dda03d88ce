"""What a trained model says about itself: metrics, dataset snapshot, and `metadata.json`.

Three documents, all plain JSON with the Python names (snake_case):

- `metrics` (models.metrics, also in the job row): holdout accuracy and loss, per-class
  precision and recall keyed by shape name, the confusion matrix in `classes` order;
- `dataset` (models.dataset): the selection used and the drawings per shape, in total and in
  the train and validation parts, so two models can be compared on what they learnt from;
- `metadata.json`, written beside `model.onnx`: both of the above plus the model's interface
  (classes, input size, rasteriser version, exactly what the ONNX file's metadata_props say),
  the config, timings, and the validation drawings' ids, so a later comparison can score two
  models on the very drawings one of them was validated on.
"""

from __future__ import annotations

import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import torch

from game.shapes import shape_by_id
from inference.raster import RASTER_VERSION
from store.selection import Selection
from workers.training.config import TrainConfig
from workers.training.dataset import LabelledSet, stratified_split
from workers.training.export import INPUT_NAME, OPSET, OUTPUT_NAME, Exported
from workers.training.loop import TrainResult

FORMAT_VERSION = 1


def class_names(config: TrainConfig) -> list[str]:
    return [shape_by_id(i).name for i in config.shape_ids]


def metrics_doc(config: TrainConfig, result: TrainResult, exported: Exported) -> dict[str, Any]:
    names = class_names(config)
    m = result.metrics
    return {
        "accuracy": m.accuracy,
        "loss": m.loss,
        "classes": names,
        "precision": dict(zip(names, m.precision, strict=True)),
        "recall": dict(zip(names, m.recall, strict=True)),
        "confusion": m.confusion,  # [true class][predicted class], in `classes` order
        "validation_drawings": int(sum(result.val_counts)),
        "onnx_max_abs_diff": exported.max_abs_diff,
        "history": result.history,
        "steps": result.steps,
        "samples_per_s": round(result.samples_per_s, 1),
    }


def dataset_doc(config: TrainConfig, selection: Selection, result: TrainResult) -> dict[str, Any]:
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


def validation_ids(config: TrainConfig, data: LabelledSet, ids: Sequence[str]) -> list[str]:
    """The drawings `fit` held out: its split is a pure function of labels and seed."""
    _, val = stratified_split(data.labels, config.val_fraction, config.seed)
    return [ids[i] for i in val]


def model_metadata(
    *,
    model_id: str,
    job_id: str,
    kind: str,
    device: str,
    config: TrainConfig,
    metrics: dict[str, Any],
    dataset: dict[str, Any],
    timings: dict[str, float],
    validation_drawing_ids: list[str],
) -> dict[str, Any]:
    """`metadata.json` without the version and object keys, which registration adds."""
    return {
        "format": FORMAT_VERSION,
        "kind": kind,
        "model_id": model_id,
        "job_id": job_id,
        "created_at": datetime.now(UTC).isoformat(),
        # The interface, as the ONNX file's own metadata_props state it.
        "shape_ids": list(config.shape_ids),
        "shape_names": class_names(config),
        "image_size": config.image_size,
        "raster_version": RASTER_VERSION,
        "input": {"name": INPUT_NAME, "shape": ["batch", 1, config.image_size, config.image_size]},
        "output": {"name": OUTPUT_NAME, "shape": ["batch", len(config.shape_ids)]},
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
