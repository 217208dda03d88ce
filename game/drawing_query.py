"""Which drawings an admin asks for: the data browser's filters and page size, validated.

One set of rules serves the list query string (`GET /api/admin/drawings?shape=...`) and the
`filter` object of a bulk action, so a bulk action on "this filter" touches exactly what the
browser showed. Values may be query-string text or JSON values; an empty string or null means
"not filtered". Every problem is reported at once, each with the field it concerns, and an
unknown key is an error rather than silently ignored (a typo would otherwise widen a bulk
action to the whole dataset).

Conventions, chosen for the UI's date pickers: `from` is inclusive; `to` is exclusive when it
is a date-time and inclusive of the whole day when it is a bare date (`to=2024-05-31` covers
May 31st). Times without an offset are UTC. "Synthetic" means the drawing's device is
`synthetic` (the flusher derives the metadata flag of the same name from it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from game.cursor import Cursor, InvalidCursor, decode_cursor
from game.errors import DomainError, FieldError
from game.shapes import SHAPES
from game.strokes import DEVICES

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_SESSION_CHARS = 64
FILTER_KEYS = frozenset(
    {"shape", "from", "to", "qmin", "qmax", "flagged", "deleted", "device", "synthetic", "session"}
)
PAGE_KEYS = FILTER_KEYS | {"limit", "cursor"}

_SHAPE_BY_NAME = {s.name: s.id for s in SHAPES}
_SHAPE_IDS = frozenset(s.id for s in SHAPES)


class InvalidQuery(DomainError):
    code = "invalid_query"


@dataclass(frozen=True, slots=True)
class DrawingFilter:
    """Each field None means "any"; set fields are ANDed."""

    shape_id: int | None = None
    created_from: datetime | None = None  # inclusive
    created_to: datetime | None = None  # exclusive
    quality_min: float | None = None
    quality_max: float | None = None
    flagged: bool | None = None
    deleted: bool | None = None
    device: str | None = None
    synthetic: bool | None = None
    session_id: str | None = None


@dataclass(frozen=True, slots=True)
class PageRequest:
    filter: DrawingFilter
    limit: int
    cursor: Cursor | None


class _Fields:
    """Collects errors while converting, so one response names every bad field."""

    def __init__(self, raw: Mapping[str, object]) -> None:
        self.raw = raw
        self.errors: list[FieldError] = []

    def value(self, key: str) -> object | None:
        v = self.raw.get(key)
        return None if v is None or v == "" else v

    def fail(self, key: str, message: str) -> None:
        self.errors.append(FieldError(key, message))

    def boolean(self, key: str) -> bool | None:
        v = self.value(key)
        if v is None or isinstance(v, bool):
            return v
        if v in ("true", "false"):
            return v == "true"
        self.fail(key, "must be true or false")
        return None

    def number(self, key: str, lo: float, hi: float) -> float | None:
        v = self.value(key)
        if v is None:
            return None
        try:
            if isinstance(v, bool) or not isinstance(v, int | float | str):
                raise ValueError
            f = float(v)
        except ValueError:
            f = float("nan")
        if not lo <= f <= hi:  # also rejects NaN and infinities
            self.fail(key, f"must be a number from {lo:g} to {hi:g}")
            return None
        return f

    def integer(self, key: str, lo: int, hi: int) -> int | None:
        v = self.value(key)
        if v is None:
            return None
        if isinstance(v, str) and v.isdigit() and len(v) <= 9:
            v = int(v)
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            self.fail(key, f"must be an integer from {lo} to {hi}")
            return None
        return v

    def moment(self, key: str, day_end: bool) -> datetime | None:
        v = self.value(key)
        if v is None:
            return None
        if not isinstance(v, str) or len(v) > 40:
            self.fail(key, "must be an ISO 8601 date or date-time")
            return None
        try:
            if len(v) == 10:
                day = date.fromisoformat(v)
                at = datetime(day.year, day.month, day.day, tzinfo=UTC)
                return at + timedelta(days=1) if day_end else at
            parsed = datetime.fromisoformat(v)
        except ValueError:
            self.fail(key, "must be an ISO 8601 date or date-time")
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        v = self.value(key)
        if v is None or (isinstance(v, str) and v in allowed):
            return v
        self.fail(key, f"must be one of {', '.join(allowed)}")
        return None

    def shape(self, key: str) -> int | None:
        v = self.value(key)
        if v is None:
            return None
        if isinstance(v, str) and v in _SHAPE_BY_NAME:
            return _SHAPE_BY_NAME[v]
        if isinstance(v, str) and v.isdigit() and len(v) <= 4:
            v = int(v)
        if isinstance(v, int) and not isinstance(v, bool) and v in _SHAPE_IDS:
            return v
        self.fail(key, f"must be a shape name ({', '.join(_SHAPE_BY_NAME)}) or id")
        return None

    def text(self, key: str, max_chars: int) -> str | None:
        v = self.value(key)
        if v is None or (isinstance(v, str) and len(v) <= max_chars):
            return v
        self.fail(key, f"must be a string of at most {max_chars} characters")
        return None


def _unknown(raw: Mapping[str, object], allowed: frozenset[str], fields: _Fields) -> None:
    for key in sorted(set(raw) - allowed):
        fields.fail(key, "is not a known parameter")


def _filter(fields: _Fields) -> DrawingFilter:
    f = DrawingFilter(
        shape_id=fields.shape("shape"),
        created_from=fields.moment("from", day_end=False),
        created_to=fields.moment("to", day_end=True),
        quality_min=fields.number("qmin", 0.0, 1.0),
        quality_max=fields.number("qmax", 0.0, 1.0),
        flagged=fields.boolean("flagged"),
        deleted=fields.boolean("deleted"),
        device=fields.choice("device", DEVICES),
        synthetic=fields.boolean("synthetic"),
        session_id=fields.text("session", MAX_SESSION_CHARS),
    )
    if f.created_from and f.created_to and f.created_from >= f.created_to:
        fields.fail("to", "must be later than from")
    if f.quality_min is not None and f.quality_max is not None and f.quality_min > f.quality_max:
        fields.fail("qmax", "must not be below qmin")
    return f


def parse_filter(raw: Mapping[str, object]) -> DrawingFilter:
    """The filter of a bulk action; raises InvalidQuery naming every bad or unknown key."""
    fields = _Fields(raw)
    _unknown(raw, FILTER_KEYS, fields)
    result = _filter(fields)
    if fields.errors:
        raise InvalidQuery("invalid filter", fields.errors)
    return result


def parse_page(raw: Mapping[str, object]) -> PageRequest:
    """A list request: the filter plus `limit` (1..200, default 50) and `cursor`."""
    fields = _Fields(raw)
    _unknown(raw, PAGE_KEYS, fields)
    result = _filter(fields)
    limit = fields.integer("limit", 1, MAX_LIMIT)
    cursor: Cursor | None = None
    token = fields.value("cursor")
    if token is not None:
        try:
            if not isinstance(token, str):
                raise InvalidCursor("cursor must be a string")
            cursor = decode_cursor(token)
        except InvalidCursor as exc:
            fields.fail("cursor", str(exc))
    if fields.errors:
        raise InvalidQuery("invalid query", fields.errors)
    return PageRequest(result, DEFAULT_LIMIT if limit is None else limit, cursor)
