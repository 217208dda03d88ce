"""Relays drawings in progress to spectators, cheaply.

Spectators watch a handful of drawings, not ten thousand, so each server process relays at
most `slots` sessions at a time, and batches their points into one event per `interval`
seconds instead of one per pointer frame. Relay failures never touch the player's path.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
from redis.exceptions import RedisError

from game.identity import live_id
from game.shapes import shape_by_id
from server.protocol import Points
from store.feed import Feed
from store.keys import WATCH_CHANNEL
from store.live import SessionInfo

log = logging.getLogger("drawstream.relay")


@dataclass(slots=True)
class _Pending:
    stroke: int = -1
    xs: list[np.ndarray] = field(default_factory=list)
    ys: list[np.ndarray] = field(default_factory=list)
    ts: list[np.ndarray] = field(default_factory=list)
    ps: list[np.ndarray] = field(default_factory=list)
    last_sent: float = 0.0


class LiveRelay:
    def __init__(self, feed: Feed, slots: int = 8, interval: float = 0.1) -> None:
        self._feed = feed
        self._slots = slots
        self._interval = interval
        self._relayed: dict[str, _Pending] = {}

    async def leave(self, session: SessionInfo) -> None:
        """The player's socket closed: free its slot and the spectators' tile at once."""
        if self._relayed.pop(session.session_id, None) is not None:
            await self._publish({"type": "leave", "live": live_id(session.session_id)})

    def _slot(self, session: SessionInfo) -> _Pending | None:
        pending = self._relayed.get(session.session_id)
        if pending is None and len(self._relayed) < self._slots:
            pending = self._relayed[session.session_id] = _Pending()
        return pending

    async def points(self, session: SessionInfo, frame: Points) -> None:
        pending = self._slot(session)
        if pending is None:
            return
        if pending.stroke != frame.stroke and pending.xs:
            await self._flush(session, pending)
        pending.stroke = frame.stroke
        pending.xs.append(frame.x)
        pending.ys.append(frame.y)
        pending.ts.append(frame.t)
        pending.ps.append(frame.p)
        if time.monotonic() - pending.last_sent >= self._interval:
            await self._flush(session, pending)

    async def end(self, session: SessionInfo) -> None:
        """The pen lifted (or the drawing is about to be submitted): send what is held."""
        pending = self._relayed.get(session.session_id)
        if pending is not None and pending.xs:
            await self._flush(session, pending)

    async def _flush(self, session: SessionInfo, pending: _Pending) -> None:
        event = {
            "type": "points",
            "live": live_id(session.session_id),
            "nickname": session.nickname,
            "shape": shape_by_id(session.prompt_id).name,
            "stroke": pending.stroke,
            "x": np.concatenate(pending.xs).astype("<f4").tobytes(),
            "y": np.concatenate(pending.ys).astype("<f4").tobytes(),
            "t": np.concatenate(pending.ts).astype("<u4").tobytes(),
            "p": np.concatenate(pending.ps).astype("<f4").tobytes(),
        }
        pending.xs.clear()
        pending.ys.clear()
        pending.ts.clear()
        pending.ps.clear()
        pending.last_sent = time.monotonic()
        await self._publish(event)

    async def event(self, session: SessionInfo, kind: str) -> None:
        pending = self._relayed.get(session.session_id)
        if pending is not None:
            # Spectators must hold the stroke an undo removes before they hear of the undo.
            await self.end(session)
            await self._publish({"type": kind, "live": live_id(session.session_id)})

    async def _publish(self, event: dict[str, object]) -> None:
        try:
            await self._feed.publish(WATCH_CHANNEL, event)
        except (RedisError, OSError) as exc:
            log.warning("spectator relay failed: %s", exc)
