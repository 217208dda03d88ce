"""A minimal /ws/play client for tests and benchmarks, speaking docs/ws-protocol.md."""

from __future__ import annotations

from typing import Any

import msgpack
import numpy as np
from websockets.asyncio.client import ClientConnection, connect

from game.strokes import Drawing, Stroke


def points_frame(index: int, s: Stroke, lo: int, hi: int) -> dict[str, Any]:
    return {
        "type": "points",
        "stroke": index,
        "x": s.x[lo:hi].astype("<f4").tobytes(),
        "y": s.y[lo:hi].astype("<f4").tobytes(),
        "t": s.t[lo:hi].astype("<u4").tobytes(),
        "p": s.p[lo:hi].astype("<f4").tobytes(),
        "color": s.color,
        "width": s.width,
    }


def stroke_map(s: Stroke) -> dict[str, Any]:
    f = points_frame(0, s, 0, len(s))
    return {k: f[k] for k in ("x", "y", "t", "p", "color", "width")}


def submit_frame(d: Drawing, key: str, with_strokes: bool = False) -> dict[str, Any]:
    f: dict[str, Any] = {
        "type": "submit",
        "key": key,
        "shape": d.shape_id,
        "canvas": [d.canvas_width, d.canvas_height],
        "duration_ms": d.duration_ms,
        "started_at": d.started_at_ms,
    }
    if with_strokes:
        f["strokes"] = [stroke_map(s) for s in d.strokes]
    return f


class PlayClient:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def open(cls, ws_url: str) -> PlayClient:
        return cls(await connect(f"{ws_url}/ws/play", compression=None, max_size=2**20))

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send(msgpack.packb(frame, use_bin_type=True))

    async def recv(self) -> dict[str, Any]:
        data = await self.ws.recv()
        assert isinstance(data, bytes)
        frame: dict[str, Any] = msgpack.unpackb(data, raw=False)
        return frame

    async def recv_type(self, kind: str) -> dict[str, Any]:
        """Next frame of `kind`, skipping live guesses."""
        while True:
            frame = await self.recv()
            if frame["type"] == kind or frame["type"] == "error":
                return frame

    async def hello(self, **fields: Any) -> dict[str, Any]:
        await self.send({"type": "hello", "device": "mouse", **fields})
        return await self.recv_type("welcome")

    async def draw(self, d: Drawing, batch: int = 8) -> None:
        for i, s in enumerate(d.strokes):
            for lo in range(0, len(s), batch):
                await self.send(points_frame(i, s, lo, min(len(s), lo + batch)))
            await self.send({"type": "end", "stroke": i})

    async def submit(self, d: Drawing, key: str, with_strokes: bool = False) -> dict[str, Any]:
        await self.send(submit_frame(d, key, with_strokes))
        return await self.recv_type("ack")

    async def close(self) -> None:
        await self.ws.close()


def nan_stroke(s: Stroke) -> Stroke:
    x = s.x.copy()
    x[2] = np.nan
    return Stroke(x, s.y, s.t, s.p, s.color, s.width)
