"""A small trained classifier for the inference tests, and factories that register it.

The model is trained once per test session on synthetic drawings (seconds on a CPU), through
the real training code and ONNX export, so the tests serve exactly what training produces.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

import numpy as np
import pytest

from game.shapes import SHAPES
from game.strokes import Drawing, make_stroke
from game.synthetic import synth_drawings
from store import services
from store.models import ModelRow, activate_model, insert_model

CANVAS = 400


@dataclass(frozen=True, slots=True)
class TrainedModel:
    onnx: bytes
    accuracy: float


def _canonical_paths(name: str) -> list[np.ndarray]:
    """Unit-square outlines of each shape as a careful player draws them."""
    if name == "line":
        return [np.array([[0.1, 0.5], [0.9, 0.5]])]
    if name == "circle":
        a = np.linspace(0, 2 * np.pi, 64)
        return [np.stack([0.5 + 0.4 * np.cos(a), 0.5 + 0.4 * np.sin(a)], axis=1)]
    if name == "square":
        return [np.array([[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9], [0.1, 0.1]])]
    if name == "triangle":
        return [np.array([[0.5, 0.1], [0.9, 0.85], [0.1, 0.85], [0.5, 0.1]])]
    u = np.linspace(0, 2 * np.pi, 96)  # heart: the classic parametric curve, point down
    x = 16 * np.sin(u) ** 3
    y = -(13 * np.cos(u) - 5 * np.cos(2 * u) - 2 * np.cos(3 * u) - np.cos(4 * u))
    return [np.stack([0.5 + x / 40, 0.45 + y / 40], axis=1)]


def _densify(path: np.ndarray, step: float = 0.01) -> np.ndarray:
    out = [path[0]]
    for a, b in itertools.pairwise(path):
        n = max(int(np.hypot(*(b - a)) / step), 1)
        out.extend(a + (b - a) * (i / n) for i in range(1, n + 1))
    return np.array(out)


def clear_drawing(name: str) -> Drawing:
    """A clean, unambiguous drawing of shape `name` on a 400 x 400 canvas."""
    shape_id = next(s.id for s in SHAPES if s.name == name)
    strokes = []
    t0 = 0
    for path in _canonical_paths(name):
        pts = _densify(path) * CANVAS
        n = len(pts)
        strokes.append(make_stroke(pts[:, 0], pts[:, 1], t0 + np.arange(n) * 16))
        t0 += n * 16 + 200
    return Drawing(shape_id, tuple(strokes), CANVAS, CANVAS, t0, "mouse", 1_704_067_200_000)


@pytest.fixture(scope="session")
def trained_model() -> TrainedModel:
    """A tiny classifier trained through workers/training and exported to ONNX (~10 s).

    80 synthetic drawings per shape and 5 epochs of a narrow net: with these seeds it scores
    100% on its holdout and ranks every `clear_drawing` first by a wide margin.
    """
    from workers.training.config import TrainConfig  # torch: imported only when needed
    from workers.training.export import export
    from workers.training.loop import train

    drawings = synth_drawings(80, np.random.default_rng(0))
    config = replace(TrainConfig.tiny(), epochs=5, width=8, batch_size=32)
    result = train(config, drawings, [d.shape_id for d in drawings])
    return TrainedModel(
        export(result.model, config, result.val_images).onnx_bytes, result.metrics.accuracy
    )


RegisterModel = Callable[..., Awaitable[ModelRow]]


@pytest.fixture
def register_model(svc: services.Services, trained_model: TrainedModel) -> RegisterModel:
    """Factory: upload an artifact (the trained model unless `onnx` is given), insert its
    models row, and activate it unless `activate=False`, as training and an admin would."""

    async def register(onnx: bytes | None = None, activate: bool = True) -> ModelRow:
        model_id = uuid.uuid4()
        artifact, metadata = f"models/{model_id}/model.onnx", f"models/{model_id}/model.json"
        await svc.objects.put(artifact, trained_model.onnx if onnx is None else onnx)
        await svc.objects.put(metadata, json.dumps({"accuracy": trained_model.accuracy}).encode())
        row = await insert_model(
            svc.pool,
            artifact_key=artifact,
            metadata_key=metadata,
            metrics={"accuracy": trained_model.accuracy},
            model_id=model_id,
        )
        if activate:
            async with svc.pool.acquire() as conn:
                row = await activate_model(conn, row.id)
        return row

    return register
