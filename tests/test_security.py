"""The security baseline: every admin route behind the guard, security headers on every
response, CORS closed by default, rate-limited public writes, and no admin account that
nobody created."""

from __future__ import annotations

import dataclasses
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from server.admin_guard import AdminGuard, UnguardedAdminRoute, require_guarded
from server.app import create_app
from server.errors import exception_handlers
from server.metrics import Metrics
from server.middleware import RequestContext
from store.migrations import migrate
from store.settings import Settings
from tests.admin_fixtures import AdminBrowser, Credentials
from tests.fixtures import LiveServer, circle_drawing, drawing_json, run_server

ROOT = Path(__file__).resolve().parent.parent
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


def _walk(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, BaseRoute]]:
    for route in routes:
        path = prefix + str(getattr(route, "path", ""))
        if isinstance(route, Mount):
            yield from _walk(route.routes, path)
        else:
            yield path, route


def _concrete(path: str) -> str:
    """A requestable path for a route template (ids that exist nowhere)."""
    return _PARAM.sub(
        lambda m: "1" if m.group(2) == "int" else "00000000-0000-4000-8000-000000000000", path
    )


def _admin_http_routes(settings: Settings) -> list[tuple[str, str]]:
    found = []
    for path, route in _walk(create_app(settings).routes):
        if path.startswith("/api/admin") and path != "/api/admin/login":
            assert isinstance(route, Route), path
            found += [(method, _concrete(path)) for method in sorted(route.methods or ())]
    return found


async def test_every_admin_route_needs_a_session_and_every_write_a_csrf_token(
    admin_server: LiveServer, admin: Credentials
) -> None:
    routes = _admin_http_routes(admin_server.settings)
    assert {("POST", "/api/admin/logout"), ("GET", "/api/admin/session")} <= set(routes)
    anonymous = AdminBrowser(admin_server)
    for method, path in routes:
        r = await anonymous.request(method, path)
        assert r.status_code == 401, (method, path, r.status_code)
    browser = AdminBrowser(admin_server)
    await browser.login(admin.email, admin.password)
    for method, path in routes:
        if method not in UNSAFE:
            r = await browser.request(method, path)
            assert r.status_code not in (401, 403), (method, path, r.status_code)
            continue
        for attempt in (
            {"with_csrf": False},
            {"csrf": "x" * 43},
            {"origin": "https://evil.example"},
        ):
            r = await browser.request(method, path, **attempt)
            assert r.status_code == 403, (method, path, attempt, r.status_code)
            assert r.json()["error"] == "csrf_failed"
    # None of those refusals reached a handler: the session is still there.
    assert (await browser.request("GET", "/api/admin/session")).status_code == 200


async def test_every_admin_socket_needs_a_session(admin_server: LiveServer) -> None:
    sockets = [
        path
        for path, route in _walk(create_app(admin_server.settings).routes)
        if isinstance(route, WebSocketRoute) and path.startswith("/ws/admin")
    ]
    assert sockets == ["/ws/admin"]
    for path in sockets:
        with pytest.raises(InvalidStatus) as info:
            async with connect(f"{admin_server.ws_url}{path}", origin=None):
                pass
        assert info.value.response.status_code == 401


async def _nothing(request: Request) -> Response:
    return Response()


@pytest.mark.parametrize(
    "route",
    [
        Route("/api/admin/stats", _nothing),
        Mount("/api", routes=[Route("/admin/models", _nothing)]),
        Mount("/api/admin/files", routes=[]),
        WebSocketRoute("/ws/admin", _nothing),
    ],
)
def test_an_admin_route_outside_the_guard_stops_the_app_from_starting(route: BaseRoute) -> None:
    with pytest.raises(UnguardedAdminRoute):
        require_guarded([route])


def test_guarded_and_unrelated_routes_are_accepted() -> None:
    require_guarded(
        [
            Route("/api/admin/login", _nothing, methods=["POST"]),
            Mount(
                "/api/admin", routes=[Route("/x", _nothing)], middleware=[Middleware(AdminGuard)]
            ),
            WebSocketRoute("/ws/admin", _nothing, middleware=[Middleware(AdminGuard)]),
            Route("/api/administrators-guide", _nothing),
            Route("/admin", _nothing),  # the page itself is public; its data is not
        ]
    )


def _assert_security_headers(r: httpx.Response) -> None:
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "object-src 'none'" in csp and "'unsafe-eval'" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert r.headers["x-request-id"]


async def test_security_headers_on_html_json_and_error_responses(
    settings: Settings, tmp_path: Path
) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>Drawstream</title>")
    with run_server(dataclasses.replace(settings, client_dist=dist)) as server:
        async with httpx.AsyncClient(base_url=server.url) as c:
            answers = {
                "html": await c.get("/play"),
                "json": await c.get("/api/shapes"),
                "not found": await c.get("/api/nothing-here"),
                "bad request": await c.post("/api/drawings", content=b"{"),
                "unauthorized": await c.get("/api/admin/session"),
                "csrf": await c.post("/api/admin/login", headers={"Origin": "https://e.example"}),
            }
    assert answers["html"].headers["content-type"].startswith("text/html")
    assert answers["json"].headers["content-type"] == "application/json"
    assert [r.status_code for r in answers.values()] == [200, 200, 404, 400, 401, 403]
    for r in answers.values():
        _assert_security_headers(r)
        assert "strict-transport-security" not in r.headers  # plain http, TLS not declared


