"""REST ingestion against a real server, Valkey, PostgreSQL and the flusher."""

from __future__ import annotations

import asyncio
import io
import json
import time
import uuid
from typing import Any

import httpx
import numpy as np
import pytest

from game.strokes import Drawing
from server.export import export_ndjson
from tests.fixtures import LiveServer, circle_drawing, drawing_json, two_strokes, wait_for_rows
from workers.flusher import Flusher


def _headers(session: str = "session-0001", key: str | None = None) -> dict[str, str]:
    return {"X-Session-Id": session, "X-Idempotency-Key": key or uuid.uuid4().hex}


async def _post(server: LiveServer, body: Any, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url) as c:
        return await c.post("/api/drawings", json=body, headers=headers)


async def test_submit_returns_contract_and_replay_returns_same_id(
    live_server: LiveServer,
) -> None:
    headers = _headers(key="k-1")
    first = await _post(live_server, drawing_json(circle_drawing()), headers)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["shape"] == "circle"
    assert 0 <= body["qualityScore"] <= 1
    assert set(body["nextShape"]) == {"id", "name", "description"}
    assert body["nextShape"]["name"] != "circle"
    assert body["userStats"]["totalDrawings"] == 1
    assert body["userStats"]["sessionDrawings"] == 1
    again = await _post(live_server, drawing_json(circle_drawing()), headers)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == body["id"]
    assert again.json()["userStats"]["totalDrawings"] == 1


async def test_submitted_strokes_round_trip_to_export(
    live_server: LiveServer, flusher: Flusher
) -> None:
    sent: dict[str, Drawing] = {}
    for i, d in enumerate([circle_drawing(seed=3), two_strokes(seed=4)]):
        r = await _post(live_server, drawing_json(d), _headers(key=f"rt-{i}"))
        assert r.status_code == 201, r.text
        sent[r.json()["id"]] = d
    assert await wait_for_rows(live_server.settings.database_url or "", 2) == 2
    async with httpx.AsyncClient(base_url=live_server.url) as c:
        deadline = time.monotonic() + 10
        # The flusher bumps its counters just after committing the rows.
        while "flush_drawings_total 2.0" not in (metrics := (await c.get("/metrics")).text):
            assert time.monotonic() < deadline, metrics
            await asyncio.sleep(0.05)
    assert 'drawings_total{shape="circle",status="accepted"} 1.0' in metrics
    out = io.StringIO()
    assert await export_ndjson(live_server.settings, out) == 2
    for line in out.getvalue().splitlines():
        row = json.loads(line)
        d = sent[row["key_id"]]
        assert row["word"] == {2: "circle", 4: "triangle"}[d.shape_id]
        assert row["countrycode"] == "" and row["recognized"] is None
        assert len(row["drawing"]) == len(d.strokes)
        for (xs, ys, ts), s in zip(row["drawing"], d.strokes, strict=True):
            assert np.array_equal(np.array(xs, dtype=np.float32), s.x)
            assert np.array_equal(np.array(ys, dtype=np.float32), s.y)
            assert ts == [int(t) for t in s.t]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda b: b.pop("shapeId"), "shapeId"),
        (lambda b: b.update(shapeId=99), "shapeId"),
        (lambda b: b.update(shapeId=True), "shapeId"),
        (lambda b: b["strokeData"].update(strokes=[]), "strokeData.strokes"),
        (lambda b: b["strokeData"]["canvas"].update(width=0), "canvas.width"),
        (lambda b: b["strokeData"]["canvas"].update(height="400"), "strokeData.canvas.height"),
        (lambda b: b["strokeData"].update(device="toaster"), "device"),
        (lambda b: b["strokeData"].update(duration_ms=-5), "duration_ms"),
        (
            lambda b: b["strokeData"]["strokes"][0]["points"][3].update(x="12"),
            "strokeData.strokes[0].points[3].x",
        ),
        (lambda b: b["strokeData"]["strokes"][0]["points"][3].update(x=1e9), "strokes[0].points.x"),
        (
            lambda b: b["strokeData"]["strokes"][0]["points"][3].update(y=-1e9),
            "strokes[0].points.y",
        ),
        (
            lambda b: b["strokeData"]["strokes"][0]["points"][3].update(pressure=3),
            "strokes[0].points.pressure",
        ),
        (
            lambda b: b["strokeData"]["strokes"][0]["points"][3].update(timestamp=0),
            "strokes[0].points.timestamp",
        ),
        (lambda b: b["strokeData"]["strokes"][0].update(color="red; x"), "strokes[0].color"),
        (lambda b: b["strokeData"]["strokes"][0].update(width=500), "strokes[0].width"),
        (lambda b: b["strokeData"]["strokes"][0].update(points=[]), "strokeData.strokes[0].points"),
        (
            lambda b: b["strokeData"].update(
                strokes=[{"points": [{"x": 1, "y": 1, "timestamp": 1}]}] * 65
            ),
            "strokeData.strokes",
        ),
    ],
)
async def test_invalid_drawings_get_400_naming_the_field(
    live_server: LiveServer, mutate: Any, field: str
) -> None:
    body = drawing_json(circle_drawing())
    mutate(body)
    r = await _post(live_server, body, _headers())
    assert r.status_code == 400, r.text
    err = r.json()
    assert err["error"] == "invalid_drawing"
    assert err["requestId"]
    assert any(d["field"].endswith(field) for d in err["details"]), err["details"]


