"""The receiving half of the send-only sockets (`/ws/admin`, `/ws/watch`).

Their clients only listen, but a socket must still be read: that is how a disconnect is
noticed, and clients ping to keep proxies from timing the connection out. Both sockets answer
through their outgoing queue, so a pong waits its turn behind the frames already queued and a
reply never races the sender task for the socket.
"""

from __future__ import annotations

import asyncio
from typing import Any

import msgpack
from starlette.websockets import WebSocket, WebSocketDisconnect

from server import protocol


async def answer_pings(ws: WebSocket, out: asyncio.Queue[dict[str, Any]]) -> None:
    """Queue a pong per ping and a `bad_frame` error per anything else, until the client
    leaves (raised as `WebSocketDisconnect`, which ends the socket's task group)."""
    while True:
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        try:
            frame = msgpack.unpackb(message.get("bytes") or b"", raw=False)
        except (ValueError, msgpack.UnpackException):
            frame = None
        if isinstance(frame, dict) and frame.get("type") == "ping":
            await out.put({"type": "pong"})
        else:
            await out.put(protocol.error_frame("bad_frame", "only ping is accepted here"))
