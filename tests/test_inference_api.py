"""The inference API against a real server: HTTP, /ws/classify, /ws/play guesses, hot swap,
failed loads, no model, bad input, and the OpenAPI document."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Any

import httpx
import msgpack
import numpy as np
import pytest
from redis.asyncio.client import PubSub
from starlette.routing import Route
from websockets.asyncio.client import ClientConnection, connect

from game.shapes import SHAPE_NAMES
from game.strokes import Drawing
from server.app import create_app
from store import services
from store.feed import Feed
from store.keys import ADMIN_CHANNEL, MODEL_CHANNEL
from store.models import ModelNotFound, ModelRow, activate_and_announce, announce_activation
from tests.fixtures import LiveServer, drawing_json, run_server
from tests.model_fixtures import RegisterModel, clear_drawing
from tests.wsclient import PlayClient, points_frame

_JSON = {"content-type": "application/json"}


def _body(d: Drawing) -> dict[str, Any]:
    return {"strokeData": drawing_json(d)["strokeData"]}


async def _until(check: Callable[[], bool | Awaitable[bool]], timeout: float = 15.0) -> None:
    """Wait for `check()` (plain or async) to hold; fails the test after `timeout`."""
    async with asyncio.timeout(timeout):
        while True:
            result = check()
            if await result if inspect.isawaitable(result) else result:
                return
            await asyncio.sleep(0.02)


async def _activate(svc: services.Services, server: LiveServer, row: ModelRow) -> None:
    """Announce `row` once the server listens, and wait until it serves it."""

    async def listening() -> bool:
        subs = dict(await svc.redis.pubsub_numsub(MODEL_CHANNEL))
        return bool(subs.get(MODEL_CHANNEL.encode()))

    async def serving() -> bool:
        async with httpx.AsyncClient(base_url=server.url) as http:
            r = await http.get("/api/inference/model/info")
        return r.status_code == 200 and r.json()["version"] == row.version

    await _until(listening)
    await announce_activation(Feed(svc.redis), row)
    await _until(serving)


# ---- no model ---------------------------------------------------------------------------------


async def test_without_a_model_every_entry_point_says_so(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url) as http:
        info = await http.get("/api/inference/model/info")
        assert info.status_code == 503 and info.headers["retry-after"] == "10"
        assert info.json()["error"] == "no_model"
        r = await http.post("/api/inference/classify", json=_body(clear_drawing("circle")))
        assert r.status_code == 503 and r.json()["error"] == "no_model"
        health = (await http.get("/health")).json()
        assert health["model"] == {
            "loaded": False,
            "id": None,
            "version": None,
            "loadedAt": None,
            "error": None,
        }
    async with _classify_socket(live_server) as ws:
        assert (await _recv(ws))["model"] is None  # the ready frame
        await _draw(ws, clear_drawing("circle"))
        frame = await _recv(ws)
        assert frame["type"] == "error" and frame["code"] == "no_model"


# ---- HTTP classify ----------------------------------------------------------------------------


async def test_clear_drawings_are_classified_correctly(
    settings: Any, register_model: RegisterModel
) -> None:
    row = await register_model()
    with run_server(settings) as server:  # loads the active model at start
        async with httpx.AsyncClient(base_url=server.url) as http:
            info = (await http.get("/api/inference/model/info")).json()
            assert info["version"] == row.version and info["id"] == str(row.id)
            assert [s["name"] for s in info["shapes"]] == list(SHAPE_NAMES)
            assert info["accuracy"] == row.accuracy
            for name in SHAPE_NAMES:
                r = await http.post("/api/inference/classify", json=_body(clear_drawing(name)))
                assert r.status_code == 200, r.text
                body = r.json()
                assert body["shape"] == name
                assert body["modelVersion"] == row.version
                assert body["inferenceTimeMs"] > 0
                ranked = body["allPredictions"]
                assert ranked[0]["shape"] == name and len(ranked) == 5
                assert abs(sum(p["confidence"] for p in ranked) - 1) < 1e-3
            batch = await http.post(
                "/api/inference/classify/batch",
                json={"drawings": [_body(clear_drawing(n)) for n in reversed(SHAPE_NAMES)]},
            )
            assert batch.status_code == 200, batch.text
            assert [p["shape"] for p in batch.json()["predictions"]] == list(reversed(SHAPE_NAMES))
            health = (await http.get("/health")).json()["model"]
            assert health["loaded"] and health["version"] == row.version


async def test_bad_input_is_a_400_naming_every_problem(live_server: LiveServer) -> None:
    good = _body(clear_drawing("square"))
    no_strokes = {"strokeData": {**good["strokeData"], "strokes": []}}
    nan = _body(clear_drawing("square"))
    nan["strokeData"]["strokes"][0]["points"][3]["x"] = float("nan")
    dot = {"points": [{"x": 5, "y": 5, "timestamp": 1_704_067_200_000}]}
    many = {"strokeData": {**good["strokeData"], "strokes": [dot] * 65}}
    async with httpx.AsyncClient(base_url=live_server.url) as http:
        for body, field in (
            (no_strokes, "strokeData.strokes"),
            (nan, "strokes[0].points.x"),
            (many, "strokeData.strokes"),
            ({"strokes": []}, "strokeData"),
        ):
            raw = json.dumps(body).encode()  # Python's encoder writes NaN, as some clients do
            r = await http.post("/api/inference/classify", content=raw, headers=_JSON)
            assert r.status_code == 400, (field, r.text)
            assert field in [d["field"] for d in r.json()["details"]], r.json()
        huge = await http.post(
            "/api/inference/classify", content=b'{"x": "' + b"a" * 600_000 + b'"}'
        )
        assert huge.status_code == 413
        batch = await http.post(
            "/api/inference/classify/batch", json={"drawings": [good, no_strokes, good]}
        )
        assert batch.status_code == 400
        assert [d["field"] for d in batch.json()["details"]] == ["drawings[1].strokeData.strokes"]
        too_many = await http.post("/api/inference/classify/batch", json={"drawings": [good] * 65})
        assert too_many.status_code == 400 and too_many.json()["details"][0]["field"] == "drawings"


# ---- hot swap and failed loads ----------------------------------------------------------------


async def _classify_forever(
    http: httpx.AsyncClient, stop: asyncio.Event, out: list[tuple[int, int, float]]
) -> None:
    body = _body(clear_drawing("triangle"))
    while not stop.is_set():
        started = time.perf_counter()
        r = await http.post("/api/inference/classify", json=body)
        out.append((r.status_code, r.json().get("modelVersion", -1), time.perf_counter() - started))


async def test_hot_swap_under_concurrent_load_has_zero_errors(
    settings: Any, svc: services.Services, register_model: RegisterModel
) -> None:
    await register_model()
    with run_server(settings) as server:
        limits = httpx.Limits(max_connections=16)
        async with httpx.AsyncClient(base_url=server.url, limits=limits) as http:
            stop = asyncio.Event()
            seen: list[tuple[int, int, float]] = []
            clients = [asyncio.create_task(_classify_forever(http, stop, seen)) for _ in range(8)]

            await _until(lambda: len(seen) > 100)
            v2 = await register_model(activate=False)
            await activate_and_announce(svc.pool, Feed(svc.redis), v2.id)  # as the admin route
            await _until(lambda: any(v == 2 for _, v, _ in seen))
            swap_at = len(seen)
            await _until(lambda: len(seen) > swap_at + 100)
            stop.set()
            await asyncio.gather(*clients)
    assert {status for status, _, _ in seen} == {200}
    versions = [v for _, v, _ in seen]
    assert versions[0] == 1 and versions[-1] == 2
    assert max(s for _, _, s in seen) < 2.0  # nobody waited for the load (bench: swap p99)
    with pytest.raises(ModelNotFound):
        await activate_and_announce(svc.pool, Feed(svc.redis), uuid.uuid4())


async def test_a_corrupt_artifact_keeps_the_old_model_and_shows_in_health(
    live_server: LiveServer, svc: services.Services, register_model: RegisterModel
) -> None:
    good = await register_model()
    await _activate(svc, live_server, good)
    feed = Feed(svc.redis)
    async with httpx.AsyncClient(base_url=live_server.url) as http:
        pubsub = svc.redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(ADMIN_CHANNEL)
        try:
            bad = await register_model(onnx=b"this is not onnx")
            await announce_activation(feed, bad)
            event = await _admin_event(pubsub, "model_error")
        finally:
            await pubsub.aclose()
        assert event["version"] == bad.version and event["servingVersion"] == good.version
        assert "onnxruntime" in event["error"]
        r = await http.post("/api/inference/classify", json=_body(clear_drawing("heart")))
        assert r.status_code == 200 and r.json()["modelVersion"] == good.version
        model = (await http.get("/health")).json()["model"]
        assert model["version"] == good.version
        assert model["error"]["version"] == bad.version and model["error"]["message"]


async def _admin_event(pubsub: PubSub, kind: str) -> dict[str, Any]:
    async with asyncio.timeout(15):
        while True:
            message = await pubsub.get_message(timeout=1.0)
            if message is not None:
                event: dict[str, Any] = msgpack.unpackb(message["data"], raw=False)
                if event.get("type") == kind:
                    return event


# ---- /ws/classify and the /ws/play guess ------------------------------------------------------


@contextlib.asynccontextmanager
async def _classify_socket(server: LiveServer) -> AsyncIterator[ClientConnection]:
    async with connect(f"{server.ws_url}/ws/classify", compression=None) as ws:
        yield ws


async def _recv(ws: ClientConnection, timeout: float = 10.0) -> dict[str, Any]:
    frame: dict[str, Any] = msgpack.unpackb(await asyncio.wait_for(ws.recv(), timeout), raw=False)
    return frame


async def _draw(ws: ClientConnection, d: Drawing, batch: int = 16) -> int:
    """Stream `d` as points frames; returns how many frames were sent."""
    sent = 0
    for i, s in enumerate(d.strokes):
        for lo in range(0, len(s), batch):
            await ws.send(msgpack.packb(points_frame(i, s, lo, min(len(s), lo + batch))))
            sent += 1
    return sent


async def test_ws_classify_streams_throttled_latest_wins_predictions(
    live_server: LiveServer, register_model: RegisterModel, svc: services.Services
) -> None:
    row = await register_model()
    await _activate(svc, live_server, row)
    async with _classify_socket(live_server) as ws:
        ready = await _recv(ws)
        assert ready["type"] == "ready" and ready["model"]["version"] == row.version

        # A burst of updates without reading: a few predictions, the last for the last update.
        circle = clear_drawing("circle")
        sent = await _draw(ws, circle, batch=2)
        assert sent > 50
        await asyncio.sleep(0.5)
        frames = []
        with contextlib.suppress(TimeoutError):
            while True:
                frames.append(await _recv(ws, timeout=0.3))
        assert 1 <= len(frames) <= sent // 4, len(frames)
        assert all(f["type"] == "prediction" for f in frames)
        assert frames[-1]["seq"] == sent
        assert frames[-1]["predictions"][0][0] == "circle"
        assert frames[-1]["model"] == row.version

        # Every update is answered; undo and clear too.
        await ws.send(msgpack.packb({"type": "clear"}))
        cleared = await _recv(ws)
        assert cleared["seq"] == sent + 1 and cleared["predictions"] == []
        await ws.send(msgpack.packb({"type": "ping"}))
        assert (await _recv(ws))["type"] == "pong"

        # Bad frames are refused with a reason, and the socket stays usable.
        nan = circle.strokes[0]
        x = nan.x.copy()
        x[0] = np.nan
        await ws.send(msgpack.packb(points_frame(0, replace(nan, x=x), 0, 4)))
        error = await _recv(ws)
        assert error["type"] == "error" and error["code"] == "bad_frame"
        await ws.send(msgpack.packb({"type": "hello", "device": "mouse"}))
        assert (await _recv(ws))["code"] == "bad_frame"
        await _draw(ws, clear_drawing("square"))
        deadline = time.monotonic() + 5
        while True:
            frame = await _recv(ws)
            if frame["type"] == "prediction" and frame["predictions"]:
                if frame["predictions"][0][0] == "square" or time.monotonic() > deadline:
                    break
        assert frame["predictions"][0][0] == "square"


async def test_ws_play_sends_live_guesses_when_a_model_is_loaded(
    settings: Any, register_model: RegisterModel
) -> None:
    row = await register_model()
    with run_server(settings) as server:
        c = await PlayClient.open(server.ws_url)
        await c.hello()
        await c.draw(clear_drawing("heart"))
        guesses: list[dict[str, Any]] = []
        async with asyncio.timeout(5):  # early guesses see half a heart; the last, all of it
            while not guesses or guesses[-1]["predictions"][0][0] != "heart":
                guesses.append(await c.recv_type("guess"))
        assert {g["type"] for g in guesses} == {"guess"} and guesses[-1]["model"] == row.version
        assert sorted(name for name, _ in guesses[-1]["predictions"]) == sorted(SHAPE_NAMES)
        await c.close()


# ---- the OpenAPI document ---------------------------------------------------------------------


async def test_openapi_documents_every_public_http_route(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url) as http:
        doc = (await http.get("/api/openapi.json")).json()
    assert doc["openapi"].startswith("3.1")
    app = create_app(live_server.settings)
    public = {
        r.path: {m.lower() for m in (r.methods or ())} - {"head"}
        for r in app.routes
        if isinstance(r, Route)
        and (r.path.startswith("/api/") or r.path.startswith("/health") or r.path == "/metrics")
        and not r.path.startswith("/api/admin")
    }
    assert public, "no routes found"
    for path, methods in public.items():
        assert path in doc["paths"], f"{path} is not in the OpenAPI document"
        assert set(doc["paths"][path]) == methods, path
    assert set(doc["paths"]) == set(public)