async def test_nan_and_infinity_are_refused_naming_the_field(live_server: LiveServer) -> None:
    for bad in ("NaN", "Infinity", "-Infinity"):
        text = json.dumps(drawing_json(circle_drawing())).replace("200.0", bad, 1)
        assert bad in text
        async with httpx.AsyncClient(base_url=live_server.url) as c:
            r = await c.post(
                "/api/drawings",
                content=text,
                headers={**_headers(), "Content-Type": "application/json"},
            )
        assert r.status_code == 400, r.text
        assert r.json()["error"] == "invalid_drawing"
        assert r.json()["details"][0]["message"] == "must be finite numbers"


async def test_malformed_oversized_and_headerless_requests(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url) as c:
        r = await c.post("/api/drawings", content=b'{"shapeId": 2, "strokeD', headers=_headers())
        assert r.status_code == 400 and r.json()["error"] == "bad_request"
        r = await c.post("/api/drawings", content=b"x" * 600_000, headers=_headers())
        assert r.status_code == 413 and r.json()["error"] == "too_large"
        r = await c.post("/api/drawings", json=drawing_json(circle_drawing()))
        assert r.status_code == 400
        assert r.json()["details"][0]["field"] == "X-Session-Id"
        r = await c.post(
            "/api/drawings",
            json=drawing_json(circle_drawing()),
            headers={"X-Session-Id": "session-0001", "X-Idempotency-Key": ""},
        )
        assert r.status_code == 400
        assert r.json()["details"][0]["field"] == "X-Idempotency-Key"
        r = await c.post("/api/drawings", json=[1, 2], headers=_headers())
        assert r.status_code == 400
        assert (await c.get("/health/live")).status_code == 200


async def test_shapes_and_stats(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url) as c:
        shapes = (await c.get("/api/shapes")).json()["shapes"]
        assert [s["name"] for s in shapes] == ["line", "circle", "square", "triangle", "heart"]
        assert (await c.get("/api/user/stats", headers=_headers())).json()["totalDrawings"] == 0
        await c.post("/api/drawings", json=drawing_json(circle_drawing()), headers=_headers())
        stats = (await c.get("/api/user/stats", headers=_headers())).json()
        assert stats["totalDrawings"] == 1
        assert stats["perShape"]["circle"] == {"session": 1, "today": 1}


async def test_submission_rate_limit(live_server: LiveServer) -> None:
    limit = live_server.settings.submit_rate_per_session
    async with httpx.AsyncClient(base_url=live_server.url) as c:
        codes = [
            (
                await c.post(
                    "/api/drawings", json=drawing_json(circle_drawing()), headers=_headers()
                )
            ).status_code
            for _ in range(limit + 1)
        ]
        assert codes[:limit] == [201] * limit
        assert codes[-1] == 429
        last = await c.post(
            "/api/drawings", json=drawing_json(circle_drawing()), headers=_headers()
        )
        assert int(last.headers["Retry-After"]) >= 1


async def test_health_reports_each_dependency(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url) as c:
        ready = (await c.get("/health/ready")).json()
        assert {ch["name"] for ch in ready["checks"]} == {"postgres", "redis", "objects"}
        assert all(ch["ok"] and ch["latencyMs"] >= 0 for ch in ready["checks"])
        metrics = (await c.get("/metrics")).text
        assert "http_requests_total" in metrics and "ingest_stream_backlog" in metrics
        r = await c.get("/health")
        assert r.headers["x-request-id"]
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
