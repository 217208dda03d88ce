"""`POST /api/inference/generate` against a real server: no generator, a registered one
(valid, deterministic drawings judged by the classifier), activation, and bad input."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import httpx
import numpy as np
import pytest

from game.limits import DEFAULT_LIMITS
from game.synthetic import synth_drawings
from game.validation import validate_drawing
from server.drawing_json import parse_drawing
from store import services
from store.feed import Feed
from store.keys import MODEL_CHANNEL
from store.models import GENERATOR, ModelRow, activate_model, announce_activation, insert_model
from tests.fixtures import LiveServer, run_server
from tests.model_fixtures import RegisterModel
from tests.training_helpers import wait_for


@pytest.fixture(scope="module")
def generator_onnx() -> bytes:
    """A tiny generator trained and exported through workers/training/generator (~2 s)."""
    from workers.training.generator.config import GeneratorConfig
    from workers.training.generator.export import export
    from workers.training.generator.loop import train_generator

    drawings = synth_drawings(30, np.random.default_rng(1))
    config = replace(GeneratorConfig.tiny(), num_threads=1)
    result = train_generator(config, drawings, [d.shape_id for d in drawings])
    return export(result).onnx_bytes


async def _register_generator(svc: services.Services, onnx: bytes) -> ModelRow:
    """Upload, insert and activate a generator, as training and an admin would."""
    model_id = uuid.uuid4()
    artifact, metadata = f"models/{model_id}/model.onnx", f"models/{model_id}/model.json"
    await svc.objects.put(artifact, onnx)
    await svc.objects.put(metadata, b"{}")
    row = await insert_model(
        svc.pool, artifact_key=artifact, metadata_key=metadata, kind=GENERATOR, model_id=model_id
    )
    async with svc.pool.acquire() as conn:
        return await activate_model(conn, row.id)


async def _generate(http: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await http.post("/api/inference/generate", json=body)


async def test_without_a_generator_it_is_a_503_until_a_working_one_is_activated(
    live_server: LiveServer, svc: services.Services, generator_onnx: bytes
) -> None:
    async with httpx.AsyncClient(base_url=live_server.url) as http:
        r = await _generate(http, shape="circle")
        assert r.status_code == 503 and r.headers["retry-after"] == "10"
        assert r.json()["error"] == "no_model"
        assert (await http.get("/health")).json()["generator"]["loaded"] is False

        async def listening() -> bool:
            subs = dict(await svc.redis.pubsub_numsub(MODEL_CHANNEL))
            return bool(subs.get(MODEL_CHANNEL.encode()))

        await wait_for(listening)
        broken = await _register_generator(svc, b"not an onnx file")
        await announce_activation(Feed(svc.redis), broken)

        async def failed() -> dict[str, Any] | None:
            error: dict[str, Any] | None = (await http.get("/health")).json()["generator"]["error"]
            return error

        assert (await wait_for(failed, timeout=15))["version"] == broken.version
        assert (await _generate(http, shape="circle")).status_code == 503

        row = await _register_generator(svc, generator_onnx)
        await announce_activation(Feed(svc.redis), row)

        async def served() -> httpx.Response | None:
            r = await _generate(http, shape="heart", seed=1)
            return r if r.status_code == 200 else None

        body = (await wait_for(served, timeout=15)).json()
        assert body["modelVersion"] == row.version and "classifier" not in body
        health = (await http.get("/health")).json()["generator"]
        assert health["loaded"] and health["version"] == row.version and health["error"] is None


async def test_drawings_are_valid_deterministic_and_judged_by_the_classifier(
    settings: Any, svc: services.Services, generator_onnx: bytes, register_model: RegisterModel
) -> None:
    classifier = await register_model()
    generator = await _register_generator(svc, generator_onnx)
    with run_server(settings) as server:  # loads both active models at start
        async with httpx.AsyncClient(base_url=server.url) as http:
            r = await _generate(http, shape="square", count=3, temperature=0.7, seed=42)
            assert r.status_code == 200, r.text
            body = r.json()
            assert body["shape"] == "square" and body["seed"] == 42
            assert body["temperature"] == 0.7 and body["modelVersion"] == generator.version
            assert body["generationTimeMs"] > 0
            assert len(body["drawings"]) == 3
            for item in body["drawings"]:
                drawing = parse_drawing({"shapeId": 3, **item}, DEFAULT_LIMITS)
                validate_drawing(drawing)  # exactly what a submission goes through
                assert drawing.device == "generated" and drawing.started_at_ms == 0
            assert [c["shape"] for c in body["classifier"]] and len(body["classifier"]) == 3
            assert all(0 < c["confidence"] <= 1 for c in body["classifier"])
            assert body["classifierVersion"] == classifier.version

            again = (await _generate(http, shape=3, count=3, temperature=0.7, seed=42)).json()
            assert again["drawings"] == body["drawings"]  # by name or id, same seed: same
            other = await _generate(http, shape="square", count=3, temperature=0.7, seed=43)
            assert other.json()["drawings"] != body["drawings"]

            picked = (await _generate(http, shape="line")).json()  # the server picks a seed
            replay = (await _generate(http, shape="line", seed=picked["seed"])).json()
            assert replay["drawings"] == picked["drawings"]
            assert picked["temperature"] == 1.0 and len(picked["drawings"]) == 1


async def test_bad_requests_name_every_bad_field(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url) as http:
        r = await _generate(http, shape="hexagon", count=17, temperature=5, seed=-1, colour=1)
        assert r.status_code == 400
        fields = [d["field"] for d in r.json()["details"]]
        assert fields == ["colour", "shape", "count", "temperature", "seed"]
        for body, field in (
            ({}, "shape"),
            ({"shape": True}, "shape"),
            ({"shape": 9}, "shape"),
            ({"shape": "line", "count": 2.5}, "count"),
            ({"shape": "line", "temperature": "hot"}, "temperature"),
            ({"shape": "line", "seed": 2**53}, "seed"),
        ):
            r = await http.post("/api/inference/generate", json=body)
            assert r.status_code == 400 and [d["field"] for d in r.json()["details"]] == [field]
        r = await http.post("/api/inference/generate", content=b"[1]")
        assert r.status_code == 400
