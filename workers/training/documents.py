"""What a trained model of any kind is registered with: metrics, dataset snapshot, `metadata.json`.

Three documents, all plain JSON with the Python names (snake_case):

- `metrics` (models.metrics, also in the job row): the kind's own measures on the held-out
  drawings (workers/training/metadata.py, workers/training/generator/metadata.py), then what
  every run reports: how many drawings it was validated on, how far the ONNX file strays from
  PyTorch, the per-epoch history, steps and throughput;
- `dataset` (models.dataset): the selection used and the drawings per shape, in total and in
  the train and validation parts, so two models can be compared on what they learnt from;
- `metadata.json`, written beside the ONNX file: both of the above plus the model's interface
  (exactly what the ONNX file's metadata_props say), the config, timings, and the validation
  drawings' ids, so a later comparison can score two models on the very drawings one of them
  was validated on.

The skeleton is one for every kind, so the admin portal and the model comparison read any
model's documents the same way; only the measures and the interface come from the kind.
"""

from __future__ import annotations

import platform
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from game.shapes import shape_by_id
from store.selection import Selection
from workers.training.dataset import stratified_split
from workers.training.export import OPSET, Exported
from workers.training.kind_config import KindConfig
from workers.training.loop import RunResult

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Documents:
    """What registration stores: models.metrics, models.dataset and `metadata.json`."""

    metrics: dict[str, Any]
    dataset: dict[str, Any]
    card: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Registration:
    """What the job knows at registration that training does not."""

    selection: Selection
    drawing_ids: Sequence[str]  # parallel to the training set
    device: str
    timings: dict[str, float]
    model_id: uuid.UUID
    job_id: uuid.UUID


def class_names(shape_ids: Sequence[int]) -> list[str]:
    return [shape_by_id(i).name for i in shape_ids]


def run_metrics(result: RunResult[Any, Any], exported: Exported) -> dict[str, Any]:
    """The end of every kind's metrics document: what the run itself measured."""
    return {
        "validation_drawings": int(sum(result.val_counts)),
        "onnx_max_abs_diff": exported.max_abs_diff,
        "history": result.history,
        "steps": result.steps,
        "samples_per_s": round(result.samples_per_s, 1),
    }


def documents(
    *,
    kind: str,
    result: RunResult[Any, Any],
    labels: npt.NDArray[np.int64],
    metrics: dict[str, Any],
    interface: dict[str, Any],
    registration: Registration,
) -> Documents:
    """The three documents of a model trained on a set with these `labels` (its class index
    per drawing, parallel to `registration.drawing_ids`). `interface` is what the kind's ONNX
    file declares beside its classes; `metadata.json` lacks the version and object keys,
    which registration adds."""
    config: KindConfig = result.config
    names = class_names(config.shape_ids)
    train = dict(zip(names, result.train_counts, strict=True))
    val = dict(zip(names, result.val_counts, strict=True))
    dataset = {
        "selection": registration.selection.to_dict(),
        "counts": {n: train[n] + val[n] for n in names},
        "total": sum(train.values()) + sum(val.values()),
        "train": train,
        "validation": val,
    }
    # The drawings `fit` held out: its split is a pure function of labels and seed.
    _, held_out = stratified_split(labels, config.val_fraction, config.seed)
    card = {
        "format": FORMAT_VERSION,
        "kind": kind,
        "model_id": str(registration.model_id),
        "job_id": str(registration.job_id),
        "created_at": datetime.now(UTC).isoformat(),
        # The interface, as the ONNX file's own metadata_props state it.
        "shape_ids": list(config.shape_ids),
        "shape_names": names,
        **interface,
        "opset": OPSET,
        "metrics": metrics,
        "dataset": dataset,
        "config": config.to_dict(),
        "config_digest": config.digest(),
        "timings": registration.timings,
        "trained_on": {
            "device": registration.device,
            "torch": torch.__version__,
            "python": platform.python_version(),
        },
        "validation_drawing_ids": [registration.drawing_ids[i] for i in held_out],
    }
    return Documents(metrics, dataset, card)
