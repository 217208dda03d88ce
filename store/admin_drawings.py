"""The admins' view of `drawings`: browsing pages, one drawing, and curation (flag, delete,
restore, quality) of one drawing, a selection, or everything a filter matches."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from game.curation import Curation
from game.cursor import Cursor
from game.drawing_query import DrawingFilter, PageRequest
from store import drawing_filters
from store.drawing_filters import Statement
from store.drawings import Location
from store.sql import query

# Rows per transaction of a filter-wide action: each batch holds its row locks for a few
# tens of milliseconds, so players' drawings keep flowing in while an admin flags 100,000.
DEFAULT_BATCH = 2000


@dataclass(frozen=True, slots=True)
class DrawingRow:
    id: uuid.UUID
    shape_id: int
    created_at: datetime
    quality: float
    flagged: bool
    flag_reason: str | None
    deleted_at: datetime | None
    device: str
    session_id: str
    stroke_count: int
    point_count: int
    duration_ms: int

    @classmethod
    def of(cls, r: Mapping[str, Any]) -> DrawingRow:
        return cls(
            r["id"],
            r["shape_id"],
            r["created_at"],
            float(r["quality_score"]),
            r["is_flagged"],
            r["flag_reason"],
            r["deleted_at"],
            r["device"],
            r["session_id"],
            r["stroke_count"],
            r["point_count"],
            r["duration_ms"],
        )

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.created_at, self.id)


@dataclass(frozen=True, slots=True)
class DrawingDetail:
    row: DrawingRow
    user_id: uuid.UUID
    flagged_at: datetime | None
    metadata: dict[str, Any]
    location: Location


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[DrawingRow]
    next: Cursor | None  # where the following page starts; None on the last page


async def browse(pool: asyncpg.Pool, request: PageRequest) -> Page:
    """One page newest first; one row more than asked says whether another page exists.

    `pool` should plan per call (store/admin_pool.py): the best index depends on the values.
    """
    stmt = Statement("browse", request.limit + 1)
    sql = stmt.render(filters=drawing_filters.where(stmt, request.filter, request.cursor))
    rows = [DrawingRow.of(r) for r in await pool.fetch(sql, *stmt.args)]
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    return Page(rows, rows[-1].cursor if more else None)


async def drawing(pool: asyncpg.Pool, drawing_id: uuid.UUID) -> DrawingDetail | None:
    r = await pool.fetchrow(query("admin", "drawing"), drawing_id)
    if r is None:
        return None
    location = Location(r["id"], r["shape_id"], r["shard_key"], r["byte_offset"], r["byte_length"])
    return DrawingDetail(DrawingRow.of(r), r["user_id"], r["flagged_at"], r["metadata"], location)


async def curate_one(
    pool: asyncpg.Pool, drawing_id: uuid.UUID, change: Curation
) -> DrawingRow | None:
    """Apply `change` to one drawing; its row afterwards, or None when no such drawing."""
    stmt = Statement("curate_one", drawing_id)
    sql = stmt.render(**drawing_filters.change(stmt, change, with_pending=False))
    r = await pool.fetchrow(sql, *stmt.args)
    return None if r is None else DrawingRow.of(r)


async def curate_ids(pool: asyncpg.Pool, ids: Sequence[uuid.UUID], change: Curation) -> int:
    """Apply `change` to the given drawings in one statement; how many rows it changed."""
    stmt = Statement("curate_ids", list(ids))
    sql = stmt.render(**drawing_filters.change(stmt, change, with_pending=True))
    return _affected(await pool.execute(sql, *stmt.args))


async def curate_filter(
    pool: asyncpg.Pool,
    f: DrawingFilter,
    change: Curation,
    upto: datetime,
    batch_size: int = DEFAULT_BATCH,
) -> int:
    """Apply `change` to every drawing `f` matches that was created at or before `upto`.

    Batches of `batch_size` rows, each committed on its own, so the table is never locked for
    long; a failure part-way leaves the committed batches applied, and running the same action
    again finishes the rest (already changed rows are skipped).
    """
    stmt = Statement("curate_batch", batch_size)
    parts = drawing_filters.change(stmt, change, with_pending=True)
    sql = stmt.render(filters=drawing_filters.where(stmt, f, upto=upto), **parts)
    total = 0
    while True:
        done = _affected(await pool.execute(sql, *stmt.args))
        total += done
        if done < batch_size:
            return total


def _affected(status: str) -> int:
    """Rows changed, from a command tag such as 'UPDATE 17'."""
    return int(status.rsplit(" ", 1)[-1])
