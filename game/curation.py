"""What an admin does to drawings: flag, unflag, soft delete, restore, override quality.

One `Curation` describes the change whatever it is applied to (one drawing, a selection of
ids, or every drawing a filter matches), so single and bulk actions share their rules and
their SQL. The parsers here validate request bodies and report every bad field at once.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

from game.drawing_query import DrawingFilter, InvalidQuery, parse_filter
from game.errors import DomainError, FieldError

Action = Literal["flag", "unflag", "delete", "restore", "quality"]
ACTIONS: tuple[Action, ...] = ("flag", "unflag", "delete", "restore", "quality")
MAX_BULK_IDS = 1000
MAX_REASON_CHARS = 500  # the flag_reason column's CHECK


class InvalidCuration(DomainError):
    code = "invalid_request"


@dataclass(frozen=True, slots=True)
class Curation:
    action: Action
    quality: float | None = None  # the new score, for "quality"
    reason: str | None = None  # why, for "flag"


@dataclass(frozen=True, slots=True)
class BulkRequest:
    change: Curation
    target: tuple[uuid.UUID, ...] | DrawingFilter  # the given ids, or what a filter matches


def _object(body: object) -> Mapping[str, object]:
    if not isinstance(body, dict):
        raise InvalidCuration("body must be a JSON object", [FieldError("body", "an object")])
    return cast(Mapping[str, object], body)


def _quality(value: object, errors: list[FieldError]) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        q = float(value)
        if math.isfinite(q) and 0.0 <= q <= 1.0:
            return q
    errors.append(FieldError("quality", "must be a number from 0 to 1"))
    return None


def _reason(value: object, errors: list[FieldError]) -> str | None:
    if value is None or (isinstance(value, str) and len(value) <= MAX_REASON_CHARS):
        return value or None
    errors.append(
        FieldError("reason", f"must be a string of at most {MAX_REASON_CHARS} characters")
    )
    return None


def _unknown(body: Mapping[str, object], allowed: set[str], errors: list[FieldError]) -> None:
    errors.extend(FieldError(k, "is not a known field") for k in sorted(set(body) - allowed))


def _raise_if(errors: list[FieldError], message: str) -> None:
    if errors:
        raise InvalidCuration(message, errors)


def parse_flag(body: object) -> Curation:
    """`{flagged: bool, reason?}`: flag (with an optional reason) or unflag."""
    raw = _object(body)
    errors: list[FieldError] = []
    _unknown(raw, {"flagged", "reason"}, errors)
    flagged = raw.get("flagged")
    if not isinstance(flagged, bool):
        errors.append(FieldError("flagged", "must be true or false"))
    reason = _reason(raw.get("reason"), errors)
    if flagged is False and reason is not None:
        errors.append(FieldError("reason", "only a flag takes a reason"))
    _raise_if(errors, "invalid flag request")
    return Curation("flag", reason=reason) if flagged else Curation("unflag")


def parse_quality(body: object) -> Curation:
    """`{quality: 0..1}`: an admin's override of the heuristic quality score."""
    raw = _object(body)
    errors: list[FieldError] = []
    _unknown(raw, {"quality"}, errors)
    quality = _quality(raw.get("quality"), errors)
    _raise_if(errors, "invalid quality request")
    return Curation("quality", quality=quality)


def _ids(value: object, errors: list[FieldError]) -> tuple[uuid.UUID, ...]:
    if not isinstance(value, list) or not 0 < len(value) <= MAX_BULK_IDS:
        errors.append(FieldError("ids", f"must be a list of 1 to {MAX_BULK_IDS} drawing ids"))
        return ()
    out: list[uuid.UUID] = []
    for i, item in enumerate(value):
        try:
            if not isinstance(item, str):
                raise ValueError
            out.append(uuid.UUID(item))
        except ValueError:
            errors.append(FieldError(f"ids[{i}]", "must be a drawing id (UUID)"))
    return tuple(dict.fromkeys(out))


def _filter(value: object, errors: list[FieldError]) -> DrawingFilter:
    if not isinstance(value, dict):
        errors.append(FieldError("filter", "must be an object of list-query filters"))
        return DrawingFilter()
    try:
        return parse_filter(cast(Mapping[str, object], value))
    except InvalidQuery as exc:
        errors.extend(FieldError(f"filter.{d.field}", d.message) for d in exc.details)
        return DrawingFilter()


def parse_bulk(body: object) -> BulkRequest:
    """`{action, ids? | filter?, quality?, reason?}` with exactly one of ids and filter."""
    raw = _object(body)
    errors: list[FieldError] = []
    _unknown(raw, {"action", "ids", "filter", "quality", "reason"}, errors)
    action = raw.get("action")
    if action not in ACTIONS:
        errors.append(FieldError("action", f"must be one of {', '.join(ACTIONS)}"))
    quality = reason = None
    if action == "quality":
        quality = _quality(raw.get("quality"), errors)
    elif "quality" in raw:
        errors.append(FieldError("quality", "only the quality action takes a quality"))
    if action == "flag":
        reason = _reason(raw.get("reason"), errors)
    elif raw.get("reason") is not None:
        errors.append(FieldError("reason", "only the flag action takes a reason"))
    target: tuple[uuid.UUID, ...] | DrawingFilter = ()
    if ("ids" in raw) == ("filter" in raw):
        errors.append(FieldError("ids", "give exactly one of ids and filter"))
    elif "ids" in raw:
        target = _ids(raw["ids"], errors)
    else:
        target = _filter(raw["filter"], errors)
    _raise_if(errors, "invalid bulk request")
    return BulkRequest(Curation(cast(Action, action), quality, reason), target)