async def test_an_unexpected_error_still_gets_the_headers_and_a_request_id() -> None:
    async def boom(request: Request) -> Response:
        raise RuntimeError("bug")

    app = Starlette(
        routes=[Route("/boom", boom)],
        middleware=[Middleware(RequestContext, metrics=Metrics())],
        exception_handlers=exception_handlers(),
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        r = await c.get("/boom")
    assert r.status_code == 500
    assert r.json()["error"] == "internal"
    assert r.json()["requestId"] == r.headers["x-request-id"]
    _assert_security_headers(r)


@pytest.mark.parametrize(
    ("secure_cookies", "base_url", "expected"),
    [(False, "http://t", False), (True, "http://t", True), (False, "https://t", True)],
)
async def test_hsts_when_served_over_tls_or_declared_so(
    settings: Settings, secure_cookies: bool, base_url: str, expected: bool
) -> None:
    app = create_app(dataclasses.replace(settings, secure_cookies=secure_cookies))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=base_url) as c:
        r = await c.get("/health/live")
    assert r.status_code == 200
    assert ("strict-transport-security" in r.headers) is expected
    if expected:
        assert r.headers["strict-transport-security"].startswith("max-age=31536000")


async def test_cors_is_closed_by_default(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url) as c:
        r = await c.get("/api/shapes", headers={"Origin": "https://other.example"})
        preflight = await c.options(
            "/api/drawings",
            headers={
                "Origin": "https://other.example",
                "Access-Control-Request-Method": "POST",
            },
        )
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers
    assert "access-control-allow-origin" not in preflight.headers


async def test_cors_opens_to_configured_origins_only_and_never_with_credentials(
    settings: Settings,
) -> None:
    allowed = "https://draw.example"
    with run_server(dataclasses.replace(settings, cors_origins=(allowed,))) as server:
        async with httpx.AsyncClient(base_url=server.url) as c:
            ok = await c.get("/api/shapes", headers={"Origin": allowed})
            other = await c.get("/api/shapes", headers={"Origin": "https://other.example"})
            admin_preflight = await c.options(
                "/api/admin/logout",
                headers={
                    "Origin": allowed,
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "x-csrf-token",
                },
            )
    assert ok.headers["access-control-allow-origin"] == allowed
    assert "access-control-allow-credentials" not in ok.headers
    assert "access-control-allow-origin" not in other.headers
    # The admin API's CSRF header is never allowed cross-origin.
    assert admin_preflight.status_code == 400


def _minute() -> int:
    return int(time.time() // 60)


async def _submit(c: httpx.AsyncClient, session: str) -> httpx.Response:
    return await c.post(
        "/api/drawings",
        json=drawing_json(circle_drawing()),
        headers={"X-Session-Id": session, "X-Idempotency-Key": uuid.uuid4().hex},
    )


async def _within_one_minute(c: httpx.AsyncClient, sessions: list[str]) -> list[httpx.Response]:
    """Submit once per listed session, all inside one rate window (retried if a minute
    boundary falls in between, since limits count per calendar minute)."""
    for _ in range(3):
        minute = _minute()
        answers = [await _submit(c, f"{s}-{minute}") for s in sessions]
        if _minute() == minute:
            return answers
    raise AssertionError("could not stay inside one minute")


async def test_submissions_are_limited_per_session(settings: Settings) -> None:
    tuned = dataclasses.replace(settings, submit_rate_per_session=3, submit_rate_per_address=100)
    with run_server(tuned) as server:
        async with httpx.AsyncClient(base_url=server.url) as c:
            answers = await _within_one_minute(c, ["session-a"] * 4 + ["session-b"])
    assert [r.status_code for r in answers] == [201, 201, 201, 429, 201]
    limited = answers[3]
    assert limited.json()["error"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 61


async def test_submissions_are_limited_per_address(settings: Settings) -> None:
    tuned = dataclasses.replace(settings, submit_rate_per_session=100, submit_rate_per_address=4)
    with run_server(tuned) as server:
        async with httpx.AsyncClient(base_url=server.url) as c:
            answers = await _within_one_minute(c, [f"session-{i}" for i in range(5)])
    assert [r.status_code for r in answers] == [201, 201, 201, 201, 429]
    assert 1 <= int(answers[-1].headers["retry-after"]) <= 61


def _with_database(dsn: str, name: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def test_a_fresh_install_has_no_admin_account(
    settings: Settings, cheap_hashing: None
) -> None:
    admin_dsn = settings.database_url or ""
    name = f"fresh_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(admin_dsn)
    await conn.execute(f'CREATE DATABASE "{name}"')
    fresh = _with_database(admin_dsn, name)
    try:
        db = await asyncpg.connect(fresh)
        try:
            await migrate(db)
            with run_server(dataclasses.replace(settings, database_url=fresh)) as server:
                browser = AdminBrowser(server)
                assert (await browser.request("GET", "/api/admin/session")).status_code == 401
                for email, password in [
                    ("admin@localhost", "admin"),
                    ("admin@example.com", "admin"),
                    ("admin@drawstream.local", "drawstream"),
                ]:
                    assert (await browser.login(email, password)).status_code == 401
            assert await db.fetchval("SELECT count(*) FROM admin_users") == 0
        finally:
            await db.close()
    finally:
        await conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await conn.close()


def test_no_code_path_creates_an_admin_except_create_admin() -> None:
    sql = {p: p.read_text().lower() for p in (ROOT / "store" / "sql").rglob("*.sql")}
    inserts = [p.name for p, text in sql.items() if "insert into admin_users" in text]
    assert inserts == ["admin_users.sql"]
    callers = [
        p.relative_to(ROOT).as_posix()
        for package in ("server", "store", "workers", "game", "inference")
        for p in (ROOT / package).rglob("*.py")
        if "admin_users.create(" in p.read_text()
    ]
    assert callers == ["server/admin_accounts.py"]
