"""Schema migrations against the real PostgreSQL."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from store.migrations import discover, migrate


async def test_migrations_are_idempotent_and_seed_shapes(migrated_dsn: str) -> None:
    conn = await asyncpg.connect(migrated_dsn)
    try:
        assert await migrate(conn) == []
        versions = [r[0] for r in await conn.fetch("SELECT version FROM schema_migrations")]
        assert versions == [m.version for m in discover()]
        names = [r[0] for r in await conn.fetch("SELECT name FROM shapes ORDER BY id")]
        assert names == ["line", "circle", "square", "triangle", "heart"]
    finally:
        await conn.close()


async def test_only_one_active_model_per_kind(migrated_dsn: str, clean: None) -> None:
    conn = await asyncpg.connect(migrated_dsn)
    try:
        insert = (
            "INSERT INTO models (id, version, artifact_key, metadata_key, is_active)"
            " VALUES ($1, $2, 'a', 'm', $3)"
        )
        await conn.execute(insert, uuid.uuid4(), 1, True)
        await conn.execute(insert, uuid.uuid4(), 2, False)
        with pytest.raises(asyncpg.UniqueViolationError):
            await conn.execute(insert, uuid.uuid4(), 3, True)
    finally:
        await conn.close()


async def test_check_constraints_guard_the_data(migrated_dsn: str, clean: None) -> None:
    conn = await asyncpg.connect(migrated_dsn)
    try:
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute(
                "INSERT INTO admin_users (id, email, password_hash) VALUES ($1, 'a@b', 'plain')",
                uuid.uuid4(),
            )
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute(
                "INSERT INTO training_jobs (id, config, config_hash, status)"
                " VALUES ($1, '{}', $2, 'exploded')",
                uuid.uuid4(),
                "0" * 64,
            )
    finally:
        await conn.close()
