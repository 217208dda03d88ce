"""Which stored drawings a training job learns from: a filter, and the query that applies it.

The filter travels as JSON (the admin's request, the job row, the model's dataset snapshot),
so it parses from and renders to plain dicts; it is applied in PostgreSQL with every value
bound, never formatted into SQL. Flagged and soft-deleted drawings are never selected, whatever
the filter says: curation must always win over a stale form.

Synthetic drawings (`drawstream seed`, device "synthetic") are included unless switched off, so
a fresh install can train at once; drawings made by a generator model (device "generated") are
excluded unless asked for, so a classifier never learns from another model's output by accident.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from game.errors import DomainError, FieldError
from store.drawings import Location
from store.sql import query

# Below this, the quality heuristic (game/quality.py) flags taps, dots and scrawls; seeded
# drawings score >= 0.9 and deliberate human ones mostly >= 0.8.
DEFAULT_MIN_QUALITY = 0.5


class InvalidSelection(DomainError):
    """Raised with one detail per bad field of a selection filter."""

    code = "invalid_config"


@dataclass(frozen=True, slots=True)
class Selection:
    shape_ids: tuple[int, ...]  # the classes of the model being trained
    min_quality: float = DEFAULT_MIN_QUALITY
    created_from: datetime | None = None  # inclusive
    created_to: datetime | None = None  # exclusive
    synthetic: bool = True
    generated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The filter as `from_dict` reads it (the shapes travel in the training config)."""
        return {
            "min_quality": self.min_quality,
            "created_from": _iso(self.created_from),
            "created_to": _iso(self.created_to),
            "synthetic": self.synthetic,
            "generated": self.generated,
        }

    @classmethod
    def from_dict(cls, raw: object, shape_ids: Sequence[int]) -> Selection:
        """Parse the filter an admin sent (snake_case keys, every one optional).

        `shape_ids` comes from the training config, not the filter: the model's classes and
        the shapes selected are one list, so they cannot disagree.
        """
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise InvalidSelection("selection must be an object", [_err("", "an object")])
        errors = [_err(k, "unknown field") for k in sorted(set(raw) - _FIELDS)]
        min_quality = raw.get("min_quality", DEFAULT_MIN_QUALITY)
        if (
            isinstance(min_quality, bool)
            or not isinstance(min_quality, int | float)
            or not (math.isfinite(min_quality) and 0.0 <= min_quality <= 1.0)
        ):
            errors.append(_err("min_quality", "a number from 0 to 1"))
            min_quality = DEFAULT_MIN_QUALITY
        created_from = _parse_time(raw, "created_from", errors)
        created_to = _parse_time(raw, "created_to", errors)
        if created_from and created_to and created_from >= created_to:
            errors.append(_err("created_to", "must be later than created_from"))
        flags = {}
        for name, default in (("synthetic", True), ("generated", False)):
            value = raw.get(name, default)
            if not isinstance(value, bool):
                errors.append(_err(name, "true or false"))
                value = default
            flags[name] = value
        if errors:
            raise InvalidSelection("the selection filter is invalid", errors)
        return cls(
            tuple(shape_ids),
            float(min_quality),
            created_from,
            created_to,
            flags["synthetic"],
            flags["generated"],
        )


_FIELDS = frozenset({"min_quality", "created_from", "created_to", "synthetic", "generated"})


def _err(name: str, message: str) -> FieldError:
    return FieldError(f"selection.{name}" if name else "selection", message)


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _parse_time(raw: dict[str, Any], name: str, errors: list[FieldError]) -> datetime | None:
    value = raw.get(name)
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        at = datetime.fromisoformat(value)
    except ValueError:
        errors.append(_err(name, "an ISO 8601 date or time, e.g. 2026-01-31T00:00:00Z"))
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # naive means UTC


async def select_locations(
    db: asyncpg.Pool | asyncpg.Connection, selection: Selection
) -> list[Location]:
    """Where every selected drawing's bytes are, sorted by (shard, offset) for streaming."""
    rows = await db.fetch(
        query("selection", "locations"),
        selection.min_quality,
        list(selection.shape_ids),
        selection.created_from,
        selection.created_to,
        selection.synthetic,
        selection.generated,
    )
    return [Location(r[0], r[1], r[2], r[3], r[4]) for r in rows]
