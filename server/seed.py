"""`drawstream seed`: synthetic drawings of every shape, through the real ingestion path.

Each drawing is validated, appended to the write-ahead log and counted exactly like a
player's (the same Intake), then the backlog is flushed to shards and PostgreSQL, so a fresh
install has a dataset to train on within minutes. Synthetic drawings carry device
"synthetic"; training can include or exclude them.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from game.identity import nickname, user_id_for
from game.shapes import SHAPES
from game.synthetic import synth_drawing
from server.intake import Intake, RatePolicy
from server.metrics import Metrics
from store import services
from store.feed import Feed
from store.ingest import IngestLog
from store.live import LiveState, SessionInfo
from store.settings import Settings
from workers.flusher import Flusher

# Drawings per synthetic "player" session, so leaderboards are not one giant seed user.
_PER_SESSION = 100
# Submissions in flight at once: enough to share each fsync among many appends, few enough
# to keep memory flat for any --per-shape.
_CHUNK = 256
# An operator tool, not a player: no per-minute submission limits.
_UNLIMITED = RatePolicy(10**9, 10**9)


@dataclass(frozen=True, slots=True)
class SeedResult:
    submitted: int
    flushed: int
    seconds: float


async def seed(
    settings: Settings, per_shape: int, rng_seed: int, out: TextIO = sys.stderr
) -> SeedResult:
    started = time.monotonic()
    svc = await services.connect(settings, pool_size=2)
    try:
        live = LiveState(svc.redis)
        intake = Intake(
            IngestLog(svc.redis), live, Feed(svc.redis), Metrics(), settings.limits, _UNLIMITED
        )
        run = uuid.uuid4().hex[:8]
        total = per_shape * len(SHAPES)
        rng = np.random.default_rng(rng_seed)
        order = [s.id for _ in range(per_shape) for s in SHAPES]
        done = 0
        for lo in range(0, total, _CHUNK):
            batch = []
            for i in range(lo, min(total, lo + _CHUNK)):
                k = i // _PER_SESSION
                uid = user_id_for(f"seed-{run}-{k}")
                session = SessionInfo(
                    f"seed-{run}-{k:06d}", str(uid), nickname(uid), "synthetic", order[i]
                )
                if i % _PER_SESSION == 0 or i == lo:
                    await live.open_session(session)
                drawing = synth_drawing(order[i], rng, started_at_ms=int(time.time() * 1000))
                batch.append(intake.submit(session, f"seed-{i}", drawing, "seed"))
            await asyncio.gather(*batch)
            done += len(batch)
            print(f"seeded {done}/{total}", file=out, flush=True)
        flushed = await Flusher(
            svc, f"seed-{run}", settings.flush_batch_size, settings.flush_block_ms
        ).drain()
        return SeedResult(total, flushed, time.monotonic() - started)
    finally:
        await svc.close()
