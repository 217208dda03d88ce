"""Accepting a finished drawing: the one path shared by `/ws/play` and `POST /api/drawings`.

Order matters: validate, append to the write-ahead log (fsynced), then update streaks and
leaderboards and tell spectators. The ack is sent only after all of it, and a replayed
idempotency key gets the first answer without counting twice.
"""

from __future__ import annotations

import dataclasses
import random
import time
from dataclasses import dataclass

import msgpack

from game.identity import drawing_id, live_id
from game.limits import Limits
from game.prompts import next_prompt
from game.quality import quality_score
from game.shapes import Shape, shape_by_id
from game.streaks import StreakState, advance
from game.strokes import Drawing
from game.validation import validate_drawing, validate_idempotency_key
from server.errors import RateLimited
from server.metrics import Metrics
from store.feed import Feed
from store.ingest import IngestLog, Replayed
from store.ingest import RateLimited as RateLimitedAppend
from store.keys import WATCH_CHANNEL
from store.live import LiveState, PlayerStats, SessionInfo, counted, utc_day
from store.records import StoredDrawing, encode_record


@dataclass(frozen=True, slots=True)
class Accepted:
    drawing_id: str
    shape: Shape
    quality: float
    next_shape: Shape
    streak: StreakState
    stats: PlayerStats
    replayed: bool


@dataclass(frozen=True, slots=True)
class RatePolicy:
    per_session_per_minute: int
    per_address_per_minute: int


class Intake:
    def __init__(
        self,
        ingest: IngestLog,
        live: LiveState,
        feed: Feed,
        metrics: Metrics,
        limits: Limits,
        rates: RatePolicy,
    ) -> None:
        self._ingest = ingest
        self._live = live
        self._feed = feed
        self._metrics = metrics
        self._limits = limits
        self._rates = rates
        self._rng = random.Random()

    async def submit(
        self, session: SessionInfo, key: str, drawing: Drawing, address: str
    ) -> Accepted:
        started = time.perf_counter()
        validate_idempotency_key(key, self._limits)
        try:
            validate_drawing(drawing, self._limits)
        except Exception:
            self._metrics.drawings.labels("invalid", "rejected").inc()
            raise
        did = str(drawing_id(session.session_id, key))
        quality = quality_score(drawing)
        now_ms = int(time.time() * 1000)
        record = encode_record(
            StoredDrawing(did, session.session_id, session.user_id, now_ms, quality, drawing)
        )
        day = utc_day(now_ms / 1000)
        streak, stats = await self._live.snapshot(session, day)
        result = await self._ingest.append(
            did,
            record,
            msgpack.packb([drawing.shape_id, quality]),
            session.session_id,
            address,
            self._rates.per_session_per_minute,
            self._rates.per_address_per_minute,
        )
        if isinstance(result, RateLimitedAppend):
            self._metrics.drawings.labels("any", "rate_limited").inc()
            raise RateLimited("too many drawings, slow down", result.retry_after_s)
        replayed = isinstance(result, Replayed)
        if isinstance(result, Replayed):
            shape_id, quality = msgpack.unpackb(result.summary)
            shape = shape_by_id(shape_id)
            nxt = next_prompt(stats.session_shapes, shape.id, self._rng.random())
            await self._live.set_prompt(session.session_id, nxt.id)
        else:
            shape = shape_by_id(drawing.shape_id)
            streak = advance(streak, quality, day)
            stats = counted(stats, shape.id, stats.total + 1)
            nxt = next_prompt(stats.session_shapes, shape.id, self._rng.random())
            done = {
                "type": "done",
                "live": live_id(session.session_id),
                "id": did,
                "shape": shape.name,
                "nickname": session.nickname,
            }
            total = await self._live.record(
                session, shape.id, streak, day, nxt.id, (WATCH_CHANNEL, Feed.encode(done))
            )
            stats = dataclasses.replace(stats, total=total)
        self._metrics.drawings.labels(shape.name, "replayed" if replayed else "accepted").inc()
        self._metrics.ack_latency.observe(time.perf_counter() - started)
        return Accepted(did, shape, quality, nxt, streak, stats, replayed)
