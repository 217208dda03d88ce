"""`/ws/classify`: streaming recognition of a drawing as it is drawn (docs/ws-protocol.md).

The socket speaks /ws/play's drawing frames (`points`, `end`, `undo`, `clear`, `ping`) with no
handshake and answers with `prediction` frames. Three tasks, cancelled together:

- the receiver decodes frames, applies them to the in-memory sketch (bounded by the same
  limits as /ws/play) and touches the live classifier; it never waits for the model;
- the live classifier (server/live_classifier.py) classifies the latest sketch, throttled;
- the sender drains the outbox: control frames (errors, pongs) in order from a bounded queue,
  predictions from a single latest-wins slot, so a slow reader gets the newest answer next
  and never a backlog of stale ones.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

import numpy as np
from starlette.websockets import WebSocket, WebSocketDisconnect

from game.errors import DomainError, FieldError, InvalidFrame
from game.sketch import Sketch
from game.throttle import TokenBucket
from server import protocol
from server.live_classifier import LiveClassifier, LiveUpdate
from server.routes_inference import model_json
from server.state import AppState

# At most one prediction per socket per 40 ms (25/s): smooth bars while drawing, and a
# client streaming a frame per animation frame costs the model ~25 calls/s, not 60.
CLASSIFY_INTERVAL_S = 0.04
# Classes per prediction frame, most likely first (all five shapes today).
TOP_K = 5
_CONTROL = 32
_ENDPOINT = "classify"


class Outbox:
    """What the sender sends next: queued control frames, then the latest prediction."""

    def __init__(self, limit: int = _CONTROL) -> None:
        self._control: deque[dict[str, Any]] = deque(maxlen=limit)  # oldest dropped
        self._latest: dict[str, Any] | None = None
        self._ready = asyncio.Event()
        self._taken = asyncio.Event()

    def control(self, frame: dict[str, Any]) -> None:
        self._control.append(frame)
        self._ready.set()

    async def latest(self, frame: dict[str, Any]) -> None:
        """Offer a prediction, replacing any unsent one; returns once the sender took it."""
        self._latest = frame
        self._taken.clear()
        self._ready.set()
        await self._taken.wait()

    async def next(self) -> dict[str, Any]:
        while True:
            if self._control:
                return self._control.popleft()
            if self._latest is not None:
                frame, self._latest = self._latest, None
                self._taken.set()
                return frame
            self._ready.clear()
            await self._ready.wait()


def prediction_frame(update: LiveUpdate) -> dict[str, Any]:
    if update.no_model:
        return {
            **protocol.error_frame(
                "no_model", "no model is loaded; predictions resume once one is"
            ),
            "seq": update.seq,
        }
    p = update.prediction
    return {
        "type": "prediction",
        "seq": update.seq,
        "predictions": [] if p is None else [[n, round(c, 4)] for n, c in p.ranked()[:TOP_K]],
        "model": None if p is None else p.model.record.version,
        "inferenceMs": round(update.elapsed_ms, 3),
    }


class ClassifySocket:
    def __init__(self, ws: WebSocket, app: AppState) -> None:
        self._ws = ws
        self._app = app
        self._limits = app.settings.limits
        self._sketch = Sketch(self._limits)
        self._out = Outbox()
        self._live = LiveClassifier(
            app.inference, self._sketch.strokes, self._deliver, CLASSIFY_INTERVAL_S
        )
        rate = self._limits.max_frames_per_second
        self._bucket = TokenBucket(rate, rate, time.monotonic())

    async def run(self) -> None:
        await self._ws.accept()
        metrics = self._app.metrics
        metrics.ws_connections.labels(_ENDPOINT).inc()
        model = self._app.inference.model
        self._out.control({"type": "ready", "model": model_json(model) if model else None})
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(self._receive())
                tg.create_task(self._send())
                tg.create_task(self._live.run())
        except* WebSocketDisconnect:
            pass
        finally:
            metrics.ws_connections.labels(_ENDPOINT).dec()

    async def _deliver(self, update: LiveUpdate) -> None:
        await self._out.latest(prediction_frame(update))

    async def _send(self) -> None:
        while True:
            await self._ws.send_bytes(protocol.encode(await self._out.next()))

    def _error(self, code: str, message: str, details: list[FieldError] | None = None) -> None:
        self._app.metrics.ws_errors.labels(_ENDPOINT, code).inc()
        self._out.control(protocol.error_frame(code, message, details))

    async def _receive(self) -> None:
        while True:
            message = await self._ws.receive()
            if message["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(message.get("code", 1000))
            data = message.get("bytes")
            if data is None:
                self._error("text_frame", "frames must be binary msgpack")
            elif len(data) > self._limits.max_payload_bytes:
                self._error("too_large", f"frame over {self._limits.max_payload_bytes} bytes")
            elif not self._bucket.take(time.monotonic()):
                self._error("rate_limited", "too many frames per second; frame dropped")
            else:
                try:
                    self._apply(protocol.decode(data, self._limits))
                except DomainError as exc:
                    code = "bad_frame" if exc.code == "invalid_frame" else exc.code
                    self._error(code, exc.message, exc.details)

    def _apply(self, frame: protocol.ClientFrame) -> None:
        self._app.metrics.ws_frames.labels(_ENDPOINT, type(frame).__name__.lower()).inc()
        if isinstance(frame, protocol.Ping):
            self._out.control({"type": "pong"})
            return
        if isinstance(frame, protocol.Points):
            bad = [n for n, a in (("x", frame.x), ("y", frame.y)) if not np.isfinite(a).all()]
            if bad:
                raise InvalidFrame(
                    "coordinates must be finite", [FieldError(n, "must be finite") for n in bad]
                )
            self._sketch.add(
                frame.stroke, frame.x, frame.y, frame.t, frame.p, frame.color, frame.width
            )
        elif isinstance(frame, protocol.Undo):
            self._sketch.undo()
        elif isinstance(frame, protocol.Clear):
            self._sketch.clear()
        elif not isinstance(frame, protocol.End):
            raise InvalidFrame(
                "only points, end, undo, clear and ping are accepted on /ws/classify",
                [FieldError("type", "not accepted here")],
            )
        self._live.touch()


async def classify_endpoint(ws: WebSocket) -> None:
    await ClassifySocket(ws, ws.app.state.drawstream).run()
