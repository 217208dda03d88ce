"""Fixtures and a client for admin tests: cheap argon2, an admin account, and a browser that
keeps the admin cookies itself, so tests can replay stale ones or leave them out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import asyncpg
import httpx
import pytest
from argon2.profiles import CHEAPEST

from server import passwords
from server.admin_cookies import CSRF_COOKIE, SESSION_COOKIE
from server.csrf import CSRF_HEADER
from store import admin_users
from store.settings import Settings
from tests.fixtures import LiveServer, run_server

ADMIN_PASSWORD = "correct horse battery staple"


@dataclass(frozen=True, slots=True)
class Credentials:
    email: str
    password: str


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its cheapest: these tests are about the flow, not the hash's cost."""
    monkeypatch.setattr(passwords, "PARAMETERS", CHEAPEST)


async def create_admin(dsn: str, email: str, password: str = ADMIN_PASSWORD) -> Credentials:
    conn = await asyncpg.connect(dsn)
    try:
        await admin_users.create(conn, email, passwords.hash_password(password))
    finally:
        await conn.close()
    return Credentials(email, password)


@pytest.fixture
async def admin(settings: Settings, cheap_hashing: None) -> Credentials:
    return await create_admin(settings.database_url or "", "Ada@Example.org")


@pytest.fixture
def admin_server(settings: Settings, cheap_hashing: None) -> Iterator[LiveServer]:
    with run_server(settings) as server:
        yield server


def set_cookies(response: httpx.Response) -> dict[str, Any]:
    """The cookies a response sets, by name, with their attributes (morsels)."""
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return dict(jar)


@dataclass(slots=True)
class AdminBrowser:
    server: LiveServer
    session: str | None = None
    csrf: str | None = None
    history: list[httpx.Response] = field(default_factory=list)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        with_session: bool = True,
        with_csrf: bool = True,
        csrf: str | None = None,
        origin: str | None = None,
        timeout: float = 10.0,
    ) -> httpx.Response:
        headers: dict[str, str] = {}
        if with_session and self.session is not None:
            headers["Cookie"] = f"{SESSION_COOKIE}={self.session}"
        token = csrf if csrf is not None else self.csrf
        if with_csrf and token is not None:
            headers[CSRF_HEADER] = token
        if origin is not None:
            headers["Origin"] = origin
        # A fresh client per request: httpx's own cookie jar must never add cookies.
        async with httpx.AsyncClient(base_url=self.server.url, timeout=timeout) as c:
            r = await c.request(method, path, json=json, headers=headers)
        self.history.append(r)
        return r

    async def login(self, email: str, password: str, **kw: Any) -> httpx.Response:
        r = await self.request(
            "POST", "/api/admin/login", json={"email": email, "password": password}, **kw
        )
        if r.status_code == 200:
            cookies = set_cookies(r)
            self.session = cookies[SESSION_COOKIE].value
            self.csrf = cookies[CSRF_COOKIE].value
        return r
