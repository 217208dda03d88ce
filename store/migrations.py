"""Versioned SQL migrations, applied in order, each once, each in its own transaction.

An advisory lock serialises concurrent migrators (several servers starting at once), and
the applied versions are recorded in `schema_migrations`, so running `migrate` again is a
no-op.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from store.sql import SQL_DIR

MIGRATIONS_DIR = SQL_DIR / "migrations"
_LOCK_KEY = 0x44524157  # "DRAW"
_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path


class MigrationError(RuntimeError):
    """Raised when migration files are misnamed or numbered twice."""


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        m = _FILE.match(path.name)
        if not m:
            raise MigrationError(f"migration file {path.name} is not named NNN_name.sql")
        version = int(m.group(1))
        if version in found:
            raise MigrationError(f"migration version {version} appears twice")
        found[version] = Migration(version, m.group(2), path)
    return [found[v] for v in sorted(found)]


async def migrate(conn: asyncpg.Connection) -> list[int]:
    """Apply pending migrations; return the versions applied by this call."""
    applied_now: list[int] = []
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
        for mig in discover():
            if mig.version in done:
                continue
            async with conn.transaction():
                await conn.execute(mig.path.read_text())
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    mig.version,
                    mig.name,
                )
            applied_now.append(mig.version)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    return applied_now
