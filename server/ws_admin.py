"""`/ws/admin`: the admins' monitoring socket (docs/ws-protocol.md, "/ws/admin").

The guard has already required a live session and a same-origin handshake. The socket greets
with `hello` (the admin's email), then relays every event published on the admin channel and,
every second, this process's `monitor` frame (server/admin_feed.py). It is a receiver
(answers pings), a relay (channel to a bounded queue; a slow admin drops events rather than
holding memory), a monitor feed, a sender, and a session watch that closes the socket with
code 4401 once the session is revoked or expires, all cancelled together.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from server import protocol
from server.admin_guard import current_admin
from server.state import AppState
from server.ws_pings import answer_pings
from store.keys import ADMIN_CHANNEL

# How often an open socket re-checks its session; the longest a revoked session keeps one.
RECHECK_S = 15.0
SESSION_ENDED = 4401
_OUTBOX = 256


class _SessionEnded(Exception):
    pass


async def admin_endpoint(ws: WebSocket) -> None:
    app: AppState = ws.app.state.drawstream
    admin = current_admin(ws)
    await ws.accept()
    out: asyncio.Queue[dict[str, Any]] = asyncio.Queue(_OUTBOX)
    app.metrics.ws_connections.labels("admin").inc()

    async def relay() -> None:
        async for event in app.feed.subscribe(ADMIN_CHANNEL):
            with contextlib.suppress(asyncio.QueueFull):
                out.put_nowait(event)

    async def monitor() -> None:
        with app.monitor.watch() as frames:
            while True:
                frame = await frames.get()
                with contextlib.suppress(asyncio.QueueFull):
                    out.put_nowait(frame)

    async def send() -> None:
        await ws.send_bytes(protocol.encode({"type": "hello", "email": admin.email}))
        while True:
            await ws.send_bytes(protocol.encode(await out.get()))

    async def watch_session() -> None:
        while True:
            await asyncio.sleep(RECHECK_S)
            if not await app.admin.alive(admin):
                raise _SessionEnded

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(answer_pings(ws, out))
            for part in (relay, monitor, send, watch_session):
                tg.create_task(part())
    except* WebSocketDisconnect:
        pass
    except* _SessionEnded:
        await ws.close(SESSION_ENDED, "admin session ended")
    finally:
        app.metrics.ws_connections.labels("admin").dec()
