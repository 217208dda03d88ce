"""The admin's request rules (game/): list filters, keyset cursors, curation and cleanup
bodies. Pure functions, no fixtures."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from game.cleanup import CleanupRequest, InvalidCleanup, parse_cleanup
from game.curation import Curation, InvalidCuration, parse_bulk, parse_flag, parse_quality
from game.cursor import Cursor, InvalidCursor, decode_cursor, encode_cursor
from game.drawing_query import DrawingFilter, InvalidQuery, parse_filter, parse_page


def _fields(exc: pytest.ExceptionInfo[InvalidQuery | InvalidCuration | InvalidCleanup]) -> set[str]:
    return {d.field for d in exc.value.details}


@pytest.mark.parametrize(
    "at",
    [
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2024, 5, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
    ],
)
def test_cursors_round_trip_exactly(at: datetime) -> None:
    cursor = Cursor(at, uuid.uuid4())
    token = encode_cursor(cursor)
    assert len(token) == 34 and token.isascii() and "=" not in token
    assert decode_cursor(token) == cursor


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "!" * 34,
        "A" * 65,
        encode_cursor(Cursor(datetime(2024, 1, 1, tzinfo=UTC), uuid.UUID(int=0)))[:-2],
    ],
)
def test_foreign_cursors_are_refused(token: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(token)


def test_filters_parse_from_a_query_string() -> None:
    page = parse_page(
        {
            "shape": "heart", "from": "2024-01-01", "to": "2024-01-31", "qmin": "0.25",
            "qmax": "1", "flagged": "false", "deleted": "true", "device": "pen",
            "synthetic": "false", "session": "abc", "limit": "200",
        }
    )  # fmt: skip
    assert page.filter == DrawingFilter(
        shape_id=5,
        created_from=datetime(2024, 1, 1, tzinfo=UTC),
        created_to=datetime(2024, 2, 1, tzinfo=UTC),  # a bare `to` date includes that day
        quality_min=0.25,
        quality_max=1.0,
        flagged=False,
        deleted=True,
        device="pen",
        synthetic=False,
        session_id="abc",
    )
    assert page.limit == 200 and page.cursor is None
    assert parse_page({}).limit == 50
    assert parse_page({"shape": "3"}).filter.shape_id == 3


def test_times_keep_their_offset_and_default_to_utc() -> None:
    f = parse_filter({"from": "2024-01-01T10:00:00+02:00", "to": "2024-01-02T00:00:00"})
    assert f.created_from == datetime(2024, 1, 1, 10, tzinfo=timezone(timedelta(hours=2)))
    assert f.created_to == datetime(2024, 1, 2, tzinfo=UTC)  # a date-time `to` is exclusive


def test_every_bad_field_is_reported() -> None:
    with pytest.raises(InvalidQuery) as exc:
        parse_page({"shape": "9", "qmin": "nan", "qmax": "inf", "limit": "0", "cursor": "x",
                    "session": "s" * 65, "from": "2024-13-01", "extra": "1"})  # fmt: skip
    assert _fields(exc) == {"shape", "qmin", "qmax", "limit", "cursor", "session", "from", "extra"}


def test_json_filters_take_json_values() -> None:
    f = parse_filter({"shape": 2, "qmin": 0.5, "flagged": True, "device": None, "synthetic": False})
    assert f == DrawingFilter(shape_id=2, quality_min=0.5, flagged=True, synthetic=False)
    with pytest.raises(InvalidQuery) as exc:
        parse_filter({"shape": True, "qmin": True, "flagged": 1, "limit": 10})
    assert _fields(exc) == {"shape", "qmin", "flagged", "limit"}  # no paging in a bulk filter


def test_flag_and_quality_bodies() -> None:
    assert parse_flag({"flagged": True, "reason": "spam"}) == Curation("flag", reason="spam")
    assert parse_flag({"flagged": True, "reason": ""}) == Curation("flag")
    assert parse_flag({"flagged": False}) == Curation("unflag")
    assert parse_quality({"quality": 1}) == Curation("quality", quality=1.0)
    with pytest.raises(InvalidCuration) as exc:
        parse_quality({"quality": float("nan")})
    assert _fields(exc) == {"quality"}


def test_bulk_bodies() -> None:
    ids = [str(uuid.uuid4()) for _ in range(3)]
    req = parse_bulk({"action": "delete", "ids": [*ids, ids[0]]})
    assert req.change == Curation("delete")
    assert req.target == tuple(uuid.UUID(i) for i in ids)  # duplicates dropped, order kept
    req = parse_bulk({"action": "quality", "quality": 0.2, "filter": {"shape": "line"}})
    assert req.change == Curation("quality", quality=0.2)
    assert req.target == DrawingFilter(shape_id=1)


def test_cleanup_bodies() -> None:
    assert parse_cleanup({"dryRun": True}) == CleanupRequest(True, 1000)
    assert parse_cleanup({"dryRun": False, "batchSize": 10_000}) == CleanupRequest(False, 10_000)
    with pytest.raises(InvalidCleanup) as exc:
        parse_cleanup({"batchSize": True})
    assert _fields(exc) == {"dryRun", "batchSize"}
