"""`/api/admin/training*` and `/api/admin/models*` as an admin's browser uses them, with a
real ARQ worker running the jobs in-process."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import numpy as np
import onnxruntime as ort

from game.shapes import SHAPES
from game.synthetic import synth_drawings
from inference.raster import IMAGE_SIZE, RASTER_VERSION, rasterize_batch
from inference.runtime import OnnxClassifier
from store import keys, services
from store.job_status import JobStatus
from store.settings import Settings
from tests.admin_fixtures import AdminBrowser, Credentials
from tests.fixtures import LiveServer
from tests.model_fixtures import clear_drawing
from tests.training_helpers import (
    ACCURATE,
    FAST,
    SLOW,
    admin_events,
    run_worker,
    seed_shapes,
    training_started,
    wait_for,
)


async def _browser(server: LiveServer, admin: Credentials) -> AdminBrowser:
    browser = AdminBrowser(server)
    assert (await browser.login(admin.email, admin.password)).status_code == 200
    return browser


async def test_a_started_job_trains_registers_and_serves_a_model(
    settings: Settings, svc: services.Services, admin_server: LiveServer, admin: Credentials
) -> None:
    await seed_shapes(settings)
    browser = await _browser(admin_server, admin)
    r = await browser.request("POST", "/api/admin/training/start", json={"config": ACCURATE})
    assert r.status_code == 201, r.text
    job = r.json()
    assert job["status"] == "queued" and job["config"]["epochs"] == 5
    assert job["selection"]["synthetic"] is True and len(job["configHash"]) == 64
    assert r.headers["location"] == f"/api/admin/training/{job['id']}"

    async with admin_events(svc) as events:
        await run_worker(settings)

    done = (await browser.request("GET", f"/api/admin/training/{job['id']}")).json()
    assert done["status"] == "succeeded", done["error"]
    assert done["error"] is None and done["worker"] and done["durationS"] > 0
    assert done["progress"]["phase"] == "succeeded" and done["progress"]["epoch"] == 5
    metrics = done["metrics"]
    assert metrics["accuracy"] >= 0.9 and metrics["onnx_max_abs_diff"] <= 1e-4
    assert set(metrics["precision"]) == {s.name for s in SHAPES}
    assert sum(map(sum, metrics["confusion"])) == metrics["validation_drawings"] == 30
    assert {"load_s", "train_s", "export_s", "total_s"} <= set(metrics["timings"])

    mine = [e for e in events if e.get("jobId") == job["id"]]
    assert mine[0]["status"] == "running" and mine[-1]["status"] == "succeeded"
    last = mine[-1]
    assert last["modelId"] == done["modelId"] and last["version"] == 1
    assert last["step"] == last["steps"] and last["accuracy"] == metrics["accuracy"]
    assert [h["epoch"] for h in last["history"]] == [1, 2, 3, 4, 5]
    assert done["progress"]["history"] == last["history"]

    models = (await browser.request("GET", "/api/admin/models")).json()["models"]
    assert len(models) == 1
    model = models[0]
    assert model["id"] == done["modelId"] and model["version"] == 1
    assert model["jobId"] == job["id"] and not model["isActive"]
    assert model["artifactKey"] == "models/classifier/v1/model.onnx"
    assert model["dataset"]["counts"] == {s.name: 60 for s in SHAPES}
    assert model["dataset"]["selection"]["min_quality"] == 0.5

    blob = await svc.objects.get(model["artifactKey"])
    session = ort.InferenceSession(blob, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    assert json.loads(meta["shape_ids"]) == [s.id for s in SHAPES]
    assert int(meta["raster_version"]) == RASTER_VERSION
    served = OnnxClassifier.load(blob)  # what every server process does on activation
    for shape in SHAPES:
        probs = served.classify([clear_drawing(shape.name)])[0]
        assert served.spec.shape_names[int(probs.argmax())] == shape.name
    fresh = synth_drawings(10, np.random.default_rng(123))
    predicted = np.array(served.spec.shape_ids)[served.predict(rasterize_batch(fresh)).argmax(1)]
    assert (predicted == [d.shape_id for d in fresh]).mean() >= 0.9

    card = json.loads(await svc.objects.get(model["metadataKey"]))
    assert card["version"] == 1 and card["job_id"] == job["id"]
    assert card["shape_names"] == [s.name for s in SHAPES]
    assert card["raster_version"] == RASTER_VERSION and card["image_size"] == IMAGE_SIZE
    assert len(card["validation_drawing_ids"]) == 30
    assert card["metrics"]["recall"] == metrics["recall"]

    r = await browser.request("POST", f"/api/admin/models/{model['id']}/activate")
    assert r.status_code == 200 and r.json()["isActive"]
    # The server loads the model on the activation message and serves it.
    assert await wait_for(lambda: _served_version(browser), timeout=20) == 1


async def _live_step(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A running event carrying training progress, once one has arrived."""
    for e in events:
        if e.get("status") == "running" and "step" in e:
            assert {"epoch", "loss", "accuracy", "etaS", "steps", "samplesPerS"} <= set(e)
            return e
    return None


async def _served_version(browser: AdminBrowser) -> int | None:
    r = await browser.request("GET", "/api/inference/model/info")
    return r.json()["version"] if r.status_code == 200 else None


