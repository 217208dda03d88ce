"""Reading stored drawings back: from PostgreSQL locations to decoded records.

Rows are grouped by shard; a shard most of whose bytes are wanted is fetched whole (one
sequential read), otherwise each drawing is a ranged read. Export and training both read
through here, so what they see is exactly what was stored.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from itertools import groupby

from store.drawings import Location
from store.objects import ObjectStore
from store.records import StoredDrawing, decode_record

# Fetch the whole shard when the wanted bytes cover at least this share of it.
_WHOLE_SHARD_SHARE = 0.5


async def iter_stored(
    objects: ObjectStore, locations: Iterable[Location]
) -> AsyncIterator[StoredDrawing]:
    """Decoded drawings in shard order; `locations` must be sorted by (shard, offset)."""
    for shard_key, group in groupby(locations, key=lambda loc: loc.shard_key):
        locs = list(group)
        end = max(loc.offset + loc.length for loc in locs)
        wanted = sum(loc.length for loc in locs)
        if len(locs) > 1 and wanted >= _WHOLE_SHARD_SHARE * end:
            blob = await objects.get_range(shard_key, 0, end)
            for loc in locs:
                yield decode_record(blob[loc.offset : loc.offset + loc.length])
        else:
            for loc in locs:
                yield decode_record(await objects.get_range(shard_key, loc.offset, loc.length))
