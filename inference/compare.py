"""Two classifiers on the same drawings: each one's top-1 answer per drawing.

Synchronous and CPU-bound (load two ONNX files, rasterise, run both): the admin route calls
it on a worker thread. Drawings pass through `OnnxClassifier.classify`, i.e. the one
rasteriser at each model's own input size, exactly as serving would see them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.strokes import Drawing
from inference.runtime import OnnxClassifier


@dataclass(frozen=True, slots=True)
class Top:
    shape: str
    confidence: float


@dataclass(frozen=True, slots=True)
class ModelAnswers:
    shapes: tuple[str, ...]  # the model's classes, in its output order
    top: list[Top]  # per drawing, in input order


def answers(classifier: OnnxClassifier, drawings: Sequence[Drawing]) -> ModelAnswers:
    names = classifier.spec.shape_names
    if not drawings:
        return ModelAnswers(names, [])
    probs = classifier.classify(drawings)  # (N, C)
    best = probs.argmax(axis=1)  # (N,)
    conf = probs[np.arange(len(drawings)), best]  # (N,)
    return ModelAnswers(
        names, [Top(names[int(i)], float(c)) for i, c in zip(best, conf, strict=True)]
    )


def compare_models(
    onnx_a: bytes, onnx_b: bytes, drawings: Sequence[Drawing]
) -> tuple[ModelAnswers, ModelAnswers]:
    """Load both models (ModelLoadError if either cannot serve) and answer every drawing."""
    a = OnnxClassifier.load(onnx_a)
    b = OnnxClassifier.load(onnx_b)
    return answers(a, drawings), answers(b, drawings)
