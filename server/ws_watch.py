"""`/ws/watch`: a spectator's socket. Receiver answers pings; sender drains the hub queue."""

from __future__ import annotations

import asyncio

from starlette.websockets import WebSocket, WebSocketDisconnect

from server import protocol
from server.state import AppState
from server.ws_pings import answer_pings


async def watch_endpoint(ws: WebSocket) -> None:
    app: AppState = ws.app.state.drawstream
    await ws.accept()
    queue, snapshot = app.watch_hub.join()
    app.metrics.ws_connections.labels("watch").inc()

    async def send() -> None:
        await ws.send_bytes(protocol.encode(snapshot))
        while True:
            await ws.send_bytes(protocol.encode(await queue.get()))

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(answer_pings(ws, queue))
            tg.create_task(send())
    except* WebSocketDisconnect:
        pass
    finally:
        app.watch_hub.leave(queue)
        app.metrics.ws_connections.labels("watch").dec()
