"""Typed access to the `models` table, and the activation every server process listens for.

Activation is one transaction (the partial unique index keeps exactly one model of a kind
active) followed by a message on the model channel; each server then loads the new model
beside the old one and swaps. The message is only a hint to act now: servers also re-read the
active row periodically, so a lost message delays a swap by seconds, never forever.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

import asyncpg

from store.feed import Feed
from store.keys import ADMIN_CHANNEL, MODEL_CHANNEL
from store.objects import ObjectStore
from store.sql import query

# Both a pool and a single connection run these queries (the server, the worker, tests).
Executor: TypeAlias = asyncpg.Pool | asyncpg.Connection

CLASSIFIER = "classifier"
GENERATOR = "generator"


class ModelNotFound(LookupError):
    """Raised when activating a model id that no row has."""


@dataclass(frozen=True, slots=True)
class ModelRow:
    id: uuid.UUID
    kind: str
    version: int
    artifact_key: str  # the ONNX file in the object store
    metadata_key: str  # the JSON metadata file written beside it
    metrics: dict[str, Any]
    dataset: dict[str, Any]
    is_active: bool
    created_at: datetime
    activated_at: datetime | None
    job_id: uuid.UUID | None

    @classmethod
    def of(cls, r: Mapping[str, Any]) -> ModelRow:
        return cls(
            r["id"],
            r["kind"],
            r["version"],
            r["artifact_key"],
            r["metadata_key"],
            r["metrics"] or {},
            r["dataset"] or {},
            r["is_active"],
            r["created_at"],
            r["activated_at"],
            r["job_id"],
        )

    @property
    def accuracy(self) -> float | None:
        """Holdout accuracy recorded by training, when it recorded one."""
        value = self.metrics.get("accuracy")
        return float(value) if isinstance(value, int | float) else None


async def active_model(db: Executor, kind: str = CLASSIFIER) -> ModelRow | None:
    row = await db.fetchrow(query("models", "active"), kind)
    return None if row is None else ModelRow.of(row)


async def model_by_id(db: Executor, model_id: uuid.UUID) -> ModelRow | None:
    row = await db.fetchrow(query("models", "by_id"), model_id)
    return None if row is None else ModelRow.of(row)


async def models_page(db: Executor, kind: str = CLASSIFIER, limit: int = 100) -> list[ModelRow]:
    """The versions of `kind`, newest first, at most `limit`."""
    return [ModelRow.of(r) for r in await db.fetch(query("models", "page"), kind, limit)]


async def lock_next_version(conn: asyncpg.Connection, kind: str = CLASSIFIER) -> int:
    """The next version of `kind`, reserved until the caller's transaction ends.

    Takes the kind's activation lock, so two trainings finishing at once number their models
    one after the other instead of colliding on UNIQUE (kind, version); the version can then
    name the artifact's object key before the row exists.
    """
    await conn.execute(query("models", "lock_kind"), kind)
    return int(await conn.fetchval(query("models", "next_version"), kind))


async def insert_model(
    db: Executor,
    *,
    artifact_key: str,
    metadata_key: str,
    kind: str = CLASSIFIER,
    version: int | None = None,
    metrics: dict[str, Any] | None = None,
    dataset: dict[str, Any] | None = None,
    job_id: uuid.UUID | None = None,
    model_id: uuid.UUID | None = None,
) -> ModelRow:
    """Record a trained model (inactive). Without `version`, the kind's next number is used."""
    if version is None:
        version = int(await db.fetchval(query("models", "next_version"), kind))
    row = await db.fetchrow(
        query("models", "insert"),
        model_id or uuid.uuid4(),
        kind,
        version,
        artifact_key,
        metadata_key,
        metrics or {},
        dataset or {},
        job_id,
    )
    return ModelRow.of(row)


async def activate_model(conn: asyncpg.Connection, model_id: uuid.UUID) -> ModelRow:
    """Make `model_id` the one active model of its kind, in one transaction.

    Readers see the old model active or the new one, never none and never two. Call
    `announce_activation` after it returns, so every server swaps now rather than at its next
    periodic check.
    """
    async with conn.transaction():
        found = await model_by_id(conn, model_id)
        if found is None:
            raise ModelNotFound(str(model_id))
        await conn.execute(query("models", "lock_kind"), found.kind)
        await conn.execute(query("models", "deactivate_others"), found.kind, model_id)
        return ModelRow.of(await conn.fetchrow(query("models", "activate"), model_id))


async def announce_activation(feed: Feed, row: ModelRow) -> None:
    """Tell every server process that `row` is now the active model of its kind."""
    await feed.publish(
        MODEL_CHANNEL,
        {"type": "activated", "kind": row.kind, "id": str(row.id), "version": row.version},
    )


async def activate_and_announce(pool: asyncpg.Pool, feed: Feed, model_id: uuid.UUID) -> ModelRow:
    """What the admin activation route does: the transaction, then the notification."""
    async with pool.acquire() as conn:
        row = await activate_model(conn, model_id)
    await announce_activation(feed, row)
    return row


class ActiveModelSource:
    """Where a server finds the model to serve: the active row, its artifact, activation
    messages, and the admin feed for load reports (inference/registry.py's `ModelSource`)."""

    def __init__(
        self, pool: asyncpg.Pool, objects: ObjectStore, feed: Feed, kind: str = CLASSIFIER
    ) -> None:
        self._pool = pool
        self._objects = objects
        self._feed = feed
        self._kind = kind
        self._server = f"{socket.gethostname()}:{os.getpid()}"

    async def active(self) -> ModelRow | None:
        return await active_model(self._pool, self._kind)

    async def fetch(self, record: ModelRow) -> bytes:
        return await self._objects.get(record.artifact_key)

    async def activations(self) -> AsyncIterator[object]:
        async for event in self._feed.subscribe(MODEL_CHANNEL):
            if event.get("kind") == self._kind:
                yield event

    async def report(self, event: dict[str, Any]) -> None:
        await self._feed.publish(
            ADMIN_CHANNEL, {**event, "kind": self._kind, "server": self._server}
        )
