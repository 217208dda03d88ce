"""Assembling the admin statements whose WHERE depends on the filters given.

Only fixed fragments from store/sql/queries/admin.sql are ever put together: one per filter
that is set, ANDed. Each fragment numbers its parameters from $1; `Statement` renumbers them
to follow the parameters already bound, so values always travel as bound parameters and the
SQL text comes from a small, known set (which also keeps asyncpg's statement cache small).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from game.curation import Curation
from game.cursor import Cursor
from game.drawing_query import DrawingFilter
from store.sql import query

_GROUP = "admin"
_PARAM = re.compile(r"\$(\d+)")


def _fragment_text(name: str) -> str:
    """A fragment without its comment lines (they would swallow what follows when joined)."""
    lines = query(_GROUP, name).splitlines()
    return " ".join(line.strip() for line in lines if not line.lstrip().startswith("--"))


class Statement:
    """One statement being assembled: its bound values so far, and fragments renumbered."""

    def __init__(self, name: str, *leading: Any) -> None:
        self._template = query(_GROUP, name)
        self.args: list[Any] = list(leading)

    def fragment(self, name: str, *values: Any) -> str:
        base = len(self.args)
        self.args.extend(values)
        return _PARAM.sub(lambda m: f"${base + int(m.group(1))}", _fragment_text(name))

    def render(self, **parts: str) -> str:
        sql = self._template
        for marker, text in parts.items():
            sql = sql.replace(f"/*{marker}*/", text)
        return sql


def _flag(value: bool | None, yes: str, no: str) -> Iterable[tuple[str, tuple[Any, ...]]]:
    if value is not None:
        yield (yes if value else no), ()


def _clauses(f: DrawingFilter) -> Iterable[tuple[str, tuple[Any, ...]]]:
    if f.shape_id is not None:
        yield "where_shape", (f.shape_id,)
    if f.created_from is not None:
        yield "where_from", (f.created_from,)
    if f.created_to is not None:
        yield "where_to", (f.created_to,)
    if f.quality_min is not None:
        yield "where_qmin", (f.quality_min,)
    if f.quality_max is not None:
        yield "where_qmax", (f.quality_max,)
    yield from _flag(f.flagged, "where_flagged", "where_unflagged")
    yield from _flag(f.deleted, "where_deleted", "where_live")
    if f.device is not None:
        yield "where_device", (f.device,)
    yield from _flag(f.synthetic, "where_synthetic", "where_not_synthetic")
    if f.session_id is not None:
        yield "where_session", (f.session_id,)


def where(
    stmt: Statement,
    f: DrawingFilter,
    after: Cursor | None = None,
    upto: datetime | None = None,
) -> str:
    """The WHERE condition for `f`, past `after` (keyset) and created at or before `upto`."""
    parts = [stmt.fragment(name, *values) for name, values in _clauses(f)]
    if after is not None:
        parts.append(stmt.fragment("where_after", after.created_at, after.id))
    if upto is not None:
        parts.append(stmt.fragment("where_upto", upto))
    return " AND ".join(parts) or "TRUE"


def _change_value(change: Curation) -> tuple[Any, ...]:
    if change.action == "flag":
        return (change.reason,)
    if change.action == "quality":
        return (change.quality,)
    return ()


def change(stmt: Statement, c: Curation, with_pending: bool) -> dict[str, str]:
    """The SET list of `c` and, when asked, the condition of rows it would still change.

    Both refer to the same bound value (the reason or the quality), bound once.
    """
    base = len(stmt.args)
    values = _change_value(c)
    parts = {"set": stmt.fragment(f"set_{c.action}", *values)}
    if with_pending:
        text = _fragment_text(f"pending_{c.action}")
        parts["pending"] = _PARAM.sub(lambda m: f"${base + int(m.group(1))}", text)
    return parts
