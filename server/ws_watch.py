"""`/ws/watch`: a spectator's socket. Receiver answers pings; sender drains the hub queue."""

from __future__ import annotations

import asyncio

import msgpack
from starlette.websockets import WebSocket, WebSocketDisconnect

from server import protocol
from server.state import AppState


async def watch_endpoint(ws: WebSocket) -> None:
    app: AppState = ws.app.state.drawstream
    await ws.accept()
    queue, snapshot = app.watch_hub.join()
    app.metrics.ws_connections.labels("watch").inc()

    async def receive() -> None:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(message.get("code", 1000))
            try:
                frame = msgpack.unpackb(message.get("bytes") or b"", raw=False)
            except (ValueError, msgpack.UnpackException):
                frame = None
            if isinstance(frame, dict) and frame.get("type") == "ping":
                await queue.put({"type": "pong"})
            else:
                await queue.put(protocol.error_frame("bad_frame", "only ping is accepted here"))

    async def send() -> None:
        await ws.send_bytes(protocol.encode(snapshot))
        while True:
            await ws.send_bytes(protocol.encode(await queue.get()))

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(receive())
            tg.create_task(send())
    except* WebSocketDisconnect:
        pass
    finally:
        app.watch_hub.leave(queue)
        app.metrics.ws_connections.labels("watch").dec()
