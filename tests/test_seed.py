"""`drawstream seed` goes through the real ingestion path and ends flushed."""

from __future__ import annotations

import io

import asyncpg

from server.seed import seed
from store.settings import Settings


async def test_seed_stores_balanced_synthetic_drawings(settings: Settings) -> None:
    out = io.StringIO()
    result = await seed(settings, per_shape=12, rng_seed=3, out=out)
    assert result.submitted == 60 and result.flushed == 60
    assert out.getvalue().strip().endswith("seeded 60/60")
    conn = await asyncpg.connect(settings.database_url)
    try:
        rows = await conn.fetch(
            "SELECT shape_id, device, count(*) AS n, bool_and((metadata->>'synthetic')::bool) AS s"
            " FROM drawings GROUP BY shape_id, device ORDER BY shape_id"
        )
        users = await conn.fetchval("SELECT count(*) FROM users")
    finally:
        await conn.close()
    assert [(r["shape_id"], r["device"], r["n"], r["s"]) for r in rows] == [
        (i, "synthetic", 12, True) for i in range(1, 6)
    ]
    assert users == 1