async def test_start_is_idempotent_while_the_same_job_is_in_flight(
    svc: services.Services, admin_server: LiveServer, admin: Credentials
) -> None:
    browser = await _browser(admin_server, admin)
    body = {"config": FAST, "selection": {"min_quality": 0.6}}
    first = await browser.request("POST", "/api/admin/training/start", json=body)
    again = await browser.request("POST", "/api/admin/training/start", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other = {"config": FAST, "selection": {"min_quality": 0.7}}
    third = await browser.request("POST", "/api/admin/training/start", json=other)
    assert third.status_code == 201 and third.json()["id"] != first.json()["id"]
    # Exactly one ARQ job per training job, keyed by the training job id.
    queued = {m.decode() for m in await svc.redis.zrange(keys.JOB_QUEUE, 0, -1)}
    assert queued == {first.json()["id"], third.json()["id"]}


async def test_bad_requests_name_every_bad_field(
    admin_server: LiveServer, admin: Credentials
) -> None:
    browser = await _browser(admin_server, admin)
    r = await browser.request(
        "POST",
        "/api/admin/training/start",
        json={
            "config": {"epochs": 2.5, "shape_ids": [1, 9], "lr": "fast", "batch_size": 10**6},
            "selection": {"min_quality": 2, "created_from": "yesterday", "synthetic": "no"},
            "extra": 1,
        },
    )
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "invalid_config"
    assert {d["field"] for d in body["details"]} == {
        "extra",
        "config.epochs",
        "config.shape_ids",
        "config.lr",
        "config.batch_size",
        "selection.min_quality",
        "selection.created_from",
        "selection.synthetic",
    }
    r = await browser.request(
        "POST", "/api/admin/training/start", json={"config": {"val_fraction": 1.5}}
    )
    assert r.status_code == 400 and r.json()["details"][0]["field"] == "config"
    assert (await browser.request("GET", f"/api/admin/training/{uuid.uuid4()}")).status_code == 404
    r = await browser.request("GET", "/api/admin/training?limit=0")
    assert r.status_code == 400


async def test_training_routes_need_an_admin_and_csrf(
    admin_server: LiveServer, admin: Credentials
) -> None:
    browser = await _browser(admin_server, admin)
    for method, path in (
        ("POST", "/api/admin/training/start"),
        ("GET", "/api/admin/training"),
        ("GET", f"/api/admin/training/{uuid.uuid4()}"),
        ("POST", f"/api/admin/training/{uuid.uuid4()}/cancel"),
        ("GET", "/api/admin/models"),
        ("POST", f"/api/admin/models/{uuid.uuid4()}/activate"),
    ):
        r = await browser.request(method, path, json={}, with_session=False)
        assert r.status_code == 401, path
        if method == "POST":
            r = await browser.request(method, path, json={}, with_csrf=False)
            assert r.status_code == 403, path


async def test_jobs_list_newest_first_in_pages(
    admin_server: LiveServer, admin: Credentials
) -> None:
    browser = await _browser(admin_server, admin)
    ids = []
    for q in (0.1, 0.2, 0.3):
        r = await browser.request(
            "POST", "/api/admin/training/start", json={"selection": {"min_quality": q}}
        )
        ids.append(r.json()["id"])
    first = (await browser.request("GET", "/api/admin/training?limit=2")).json()
    assert [j["id"] for j in first["jobs"]] == ids[::-1][:2]
    rest = await browser.request("GET", f"/api/admin/training?limit=2&before={first['next']}")
    assert [j["id"] for j in rest.json()["jobs"]] == ids[:1] and rest.json()["next"] is None


async def test_cancelling_a_queued_job_ends_it_before_any_worker_runs_it(
    settings: Settings, admin_server: LiveServer, admin: Credentials
) -> None:
    browser = await _browser(admin_server, admin)
    job = (await browser.request("POST", "/api/admin/training/start", json={})).json()
    r = await browser.request("POST", f"/api/admin/training/{job['id']}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    await run_worker(settings)  # the queued ARQ job finds the row cancelled and does nothing
    after = (await browser.request("GET", f"/api/admin/training/{job['id']}")).json()
    assert after["status"] == "cancelled" and after["startedAt"] is None
    again = await browser.request("POST", f"/api/admin/training/{job['id']}/cancel")
    assert again.status_code == 409


async def test_cancelling_a_running_job_stops_its_training(
    settings: Settings, svc: services.Services, admin_server: LiveServer, admin: Credentials
) -> None:
    await seed_shapes(settings, per_shape=20)
    browser = await _browser(admin_server, admin)
    job = (await browser.request("POST", "/api/admin/training/start", json={"config": SLOW})).json()
    async with admin_events(svc) as events:
        worker = asyncio.create_task(run_worker(settings))
        await wait_for(lambda: training_started(svc, uuid.UUID(job["id"])))
        await wait_for(lambda: _live_step(events))  # ~once a second while training
    r = await browser.request("POST", f"/api/admin/training/{job['id']}/cancel")
    assert r.status_code == 202 and r.json()["cancelRequested"] is True
    await asyncio.wait_for(worker, 30)
    after = (await browser.request("GET", f"/api/admin/training/{job['id']}")).json()
    assert after["status"] == JobStatus.CANCELLED.value
    assert after["error"].startswith("cancelled by an admin: cancelled at step")
    assert after["progress"]["step"] < after["progress"]["steps"]
    assert after["modelId"] is None and after["cancelRequested"] is False
    assert (await browser.request("GET", "/api/admin/models")).json()["models"] == []
