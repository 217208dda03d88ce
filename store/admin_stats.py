"""The dashboard's numbers, read from the counters migration 002 keeps (never a count over
`drawings`), so they cost the same at a thousand drawings or a hundred million.

All of them are exact as of the last commit: the counters change in the same transaction as
the rows they count. Live means not soft-deleted; flagged drawings are live (they are still in
the dataset, only excluded from training) and counted in every breakdown.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import asyncpg

from game.shapes import SHAPES
from store.sql import query

QUALITY_BUCKETS = 10
DAYS = 30


@dataclass(frozen=True, slots=True)
class Totals:
    drawings: int  # live
    flagged: int  # live and flagged
    deleted: int  # soft-deleted, not yet purged
    synthetic: int  # live, device "synthetic"
    generated: int  # live, device "generated"


@dataclass(frozen=True, slots=True)
class DatasetStats:
    totals: Totals
    per_shape: list[tuple[str, int]]  # every shape of the catalogue, live drawings
    per_day: list[tuple[date, int]]  # the last DAYS UTC days up to `today`, oldest first
    per_device: list[tuple[str, int]]  # devices that have live drawings, most first
    quality: list[int]  # live drawings per quality bucket [i/10, (i+1)/10), the last incl. 1


async def dataset_stats(pool: asyncpg.Pool, today: date) -> DatasetStats:
    first_day = today - timedelta(days=DAYS - 1)
    by: dict[str, dict[str, int]] = defaultdict(dict)
    for breakdown, key, n in await pool.fetch(query("admin", "stats"), first_day):
        by[breakdown][key] = int(n)
    shapes = {int(k): n for k, n in by["shape"].items()}
    devices = Counter({k: n for k, n in by["device"].items() if n > 0})
    quality = [by["quality"].get(str(i), 0) for i in range(QUALITY_BUCKETS)]
    per_day = {date.fromisoformat(k): n for k, n in by["day"].items()}
    return DatasetStats(
        Totals(
            drawings=sum(shapes.values()),
            flagged=by["flagged"]["all"],
            deleted=by["deleted"]["all"],
            synthetic=devices["synthetic"],
            generated=devices["generated"],
        ),
        per_shape=[(s.name, shapes.get(s.id, 0)) for s in SHAPES],
        per_day=[
            (d, per_day.get(d, 0)) for d in (first_day + timedelta(days=i) for i in range(DAYS))
        ],
        per_device=devices.most_common(),
        quality=quality,
    )


async def recent_per_shape(pool: asyncpg.Pool, seconds: float) -> dict[int, int]:
    """Drawings stored in the last `seconds`, by shape id."""
    rows = await pool.fetch(query("admin", "recent_per_shape"), seconds)
    return {r["shape_id"]: int(r["n"]) for r in rows}
