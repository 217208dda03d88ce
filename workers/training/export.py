"""ONNX export of a trained classifier, checked against PyTorch before anyone may serve it.

The exported graph takes (N, 1, S, S) float32 rasters with a dynamic batch axis and returns
(N, C) softmax probabilities, so serving needs no post-processing and micro-batching can send
any batch size. The class order, image size and rasteriser version travel inside the file as
metadata: a model file is self-describing, and serving can refuse one made for other pixels.

The TorchScript-based exporter (`dynamo=False`) is used. On torch 2.13 both exporters work
for this model and agree to ~1e-8, but the dynamo one takes ~5 s instead of ~0.1 s (it traces
through torch.export) and leaks FutureWarnings from torch internals; the TorchScript one only
announces its own deprecation, which is silenced here. pyproject pins torch <= 2.13.0, where
it is still present; moving to `dynamo=True` is a one-line change when it has to happen.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnx
import onnxruntime as ort
import torch
from torch import nn

from game.shapes import shape_by_id
from inference.raster import RASTER_VERSION
from workers.training.config import TrainConfig
from workers.training.loop import predict_proba

F32 = npt.NDArray[np.float32]

INPUT_NAME = "image"
OUTPUT_NAME = "probabilities"
OPSET = 17
# The bar: ONNX and PyTorch probabilities may differ by at most this on any image.
MAX_ABS_DIFF = 1e-4


class ExportError(RuntimeError):
    """Raised when the model cannot be exported or the exported file cannot be loaded."""


class OnnxMismatch(ExportError):
    """Raised when onnxruntime's probabilities differ from PyTorch's beyond the tolerance."""

    def __init__(self, max_abs_diff: float, tolerance: float) -> None:
        super().__init__(f"ONNX differs from PyTorch by {max_abs_diff:.3g} > {tolerance:.3g}")
        self.max_abs_diff = max_abs_diff
        self.tolerance = tolerance


class _Probabilities(nn.Module):
    """The classifier with softmax folded in: what serving wants to read."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.model(x), dim=1)  # (N, 1, S, S) -> (N, C)


@dataclass(frozen=True, slots=True)
class Exported:
    onnx_bytes: bytes
    max_abs_diff: float  # measured on the verification images


def metadata(config: TrainConfig) -> dict[str, str]:
    """Key-value metadata stored in the ONNX file (strings only, as ONNX requires)."""
    return {
        "shape_ids": json.dumps(list(config.shape_ids)),
        "shape_names": json.dumps([shape_by_id(i).name for i in config.shape_ids]),
        "image_size": str(config.image_size),
        "raster_version": str(RASTER_VERSION),
        "config_digest": config.digest(),
    }


def to_onnx(model: nn.Module, config: TrainConfig) -> bytes:
    """Serialise `model` (eval mode, CPU) to ONNX bytes with softmax and metadata."""
    wrapped = _Probabilities(model.cpu().eval())
    example = torch.zeros(1, 1, config.image_size, config.image_size)  # (1, 1, S, S)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.onnx"
        try:
            with warnings.catch_warnings():
                # The TorchScript exporter announces its own deprecation; not our error.
                warnings.simplefilter("ignore", DeprecationWarning)
                torch.onnx.export(
                    wrapped,
                    (example,),
                    path,
                    input_names=[INPUT_NAME],
                    output_names=[OUTPUT_NAME],
                    dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
                    opset_version=OPSET,
                    dynamo=False,
                )
        except Exception as exc:  # the exporter raises many unrelated types
            raise ExportError(f"ONNX export failed: {exc}") from exc
        proto = onnx.load(path)
    for key, value in metadata(config).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    blob: bytes = proto.SerializeToString()
    return blob


def load_session(onnx_bytes: bytes, threads: int = 1) -> ort.InferenceSession:
    """An onnxruntime CPU session for the bytes; `ExportError` if it will not load."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(onnx_bytes, options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise ExportError(f"onnxruntime cannot load the model: {exc}") from exc


def run_onnx(session: ort.InferenceSession, images: F32, batch_size: int = 2048) -> F32:
    """Probabilities (N, C) from an onnxruntime session for (N, 1, S, S) images."""
    parts = [
        session.run([OUTPUT_NAME], {INPUT_NAME: images[lo : lo + batch_size]})[0]
        for lo in range(0, images.shape[0], batch_size)
    ]
    return np.concatenate(parts).astype(np.float32)


def verify(
    onnx_bytes: bytes, model: nn.Module, images: F32, tolerance: float = MAX_ABS_DIFF
) -> float:
    """Max |p_onnx - p_torch| over `images`; raises `OnnxMismatch` above `tolerance`."""
    expected = predict_proba(model.cpu().eval(), images, torch.device("cpu"))  # (N, C)
    got = run_onnx(load_session(onnx_bytes), images)  # (N, C)
    if got.shape != expected.shape:
        raise ExportError(f"ONNX output shape {got.shape} != PyTorch {expected.shape}")
    diff = float(np.abs(got - expected).max()) if got.size else 0.0
    if not diff <= tolerance:  # also catches NaN
        raise OnnxMismatch(diff, tolerance)
    return diff


def export(model: nn.Module, config: TrainConfig, verify_images: F32) -> Exported:
    """Export to ONNX and prove it matches PyTorch on `verify_images` (the validation set)."""
    blob = to_onnx(model, config)
    return Exported(blob, verify(blob, model, verify_images))
