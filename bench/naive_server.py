"""The baseline a simple design would build: per drawing, one object PUT and one INSERT,
done synchronously before the ack, no write-ahead log, no batching.

It speaks the same /ws/play protocol (hello, points, submit) and validates the same way, so
`python -m bench.ingest --baseline` compares only the storage path.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from game.errors import DomainError
from game.identity import drawing_id, nickname, user_id_for
from game.limits import DEFAULT_LIMITS
from game.quality import quality_score
from game.sketch import Sketch
from game.strokes import Drawing
from game.validation import validate_drawing
from server import protocol
from store.database import create_pool
from store.objects import LocalObjectStore
from store.records import StoredDrawing, encode_record

_INSERT_USER = "INSERT INTO users (id, nickname) VALUES ($1, $2) ON CONFLICT DO NOTHING"
_INSERT = (
    "INSERT INTO drawings (id, user_id, session_id, shape_id, shard_key, byte_offset,"
    " byte_length, stroke_count, point_count, duration_ms, device, quality_score, created_at)"
    " VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9, $10, $11, now())"
    " ON CONFLICT (id) DO NOTHING"
)


def create_naive_app(dsn: str, data_dir: Path) -> Starlette:
    objects = LocalObjectStore(data_dir / "objects")
    pools: list[asyncpg.Pool] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await objects.connect()
        pools.append(await create_pool(dsn, max_size=10))
        yield
        await pools[0].close()

    async def store(session: str, user: uuid.UUID, key: str, d: Drawing) -> str:
        did = drawing_id(session, key)
        blob = encode_record(
            StoredDrawing(
                str(did), session, str(user), int(time.time() * 1000), quality_score(d), d
            )
        )
        object_key = f"drawings/{did}.bin"
        await objects.put(object_key, blob)
        async with pools[0].acquire() as conn:
            await conn.execute(_INSERT_USER, user, nickname(user))
            await conn.execute(
                _INSERT,
                did,
                user,
                session,
                d.shape_id,
                object_key,
                len(blob),
                len(d.strokes),
                d.point_count,
                d.duration_ms,
                d.device,
                quality_score(d),
            )
        return str(did)

    async def play(ws: WebSocket) -> None:
        await ws.accept()
        session = uuid.uuid4().hex
        user = user_id_for(session)
        sketch = Sketch(DEFAULT_LIMITS)
        try:
            while True:
                frame = protocol.decode(await ws.receive_bytes(), DEFAULT_LIMITS)
                if isinstance(frame, protocol.Hello):
                    await ws.send_bytes(protocol.encode({"type": "welcome", "session": session}))
                elif isinstance(frame, protocol.Points):
                    sketch.add(frame.stroke, frame.x, frame.y, frame.t, frame.p)
                elif isinstance(frame, protocol.Submit):
                    d = Drawing(
                        frame.shape,
                        frame.strokes or sketch.strokes(),
                        frame.canvas[0],
                        frame.canvas[1],
                        frame.duration_ms,
                        "mouse",
                    )
                    try:
                        validate_drawing(d)
                        did = await store(session, user, frame.key, d)
                        reply = {"type": "ack", "key": frame.key, "id": did}
                    except DomainError as exc:
                        reply = protocol.error_frame(exc.code, exc.message, exc.details, frame.key)
                    sketch.clear()
                    await ws.send_bytes(protocol.encode(reply))
        except WebSocketDisconnect:
            return

    async def live(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[Route("/health/live", live), WebSocketRoute("/ws/play", play)],
        lifespan=lifespan,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    app = create_naive_app(os.environ["DATABASE_URL"], args.data_dir)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        ws="websockets-sansio",
        ws_per_message_deflate=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
