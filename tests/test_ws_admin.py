"""`/ws/admin`: refused without a session or from a foreign origin; greets, relays the admin
channel, and closes when the session ends."""

from __future__ import annotations

import asyncio
from typing import Any

import msgpack
import pytest
import redis.asyncio as aioredis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin

from server import ws_admin
from server.admin_cookies import SESSION_COOKIE
from store.feed import Feed
from store.keys import ADMIN_CHANNEL
from tests.admin_fixtures import AdminBrowser, Credentials
from tests.fixtures import LiveServer


def _open(server: LiveServer, session: str | None, origin: str | None) -> connect:
    headers = {"Cookie": f"{SESSION_COOKIE}={session}"} if session else {}
    return connect(
        f"{server.ws_url}/ws/admin",
        origin=Origin(origin) if origin else None,
        additional_headers=headers,
        compression=None,
    )


async def _recv(ws: ClientConnection) -> dict[str, Any]:
    """The next frame other than the once-a-second `monitor` (tests/test_admin_monitor.py)."""
    while True:
        data = await asyncio.wait_for(ws.recv(), 5)
        assert isinstance(data, bytes)
        frame: dict[str, Any] = msgpack.unpackb(data, raw=False)
        if frame.get("type") != "monitor":
            return frame


async def _logged_in(server: LiveServer, admin: Credentials) -> AdminBrowser:
    browser = AdminBrowser(server)
    assert (await browser.login(admin.email, admin.password)).status_code == 200
    return browser


async def test_refused_without_a_session(admin_server: LiveServer) -> None:
    for session in (None, "A" * 43, "not-a-token"):
        with pytest.raises(InvalidStatus) as info:
            async with _open(admin_server, session, admin_server.url):
                pass
        assert info.value.response.status_code == 401


async def test_refused_from_a_foreign_or_missing_origin(
    admin_server: LiveServer, admin: Credentials
) -> None:
    browser = await _logged_in(admin_server, admin)
    for origin in ("https://evil.example", None):
        with pytest.raises(InvalidStatus) as info:
            async with _open(admin_server, browser.session, origin):
                pass
        assert info.value.response.status_code == 403


async def _subscribed(redis_url: str) -> None:
    """Wait until the socket's relay listens on the admin channel."""
    r = aioredis.Redis.from_url(redis_url)
    try:
        async with asyncio.timeout(5):
            while True:
                if dict(await r.pubsub_numsub(ADMIN_CHANNEL)).get(ADMIN_CHANNEL.encode()):
                    return
                await asyncio.sleep(0.02)
    finally:
        await r.aclose()


async def test_greets_then_relays_the_admin_channel(
    admin_server: LiveServer, admin: Credentials, redis_url: str
) -> None:
    browser = await _logged_in(admin_server, admin)
    async with _open(admin_server, browser.session, admin_server.url) as ws:
        assert await _recv(ws) == {"type": "hello", "email": admin.email}
        await ws.send(msgpack.packb({"type": "ping"}))
        assert await _recv(ws) == {"type": "pong"}
        await _subscribed(redis_url)
        r = aioredis.Redis.from_url(redis_url)
        try:
            await Feed(r).publish(ADMIN_CHANNEL, {"type": "model", "version": 3})
        finally:
            await r.aclose()
        assert await _recv(ws) == {"type": "model", "version": 3}


async def test_closes_when_the_session_is_revoked(
    admin_server: LiveServer, admin: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ws_admin, "RECHECK_S", 0.05)
    browser = await _logged_in(admin_server, admin)
    async with _open(admin_server, browser.session, admin_server.url) as ws:
        assert (await _recv(ws))["type"] == "hello"
        assert (await browser.request("POST", "/api/admin/logout")).status_code == 204
        with pytest.raises(ConnectionClosed) as info:
            while True:
                await _recv(ws)
    assert info.value.rcvd is not None and info.value.rcvd.code == ws_admin.SESSION_ENDED
