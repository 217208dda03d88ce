"""A tiny generator trained for the tests, and a factory that registers one.

Trained once per test session on synthetic drawings through workers/training/generator and
exported to ONNX (~2 s): the tests serve exactly what training produces. Quality is not what
these tests check; validity, determinism and the serving path are.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace

import numpy as np
import pytest

from game.synthetic import synth_drawings
from store import services
from store.models import GENERATOR, ModelRow, activate_model, insert_model


@pytest.fixture(scope="session")
def generator_onnx() -> bytes:
    from workers.training.generator.config import GeneratorConfig  # torch: only when needed
    from workers.training.generator.export import export
    from workers.training.generator.loop import train_generator

    drawings = synth_drawings(30, np.random.default_rng(1))
    config = replace(GeneratorConfig.tiny(), num_threads=1)
    result = train_generator(config, drawings, [d.shape_id for d in drawings])
    return export(result).onnx_bytes


RegisterGenerator = Callable[[bytes], Awaitable[ModelRow]]


@pytest.fixture
def register_generator(svc: services.Services) -> RegisterGenerator:
    """Factory: upload a generator artifact, insert its models row and activate it, as
    training and an admin would."""

    async def register(onnx: bytes) -> ModelRow:
        model_id = uuid.uuid4()
        artifact, metadata = f"models/{model_id}/model.onnx", f"models/{model_id}/model.json"
        await svc.objects.put(artifact, onnx)
        await svc.objects.put(metadata, b"{}")
        row = await insert_model(
            svc.pool,
            artifact_key=artifact,
            metadata_key=metadata,
            kind=GENERATOR,
            model_id=model_id,
        )
        async with svc.pool.acquire() as conn:
            return await activate_model(conn, row.id)

    return register
