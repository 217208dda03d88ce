"""Typed access to the `drawings` and `users` tables."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from store.records import StoredDrawing
from store.sql import query


@dataclass(frozen=True, slots=True)
class Location:
    id: uuid.UUID
    shape_id: int
    shard_key: str
    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class PlayerTotals:
    user_id: str
    nickname: str
    total: int
    best_streak: int


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


async def insert_shard_rows(
    conn: asyncpg.Connection,
    shard_key: str,
    rows: Sequence[tuple[int, int, StoredDrawing]],
    players: Sequence[PlayerTotals],
) -> None:
    """Insert one shard's drawings (offset, length, record) and their players atomically."""
    latest: dict[str, datetime] = {}
    for _, _, s in rows:
        at = _at(s.received_at_ms)
        latest[s.user_id] = max(at, latest.get(s.user_id, at))
    async with conn.transaction():
        await conn.execute(
            query("drawings", "upsert_users"),
            [uuid.UUID(p.user_id) for p in players],
            [p.nickname for p in players],
            [p.total for p in players],
            [p.best_streak for p in players],
            [latest.get(p.user_id, datetime.now(UTC)) for p in players],
        )
        await conn.execute(
            query("drawings", "insert_drawings"),
            [uuid.UUID(s.id) for _, _, s in rows],
            [uuid.UUID(s.user_id) for _, _, s in rows],
            [s.session_id for _, _, s in rows],
            [s.drawing.shape_id for _, _, s in rows],
            [shard_key] * len(rows),
            [off for off, _, _ in rows],
            [length for _, length, _ in rows],
            [len(s.drawing.strokes) for _, _, s in rows],
            [s.drawing.point_count for _, _, s in rows],
            [s.drawing.duration_ms for _, _, s in rows],
            [s.drawing.device for _, _, s in rows],
            [
                {
                    "canvas": [s.drawing.canvas_width, s.drawing.canvas_height],
                    "startedAt": s.drawing.started_at_ms,
                    "synthetic": s.drawing.device == "synthetic",
                    "generated": s.drawing.device == "generated",
                    **s.drawing.extra,
                }
                for _, _, s in rows
            ],
            [s.quality for _, _, s in rows],
            [_at(s.received_at_ms) for _, _, s in rows],
        )


async def iter_live_locations(conn: asyncpg.Connection) -> AsyncIterator[Location]:
    """Every live drawing's location in shard order, streamed through a server-side cursor
    so memory stays flat however large the dataset (call inside a transaction)."""
    async for r in conn.cursor(query("drawings", "locate_live"), prefetch=5000):
        yield Location(r[0], r[1], r[2], r[3], r[4])


async def locate_one(conn: asyncpg.Connection, drawing_id: uuid.UUID) -> Location | None:
    r = await conn.fetchrow(query("drawings", "locate_one"), drawing_id)
    if r is None or r["deleted_at"] is not None:
        return None
    return Location(r[0], r[1], r[2], r[3], r[4])
