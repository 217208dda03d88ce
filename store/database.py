"""The PostgreSQL connection pool.

JSONB columns are decoded to Python objects by a per-connection codec so queries hand back
plain dicts and no caller parses JSON itself.
"""

from __future__ import annotations

import json

import asyncpg


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(
    dsn: str,
    min_size: int = 1,
    max_size: int = 10,
    server_settings: dict[str, str] | None = None,
) -> asyncpg.Pool:
    """`server_settings` apply to every connection of the pool (PostgreSQL GUCs)."""
    pool: asyncpg.Pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        command_timeout=30,
        server_settings=server_settings,
    )
    return pool
