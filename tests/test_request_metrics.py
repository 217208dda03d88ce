"""Request metrics are labelled by route template, whatever the path held."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from server.metrics import Metrics
from server.middleware import RequestContext


async def _ok(request: Request) -> Response:
    return PlainTextResponse("ok")


async def _files(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("file")(scope, receive, send)


async def test_requests_are_counted_by_route_template_including_mounts() -> None:
    metrics = Metrics()
    app = Starlette(
        routes=[
            Route("/api/items/{item_id:int}", _ok),
            Mount("/api/admin", routes=[Route("/models/{model_id}/activate", _ok)]),
            Mount("/assets", app=_files),
        ],
        middleware=[Middleware(RequestContext, metrics=metrics)],
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        for path in ("/api/items/1", "/api/items/2", "/api/admin/models/a/activate"):
            assert (await c.get(path)).status_code == 200
        assert (await c.get("/assets/app.js")).text == "file"
        assert (await c.get("/nowhere")).status_code == 404
    counted = {
        (s.labels["route"], s.labels["status"]): s.value
        for family in metrics.registry.collect()
        if family.name == "http_requests"
        for s in family.samples
        if s.name == "http_requests_total"
    }
    assert counted == {
        ("/api/items/{item_id:int}", "200"): 2,
        ("/api/admin/models/{model_id}/activate", "200"): 1,
        ("/assets", "200"): 1,
        ("unmatched", "404"): 1,
    }
