"""The blocking part of one training job: fit, export to ONNX, prove the export matches.

Called on a worker thread by workers/train_job.py; everything here is CPU/GPU work with no
I/O, so the event loop keeps heartbeating meanwhile. This is the only module of the job that
imports PyTorch, and the job imports it lazily: a worker without the `train` extra still
flushes drawings and fails training jobs with a readable message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from workers.training.config import TrainConfig
from workers.training.dataset import LabelledSet
from workers.training.errors import TrainingError
from workers.training.export import Exported, ExportError, export
from workers.training.loop import CancelCallback, Progress, TrainResult, fit, pick_device


class DeviceUnavailable(TrainingError):
    """Raised when the config demands a device this worker does not have."""


def device_name(config: TrainConfig) -> str:
    """The device the run will use, as the device lock names it ("cpu", "cuda:0")."""
    if config.device == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailable(
            'the config asks for device "cuda" but this worker has no usable CUDA GPU '
            '(use "auto" to train on whatever the worker has)'
        )
    if pick_device(config).type == "cuda":
        return f"cuda:{torch.cuda.current_device()}"
    return "cpu"


def progress_fields(p: Progress) -> dict[str, Any]:
    """A loop `Progress` as the job row and the admin feed carry it (camelCase, rounded)."""
    return {
        "phase": p.phase,
        "epoch": p.epoch,
        "epochs": p.epochs,
        "step": p.step,
        "steps": p.steps,
        "loss": round(p.loss, 5),
        "accuracy": round(p.accuracy, 5),
        "etaS": round(p.eta_s, 1),
        "samplesPerS": round(p.samples_per_s, 1),
    }


@dataclass(frozen=True, slots=True, eq=False)
class Trained:
    result: TrainResult
    exported: Exported
    export_s: float  # ONNX export + the onnxruntime-vs-PyTorch check


def train_and_export(
    config: TrainConfig,
    data: LabelledSet,
    progress: Callable[[dict[str, Any]], None],
    cancel: CancelCallback,
) -> Trained:
    """Train on `data`, export and verify: an export that does not load, or whose answers
    differ from PyTorch's by more than 1e-4, is a `TrainingError` (nothing gets registered)."""
    result = fit(config, data, lambda p: progress(progress_fields(p)), cancel)
    progress({"phase": "export"})
    started = time.perf_counter()
    try:
        exported = export(result.model, config, result.val_images)
    except ExportError as exc:
        raise TrainingError(f"the ONNX export was refused: {exc}") from exc
    return Trained(result, exported, time.perf_counter() - started)
