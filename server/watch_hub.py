"""The spectator hub of one server process.

It subscribes once to the spectator channel, keeps the few drawings being made right now (so
a spectator who joins mid-drawing sees the strokes so far), refreshes leaderboards at most
once a second after drawings are accepted, and fans every event out to its sockets through
bounded queues: a slow spectator drops events, never slows the hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from store.feed import Feed
from store.keys import WATCH_CHANNEL
from store.live import Leaderboards, LiveState, utc_day

log = logging.getLogger("drawstream.watch")

_QUEUE = 256
_MAX_TILES = 12
_TILE_IDLE_S = 60.0


@dataclass(slots=True)
class _Tile:
    nickname: str
    shape: str
    strokes: list[dict[str, Any]] = field(default_factory=list)
    touched: float = 0.0


def leaderboards_frame(boards: Leaderboards) -> dict[str, Any]:
    def rows(entries: list[Any]) -> list[list[Any]]:
        return [[e.nickname, e.score] for e in entries]

    return {
        "type": "leaderboards",
        "today": rows(boards.today),
        "all": rows(boards.all_time),
        "streak": rows(boards.streak),
    }


class WatchHub:
    def __init__(self, feed: Feed, live: LiveState) -> None:
        self._feed = feed
        self._live = live
        self._watchers: set[asyncio.Queue[dict[str, Any]]] = set()
        self._tiles: OrderedDict[str, _Tile] = OrderedDict()
        self._boards: dict[str, Any] | None = None
        self._dirty = asyncio.Event()

    async def run(self) -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._listen())
            tg.create_task(self._refresh_boards())

    async def _listen(self) -> None:
        while True:
            try:
                async for event in self._feed.subscribe(WATCH_CHANNEL):
                    self._apply(event)
                    self._broadcast(event)
            except (ConnectionError, OSError) as exc:
                log.warning("spectator feed lost (%s); resubscribing", exc)
                await asyncio.sleep(1.0)

    async def _refresh_boards(self) -> None:
        self._dirty.set()
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            with contextlib.suppress(ConnectionError, OSError):
                self._boards = leaderboards_frame(await self._live.leaderboards(utc_day()))
                self._broadcast(self._boards)
            await asyncio.sleep(1.0)

    def _apply(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        live = str(event.get("live", ""))
        now = time.monotonic()
        for key in [k for k, t in self._tiles.items() if now - t.touched > _TILE_IDLE_S]:
            del self._tiles[key]
        if kind == "points":
            tile = self._tiles.get(live)
            if tile is None:
                tile = self._tiles[live] = _Tile(event["nickname"], event["shape"])
                while len(self._tiles) > _MAX_TILES:
                    self._tiles.popitem(last=False)
            tile.shape = event["shape"]
            tile.touched = now
            stroke = int(event["stroke"])
            while len(tile.strokes) <= stroke:
                tile.strokes.append({"x": b"", "y": b"", "t": b"", "p": b""})
            s = tile.strokes[stroke]
            for k in ("x", "y", "t", "p"):
                s[k] = s[k] + event[k]
        elif kind in ("clear", "done"):
            if kind == "done":
                self._dirty.set()
            tile = self._tiles.get(live)
            if tile is not None:
                tile.strokes.clear()
        elif kind == "leave":
            self._tiles.pop(live, None)
        elif kind == "undo":
            tile = self._tiles.get(live)
            if tile is not None and tile.strokes:
                tile.strokes.pop()

    def _broadcast(self, event: dict[str, Any]) -> None:
        for q in self._watchers:
            if q.full():
                q.get_nowait()
            q.put_nowait(event)

    def join(self) -> tuple[asyncio.Queue[dict[str, Any]], dict[str, Any]]:
        q: asyncio.Queue[dict[str, Any]] = asyncio.Queue(_QUEUE)
        self._watchers.add(q)
        snapshot = {
            "type": "snapshot",
            "live": [
                {"live": k, "nickname": t.nickname, "shape": t.shape, "strokes": t.strokes}
                for k, t in self._tiles.items()
            ],
            "leaderboards": {
                k: (self._boards or {}).get(k, []) for k in ("today", "all", "streak")
            },
        }
        return q, snapshot

    def leave(self, q: asyncio.Queue[dict[str, Any]]) -> None:
        self._watchers.discard(q)

    @property
    def watchers(self) -> int:
        return len(self._watchers)
