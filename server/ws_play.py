"""`/ws/play`: one player's socket, an explicit state machine.

States: AWAITING_HELLO -> PLAYING -> CLOSED. The receiver decodes frames, applies them to the
in-progress sketch, submits through the shared intake and answers inline: a client that stops
reading stalls only its own socket (TCP backpressure), never other players, and nothing is
buffered for it on the server. Live guesses come from a second task, started at the first
stroke and only while a model is loaded. Ten thousand idle sockets must fit in ~30 KB each,
and an outbound queue plus a sender task per socket measured 4 KB of that, so there is none.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import logging
import time
import uuid
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from game.errors import DomainError
from game.identity import is_valid_session_id, nickname, user_id_for
from game.prompts import next_prompt
from game.shapes import Shape, shape_by_id
from game.sketch import Sketch
from game.strokes import DEVICES, Drawing
from game.throttle import TokenBucket
from server import protocol
from server.errors import RateLimited
from server.intake import Accepted
from server.live_classifier import LiveClassifier, play_guesser
from server.live_relay import LiveRelay
from server.state import AppState
from store.live import SessionInfo, utc_day

log = logging.getLogger("drawstream.play")


class PlayState(enum.Enum):
    AWAITING_HELLO = "awaiting_hello"
    PLAYING = "playing"
    CLOSED = "closed"


def _shape(s: Shape) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "description": s.description}


def ack_frame(key: str, a: Accepted) -> dict[str, Any]:
    return {
        "type": "ack",
        "key": key,
        "id": a.drawing_id,
        "shape": a.shape.name,
        "quality": a.quality,
        "next": _shape(a.next_shape),
        "streak": {"current": a.streak.current, "best": a.streak.best, "days": a.streak.days},
        "stats": {"total": a.stats.total, "session": a.stats.session, "today": a.stats.today},
    }


class PlaySocket:
    # Ten thousand of these sit idle at once: slots keep each one small.
    __slots__ = (
        "_address",
        "_app",
        "_bucket",
        "_guess",
        "_guess_task",
        "_limits",
        "_relay",
        "_session",
        "_sketch",
        "_state",
        "_ws",
    )

    def __init__(self, ws: WebSocket, app: AppState, relay: LiveRelay) -> None:
        self._ws = ws
        self._app = app
        self._relay = relay
        self._limits = app.settings.limits
        self._state = PlayState.AWAITING_HELLO
        self._session: SessionInfo | None = None
        self._sketch = Sketch(self._limits)
        # Started at the first stroke, and only when a model is loaded: an idle socket (a
        # player reading the instructions) costs no task for it.
        self._guess: LiveClassifier | None = None
        self._guess_task: asyncio.Task[None] | None = None
        rate = self._limits.max_frames_per_second
        self._bucket = TokenBucket(rate, rate, time.monotonic())
        client = ws.client
        self._address = client.host if client else "unknown"

    async def run(self) -> None:
        await self._ws.accept()
        self._app.metrics.ws_connections.labels("play").inc()
        try:
            await self._receive()
        except WebSocketDisconnect:
            pass
        finally:
            if self._guess_task is not None:
                self._guess_task.cancel()
                try:
                    await self._guess_task
                except asyncio.CancelledError:
                    pass
                except Exception as exc:  # a guess racing the close: nothing left to tell
                    log.debug("live guess ended with %r", exc)
            self._state = PlayState.CLOSED
            if self._session is not None:
                await self._relay.leave(self._session)
            self._app.metrics.ws_connections.labels("play").dec()

    def _touch(self) -> None:
        """The drawing changed: let the live guess (if a model is loaded) look again."""
        if self._guess is None:
            if self._app.inference.model is None:
                return
            self._guess = play_guesser(self._app.inference, self._sketch.strokes, self._tell)
            self._guess_task = asyncio.create_task(self._guess.run())
        self._guess.touch()

    async def _tell(self, frame: dict[str, Any]) -> None:
        await self._ws.send_bytes(protocol.encode(frame))

    async def _error(
        self, code: str, exc: DomainError | None, message: str, key: str | None = None
    ) -> None:
        self._app.metrics.ws_errors.labels("play", code).inc()
        details = exc.details if exc else None
        await self._tell(protocol.error_frame(code, message, details, key))

    async def _receive(self) -> None:
        while True:
            message = await self._ws.receive()
            if message["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(message.get("code", 1000))
            data = message.get("bytes")
            if data is None:
                await self._error("text_frame", None, "frames must be binary msgpack")
                continue
            if len(data) > self._limits.max_payload_bytes:
                limit = self._limits.max_payload_bytes
                await self._error("too_large", None, f"frame over {limit} bytes")
                continue
            if not self._bucket.take(time.monotonic()):
                await self._error("rate_limited", None, "too many frames per second; frame dropped")
                continue
            try:
                frame = protocol.decode(data, self._limits)
                self._app.metrics.ws_frames.labels("play", type(frame).__name__.lower()).inc()
                await self._handle(frame)
            except DomainError as exc:
                code = "bad_frame" if exc.code == "invalid_frame" else exc.code
                await self._error(code, exc, exc.message)

    async def _handle(self, frame: protocol.ClientFrame) -> None:
        if isinstance(frame, protocol.Ping):
            await self._tell({"type": "pong"})
            return
        if isinstance(frame, protocol.Hello):
            await self._hello(frame)
            return
        session = self._session
        if session is None:
            await self._error("no_session", None, "send hello first")
            return
        if isinstance(frame, protocol.Points):
            self._sketch.add(
                frame.stroke, frame.x, frame.y, frame.t, frame.p, frame.color, frame.width
            )
            self._touch()
            await self._relay.points(session, frame)
        elif isinstance(frame, protocol.End):
            await self._relay.end(session)
        elif isinstance(frame, protocol.Undo):
            self._sketch.undo()
            self._touch()
            await self._relay.event(session, "undo")
        elif isinstance(frame, protocol.Clear):
            self._sketch.clear()
            self._touch()
            await self._relay.event(session, "clear")
        elif isinstance(frame, protocol.Submit):
            await self._submit(session, frame)

    async def _hello(self, frame: protocol.Hello) -> None:
        live = self._app.live
        device = frame.device if frame.device in DEVICES else "unknown"
        wanted = frame.session if frame.session and is_valid_session_id(frame.session) else None
        session = await live.get_session(wanted) if wanted else None
        if session is None:
            # An expired session is recreated under the same id, so an outbox resubmitting
            # after a day offline still names the same drawing ids (no duplicates).
            client_id = frame.user if frame.user and is_valid_session_id(frame.user) else None
            session_id = wanted or uuid.uuid4().hex
            uid = user_id_for(client_id or session_id)
            prompt = next_prompt({}, None, self._app.rng.random())
            session = SessionInfo(session_id, str(uid), nickname(uid), device, prompt.id)
            await live.open_session(session)
        self._session = session
        self._state = PlayState.PLAYING
        day = utc_day()
        stats = await live.stats(session, day)
        streak = await live.streak(session.user_id)
        await self._tell(
            {
                "type": "welcome",
                "session": session.session_id,
                "user": session.user_id,
                "nickname": session.nickname,
                "prompt": _shape(shape_by_id(session.prompt_id)),
                "stats": {"total": stats.total, "session": stats.session, "today": stats.today},
                "streak": {"current": streak.current, "best": streak.best, "days": streak.days},
            }
        )

    async def _submit(self, session: SessionInfo, frame: protocol.Submit) -> None:
        await self._relay.end(session)
        strokes = frame.strokes if frame.strokes is not None else self._sketch.strokes()
        drawing = Drawing(
            shape_id=frame.shape,
            strokes=strokes,
            canvas_width=frame.canvas[0],
            canvas_height=frame.canvas[1],
            duration_ms=frame.duration_ms,
            device=frame.device or session.device,
            started_at_ms=frame.started_at or int(time.time() * 1000) - frame.duration_ms,
        )
        try:
            accepted = await self._app.intake.submit(session, frame.key, drawing, self._address)
        except RateLimited as exc:
            await self._error("rate_limited", None, exc.message, frame.key)
            return
        except DomainError as exc:
            await self._error(exc.code, exc, exc.message, frame.key)
            return
        except self._app.storage_errors:
            await self._error("unavailable", None, "storage is unavailable; retry later", frame.key)
            return
        self._sketch.clear()
        self._session = dataclasses.replace(session, prompt_id=accepted.next_shape.id)
        await self._tell(ack_frame(frame.key, accepted))


async def play_endpoint(ws: WebSocket) -> None:
    app: AppState = ws.app.state.drawstream
    await PlaySocket(ws, app, app.relay).run()
