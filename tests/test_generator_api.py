"""`POST /api/inference/generate` against a real server: no generator, a broken one, a working
one (valid, deterministic drawings judged by the classifier), bad input, and a generator
training job from the admin API to the endpoint."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from game.limits import DEFAULT_LIMITS
from game.shapes import SHAPES
from game.validation import validate_drawing
from server.drawing_json import parse_drawing
from server.errors import BadRequest
from store import services
from store.feed import Feed
from store.keys import MODEL_CHANNEL
from store.models import GENERATOR, announce_activation, model_by_id
from store.settings import Settings
from tests.admin_fixtures import AdminBrowser, Credentials
from tests.fixtures import LiveServer, run_server
from tests.generator_fixtures import RegisterGenerator
from tests.model_fixtures import RegisterModel
from tests.training_helpers import run_worker, seed_shapes, submit, wait_for
from workers.training.generator.config import GeneratorConfig


async def _generate(http: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await http.post("/api/inference/generate", json=body)


async def test_without_a_generator_it_is_a_503_until_a_working_one_is_activated(
    live_server: LiveServer,
    svc: services.Services,
    generator_onnx: bytes,
    register_generator: RegisterGenerator,
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
        broken = await register_generator(b"not an onnx file")
        await announce_activation(Feed(svc.redis), broken)

        async def failed() -> dict[str, Any] | None:
            error: dict[str, Any] | None = (await http.get("/health")).json()["generator"]["error"]
            return error

        assert (await wait_for(failed, timeout=15))["version"] == broken.version
        assert (await _generate(http, shape="circle")).status_code == 503

        row = await register_generator(generator_onnx)
        await announce_activation(Feed(svc.redis), row)

        async def served() -> httpx.Response | None:
            r = await _generate(http, shape="heart", seed=1)
            return r if r.status_code == 200 else None

        body = (await wait_for(served, timeout=15)).json()
        assert body["modelVersion"] == row.version and "classifier" not in body
        health = (await http.get("/health")).json()["generator"]
        assert health["loaded"] and health["version"] == row.version and health["error"] is None


async def test_drawings_are_valid_deterministic_and_judged_by_the_classifier(
    settings: Any,
    generator_onnx: bytes,
    register_generator: RegisterGenerator,
    register_model: RegisterModel,
) -> None:
    classifier = await register_model()
    generator = await register_generator(generator_onnx)
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


async def test_a_generator_job_trains_registers_and_is_served_once_activated(
    settings: Settings, svc: services.Services, admin_server: LiveServer, admin: Credentials
) -> None:
    """Issue 8 end to end: seeded drawings -> admin starts a generator job -> the worker
    trains, exports and registers it -> the admin activates it -> /generate serves it."""
    await seed_shapes(settings, per_shape=30)
    browser = AdminBrowser(admin_server)
    assert (await browser.login(admin.email, admin.password)).status_code == 200
    config = {**GeneratorConfig.tiny().to_dict(), "num_threads": 1}
    r = await browser.request(
        "POST", "/api/admin/training/start", json={"kind": "generator", "config": config}
    )
    assert r.status_code == 201, r.text
    job = r.json()
    assert job["kind"] == "generator" and job["config"]["latent_dim"] == 8

    await run_worker(settings)

    done = (await browser.request("GET", f"/api/admin/training/{job['id']}")).json()
    assert done["status"] == "succeeded", done["error"]
    assert done["metrics"]["onnx_max_abs_diff"] <= 1e-4 and "stroke_accuracy" in done["metrics"]
    row = await model_by_id(svc.pool, uuid.UUID(done["modelId"]))
    assert row is not None and row.kind == GENERATOR and row.version == 1
    assert row.artifact_key == "models/generator/v1/model.onnx"
    assert row.dataset["counts"] == {s.name: 30 for s in SHAPES}
    card = json.loads(await svc.objects.get(row.metadata_key))
    assert card["kind"] == "generator" and card["output"]["channels"][-1] == "stroke"

    r = await browser.request("POST", f"/api/admin/models/{row.id}/activate")
    assert r.status_code == 200, r.text

    async def served() -> httpx.Response | None:
        r = await browser.request("POST", "/api/inference/generate", json={"shape": "triangle"})
        return r if r.status_code == 200 else None

    body = (await wait_for(served, timeout=20)).json()
    assert body["modelVersion"] == 1
    [item] = body["drawings"]
    validate_drawing(parse_drawing({"shapeId": 4, **item}, DEFAULT_LIMITS))


async def test_bad_generator_jobs_are_refused_before_they_are_queued(
    svc: services.Services,
) -> None:
    with pytest.raises(BadRequest) as bad:
        await submit(svc, {"kind": "painter"})
    assert [d.field for d in bad.value.details] == ["kind"]
    with pytest.raises(BadRequest) as bad:
        await submit(svc, {"kind": "generator", "config": {"latent_dim": 0.5, "width": 8}})
    assert [d.field for d in bad.value.details] == ["config.latent_dim"]
    with pytest.raises(BadRequest) as bad:
        await submit(svc, {"kind": "generator", "config": {"width": 8}})
    assert "unknown config keys: width" in bad.value.details[0].message
