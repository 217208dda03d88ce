"""The fixed sample of drawings two models are compared on, read back with their strokes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import asyncpg

from store.drawings import Location
from store.objects import ObjectNotFound, ObjectStore
from store.records import CorruptRecord, StoredDrawing, decode_record
from store.sql import query

log = logging.getLogger("drawstream.evaluation")

SAMPLE_SIZE = 500
# Ranged reads in flight at once: against S3 each costs a round trip, so 500 sequential
# reads would take seconds; 16 at a time keeps it well under one.
_CONCURRENT_READS = 16


async def evaluation_sample(pool: asyncpg.Pool, size: int = SAMPLE_SIZE) -> list[Location]:
    """Up to `size` live, unflagged drawings: the same ones for as long as the dataset is."""
    rows = await pool.fetch(query("admin", "evaluation_sample"), size)
    return [Location(r[0], r[1], r[2], r[3], r[4]) for r in rows]


async def read_drawings(
    objects: ObjectStore, locations: Sequence[Location]
) -> list[tuple[Location, StoredDrawing]]:
    """Each drawing by one ranged read, concurrently; unreadable ones are logged and left out
    (a comparison over 499 drawings beats none)."""
    gate = asyncio.Semaphore(_CONCURRENT_READS)

    async def one(loc: Location) -> StoredDrawing | None:
        async with gate:
            try:
                return decode_record(await objects.get_range(loc.shard_key, loc.offset, loc.length))
            except (ObjectNotFound, CorruptRecord) as exc:
                log.warning("drawing %s left out of the evaluation: %s", loc.id, exc)
                return None

    stored = await asyncio.gather(*(one(loc) for loc in locations))
    return [(loc, s) for loc, s in zip(locations, stored, strict=True) if s is not None]
