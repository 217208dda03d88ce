"""Streaming-recognition load: many /ws/classify sessions drawing at a fixed update rate.

Each session draws synthetic drawings as a sequence of updates (the points of one 200 ms
window of one stroke per `points` frame, then a `clear` before the next drawing), sending one
update per tick on a fixed schedule (open loop, random phase per session). The latency of an
update is from its send to the first `prediction` whose `seq` covers it.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import msgpack
import numpy as np

from bench.ws_client import client_frame, connect
from game.strokes import Drawing


@dataclass(slots=True)
class SessionStats:
    latencies: list[float] = field(default_factory=list)  # seconds, measured updates
    sent: int = 0  # measured updates
    sent_all: int = 0  # warm-up included (what the server's CPU time covers)
    unanswered: int = 0  # measured updates no prediction covered by the end
    errors: dict[str, int] = field(default_factory=dict)

    def fail(self, reason: str) -> None:
        self.errors[reason] = self.errors.get(reason, 0) + 1


def update_frames(d: Drawing, window_ms: int) -> list[bytes]:
    """The drawing as `points` frames of at most `window_ms` of drawing each, then `clear`."""
    frames = []
    for i, s in enumerate(d.strokes):
        lo = 0
        while lo < len(s):
            edge = int(s.t[lo]) + window_ms
            hi = max(int(np.searchsorted(s.t, edge, side="left")), lo + 1)
            frame = {
                "type": "points",
                "stroke": i,
                "x": s.x[lo:hi].astype("<f4").tobytes(),
                "y": s.y[lo:hi].astype("<f4").tobytes(),
                "t": s.t[lo:hi].astype("<u4").tobytes(),
                "p": s.p[lo:hi].astype("<f4").tobytes(),
            }
            frames.append(msgpack.packb(frame, use_bin_type=True))
            lo = hi
    frames.append(msgpack.packb({"type": "clear"}, use_bin_type=True))
    return frames


class _Session:
    """One session's bookkeeping: when each update was due, and the answers that cover it."""

    def __init__(self, out: SessionStats) -> None:
        self.out = out
        self.sent_at: dict[int, float] = {}
        self.measuring = False
        self.ready = asyncio.get_running_loop().create_future()

    def on_message(self, data: bytes) -> None:
        frame: dict[str, Any] = msgpack.unpackb(data, raw=False)
        kind = frame.get("type")
        if kind == "prediction":
            now = time.monotonic()
            seq = int(frame["seq"])
            for s in [s for s in self.sent_at if s <= seq]:
                sent = self.sent_at.pop(s)
                if self.measuring:
                    self.out.latencies.append(now - sent)
        elif kind == "error":
            self.out.fail(str(frame.get("code")))
        elif kind == "ready" and not self.ready.done():
            self.ready.set_result(None)


async def session(
    url: str,
    drawings: Sequence[Sequence[bytes]],
    key: bytes,
    rate: float,
    warm_until: float,
    stop_at: float,
    seed: int,
    out: SessionStats,
) -> None:
    rng = random.Random(seed)
    state = _Session(out)
    try:
        conn = await connect(url, key, state.on_message)
    except Exception as exc:  # a failed session is reported, not fatal to the run
        out.fail(f"{type(exc).__name__}: {exc}"[:120])
        return
    try:
        await state.ready
        seq = 0
        tick = time.monotonic() + rng.uniform(0, 1 / rate)
        while tick < stop_at:
            for frame in drawings[rng.randrange(len(drawings))]:
                delay = tick - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                if tick >= stop_at or conn.closed.done():
                    break
                state.measuring = tick >= warm_until
                seq += 1
                state.sent_at[seq] = tick  # from the scheduled time: lateness counts
                conn.send(frame)
                out.sent_all += 1
                if state.measuring:
                    out.sent += 1
                tick += 1 / rate
        await asyncio.sleep(1.0)  # the last predictions
        out.unanswered += sum(1 for s in state.sent_at.values() if s >= warm_until)
        if conn.closed.done():
            out.fail("closed by the server")
    finally:
        conn.close()


async def run_sessions(
    url: str,
    drawings: Sequence[Drawing],
    sessions: int,
    rate: float,
    warmup: float,
    seconds: float,
) -> SessionStats:
    key = os.urandom(4)
    frames = [[client_frame(f, key) for f in update_frames(d, int(1000 / rate))] for d in drawings]
    out = SessionStats()
    start = time.monotonic()
    tasks = []
    for i in range(sessions):  # connect gradually: a connection storm is not the workload
        tasks.append(
            asyncio.create_task(
                session(url, frames, key, rate, start + warmup, start + warmup + seconds, i, out)
            )
        )
        await asyncio.sleep(min(warmup / 2, 2.0) / sessions)
    await asyncio.gather(*tasks)
    return out
