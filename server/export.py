"""`drawstream export`: every live drawing, read back from PostgreSQL + shards, one JSON line
each in Quick, Draw!'s raw layout. Streams: one shard's drawings in memory at a time."""

from __future__ import annotations

import json
from typing import TextIO

from game.quickdraw import to_raw
from store import services
from store.dataset import iter_stored
from store.drawings import Location, iter_live_locations
from store.objects import ObjectStore
from store.settings import Settings


async def _write_shard(objects: ObjectStore, group: list[Location], out: TextIO) -> int:
    count = 0
    async for stored in iter_stored(objects, group):
        out.write(json.dumps(to_raw(stored.id, stored.drawing), separators=(",", ":")))
        out.write("\n")
        count += 1
    return count


async def export_ndjson(settings: Settings, out: TextIO) -> int:
    svc = await services.connect(settings, pool_size=2)
    try:
        count = 0
        group: list[Location] = []
        async with svc.pool.acquire() as conn, conn.transaction():
            async for loc in iter_live_locations(conn):
                if group and loc.shard_key != group[-1].shard_key:
                    count += await _write_shard(svc.objects, group, out)
                    group = []
                group.append(loc)
        if group:
            count += await _write_shard(svc.objects, group, out)
        return count
    finally:
        await svc.close()
