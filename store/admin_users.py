"""Typed access to the `admin_users` table.

There is no default account: a row only ever comes from `create`, which only
`drawstream create-admin` calls.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TypeAlias

import asyncpg

from store.sql import query

# Both a pool and a single connection run these queries (the server and the CLI).
Executor: TypeAlias = asyncpg.Pool | asyncpg.Connection


class AdminExists(Exception):
    """Raised when an admin with the same email (any case) already exists."""


@dataclass(frozen=True, slots=True)
class AdminUser:
    id: uuid.UUID
    email: str
    password_hash: str


async def find_by_email(db: Executor, email: str) -> AdminUser | None:
    row = await db.fetchrow(query("admin_users", "find_by_email"), email)
    return None if row is None else AdminUser(row["id"], row["email"], row["password_hash"])


async def create(db: Executor, email: str, password_hash: str) -> uuid.UUID:
    admin_id = uuid.uuid4()
    try:
        await db.execute(query("admin_users", "create"), admin_id, email, password_hash)
    except asyncpg.UniqueViolationError:
        raise AdminExists(email) from None
    return admin_id


async def record_login(db: Executor, admin_id: uuid.UUID) -> None:
    await db.execute(query("admin_users", "record_login"), admin_id)
