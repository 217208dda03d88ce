"""One exported shape classifier inside onnxruntime: load, check, warm, classify.

Everything here is synchronous and meant to run on a worker thread: onnxruntime releases the
GIL while it computes, so the event loop keeps serving while a batch runs.

A model file is self-describing (workers/training/export.py writes its class order, input size
and rasteriser version as ONNX metadata), so loading needs nothing but the bytes. A file that
does not load, was made for other pixels, or answers garbage on warm-up raises
`ModelLoadError` here, before anyone could route a request to it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import onnxruntime as ort

from inference.raster import RASTER_VERSION, RasterInput, rasterize_batch

F32 = npt.NDArray[np.float32]

# Probabilities of one image must sum to 1 within this (softmax in float32).
_SUM_TOLERANCE = 1e-3


class ModelLoadError(RuntimeError):
    """Raised when a model file cannot serve: unreadable, incompatible, or wrong on warm-up."""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """What a model file says about itself (its ONNX metadata)."""

    shape_ids: tuple[int, ...]  # class index -> shape id
    shape_names: tuple[str, ...]  # class index -> shape name
    image_size: int
    raster_version: int

    @classmethod
    def from_metadata(cls, meta: dict[str, str]) -> ModelSpec:
        try:
            spec = cls(
                tuple(int(i) for i in json.loads(meta["shape_ids"])),
                tuple(str(n) for n in json.loads(meta["shape_names"])),
                int(meta["image_size"]),
                int(meta["raster_version"]),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ModelLoadError(f"model metadata missing or malformed: {exc!r}") from None
        if not spec.shape_ids or len(spec.shape_ids) != len(spec.shape_names):
            raise ModelLoadError("model metadata: shape_ids and shape_names differ in length")
        if spec.raster_version != RASTER_VERSION:
            # Served pixels would differ from the trained ones: accuracy silently collapses.
            raise ModelLoadError(
                f"model was trained on raster version {spec.raster_version}, "
                f"this server rasterises version {RASTER_VERSION}"
            )
        if spec.image_size < 8:
            raise ModelLoadError(f"model input size {spec.image_size} is too small")
        return spec


def session_options(threads: int) -> ort.SessionOptions:
    """CPU options for serving beside an event loop.

    `threads` intra-op threads (the caller leaves the event loop a core), one inter-op thread,
    and no spinning: idle onnxruntime threads otherwise busy-wait for the next batch and take
    the CPU the event loop needs to parse requests.
    """
    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    options.log_severity_level = 3  # errors only; warnings about unused initialisers are noise
    return options


def open_session(onnx_bytes: bytes, threads: int, what: str) -> ort.InferenceSession:
    """A CPU session for a model file; a file onnxruntime refuses is a ModelLoadError."""
    try:
        return ort.InferenceSession(
            onnx_bytes, session_options(threads), providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise ModelLoadError(f"onnxruntime cannot load the {what}: {exc}") from exc


class OnnxClassifier:
    """A loaded, checked classifier: rasters or drawings in, (N, C) probabilities out."""

    def __init__(self, session: ort.InferenceSession, spec: ModelSpec) -> None:
        self.spec = spec
        self._session = session
        self._input = session.get_inputs()[0].name
        self._output = session.get_outputs()[0].name

    @classmethod
    def load(cls, onnx_bytes: bytes, threads: int = 1) -> OnnxClassifier:
        session = open_session(onnx_bytes, threads, "model")
        spec = ModelSpec.from_metadata(dict(session.get_modelmeta().custom_metadata_map))
        inputs, outputs = session.get_inputs(), session.get_outputs()
        if len(inputs) != 1 or len(outputs) < 1 or len(inputs[0].shape) != 4:
            raise ModelLoadError("model must take one (N, 1, S, S) input")
        return cls(session, spec)

    @property
    def classes(self) -> int:
        return len(self.spec.shape_ids)

    def predict(self, images: F32) -> F32:
        """Probabilities (N, C) for (N, 1, S, S) float32 rasters."""
        out = self._session.run([self._output], {self._input: images})[0]
        return np.asarray(out, dtype=np.float32)

    def classify(self, items: Sequence[RasterInput]) -> F32:
        """Probabilities (N, C) for drawings, through the one rasteriser training used."""
        return self.predict(rasterize_batch(items, self.spec.image_size))

    def warm(self, max_batch: int) -> None:
        """Run every power-of-two batch size up to `max_batch` once and check the answers.

        A model that fails at some batch size (one exported with a fixed batch) or whose
        outputs are not probabilities over its classes (NaN weights, a logits head) fails
        here instead of in production. A session's first run also costs ~0.5 ms more than
        the next (later batch sizes cost nothing extra the first time, measured up to 64);
        that too stays off the first request after a swap.
        """
        size = self.spec.image_size
        batch = 1
        while True:
            images = np.zeros((batch, 1, size, size), dtype=np.float32)
            images[:, :, size // 4 : -size // 4, size // 2] = 1.0  # a vertical bar
            try:
                probs = self.predict(images)
            except Exception as exc:  # onnxruntime raises its own untyped errors
                raise ModelLoadError(f"model fails on a batch of {batch}: {exc}") from exc
            if probs.shape != (batch, self.classes):
                raise ModelLoadError(
                    f"model answers shape {probs.shape}, expected ({batch}, {self.classes})"
                )
            if not np.isfinite(probs).all() or np.abs(probs.sum(axis=1) - 1).max() > (
                _SUM_TOLERANCE
            ):
                raise ModelLoadError("model outputs are not probabilities (softmax missing?)")
            if batch >= max_batch:
                return
            batch = min(batch * 2, max_batch)
