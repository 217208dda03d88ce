"""`drawstream export`: every live drawing, read back from PostgreSQL + shards, one JSON line
each in Quick, Draw!'s raw layout."""

from __future__ import annotations

import json
from typing import TextIO

from game.quickdraw import to_raw
from store import services
from store.dataset import iter_stored
from store.drawings import locate_live
from store.settings import Settings


async def export_ndjson(settings: Settings, out: TextIO) -> int:
    svc = await services.connect(settings, pool_size=2)
    try:
        async with svc.pool.acquire() as conn:
            locations = await locate_live(conn)
        count = 0
        async for stored in iter_stored(svc.objects, locations):
            out.write(json.dumps(to_raw(stored.id, stored.drawing), separators=(",", ":")))
            out.write("\n")
            count += 1
        return count
    finally:
        await svc.close()
