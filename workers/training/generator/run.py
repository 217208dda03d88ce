"""The blocking part of a generator training job: fit, export to ONNX, prove the export matches.

The generator's counterpart of workers/training/run.py, reporting progress in the same fields
(so the admin portal follows either kind the same way) and failing the same way: an export
that does not load or disagrees with PyTorch is a `TrainingError` and nothing is registered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from workers.training.errors import TrainingError
from workers.training.export import Exported, ExportError
from workers.training.generator.config import GeneratorConfig
from workers.training.generator.data import SequenceSet
from workers.training.generator.export import export
from workers.training.generator.loop import GeneratorResult, fit, pick_device
from workers.training.loop import CancelCallback
from workers.training.run import DeviceUnavailable, progress_fields


def device_name(config: GeneratorConfig) -> str:
    """The device the run will use, as the device lock names it ("cpu", "cuda:0")."""
    if config.device == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailable(
            'the config asks for device "cuda" but this worker has no usable CUDA GPU '
            '(use "auto" to train on whatever the worker has)'
        )
    if pick_device(config).type == "cuda":
        return f"cuda:{torch.cuda.current_device()}"
    return "cpu"


@dataclass(frozen=True, slots=True, eq=False)
class TrainedGenerator:
    result: GeneratorResult
    exported: Exported
    export_s: float  # ONNX export + the onnxruntime-vs-PyTorch check


def train_and_export(
    config: GeneratorConfig,
    data: SequenceSet,
    progress: Callable[[dict[str, Any]], None],
    cancel: CancelCallback,
) -> TrainedGenerator:
    """Train on `data`, export and verify."""
    result = fit(config, data, lambda p: progress(progress_fields(p)), cancel)
    progress({"phase": "export"})
    started = time.perf_counter()
    try:
        exported = export(result)
    except ExportError as exc:
        raise TrainingError(f"the ONNX export was refused: {exc}") from exc
    return TrainedGenerator(result, exported, time.perf_counter() - started)
