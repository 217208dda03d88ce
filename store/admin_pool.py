"""The admin portal's own small PostgreSQL pool, for its reads.

Admin reads are ad-hoc filtered queries whose best index depends on the values (a rare device,
a narrow quality band, a date range), so every connection here plans each statement for the
values at hand (`plan_cache_mode = force_custom_plan`; a generic plan, reused after five runs
of a prepared statement, could walk the whole table for a rare value) and never JIT-compiles
(tens of milliseconds, more than any page takes). Setting that per connection costs no round
trip per query, and a pool of its own keeps those settings off the app's hot paths, keeps an
admin browsing spree from taking the connections the flusher and players need, and is the one
place to point at a read replica (ARCHITECTURE.md) when there is one. Curation writes go
through the main pool.
"""

from __future__ import annotations

import asyncpg

from store.database import create_pool

ADMIN_SETTINGS = {"plan_cache_mode": "force_custom_plan", "jit": "off"}
# Admins are few; four connections serve a dashboard, a browser and thumbnails at once.
ADMIN_POOL_SIZE = 4


async def create_admin_pool(dsn: str) -> asyncpg.Pool:
    return await create_pool(
        dsn, min_size=1, max_size=ADMIN_POOL_SIZE, server_settings=ADMIN_SETTINGS
    )
