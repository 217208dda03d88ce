"""Pure rules in game/: no fixtures, no I/O."""

from __future__ import annotations

import uuid
from dataclasses import replace

import numpy as np
import pytest

from game.errors import InvalidDrawing, InvalidFrame
from game.identity import drawing_id, is_valid_session_id, nickname, user_id_for
from game.limits import Limits
from game.prompts import next_prompt
from game.quality import quality_score
from game.shapes import SHAPES, UnknownShape, shape_by_id, shape_by_name
from game.sketch import Sketch, TooLarge
from game.streaks import STREAK_QUALITY, StreakState, advance
from game.strokes import make_stroke
from game.throttle import TokenBucket
from game.validation import validate_drawing, validate_idempotency_key
from tests.fixtures import circle_drawing


def test_catalogue_is_the_five_shapes_with_stable_ids() -> None:
    assert [(s.id, s.name) for s in SHAPES] == [
        (1, "line"),
        (2, "circle"),
        (3, "square"),
        (4, "triangle"),
        (5, "heart"),
    ]
    assert shape_by_name("heart").id == 5 and shape_by_id(3).name == "square"
    with pytest.raises(UnknownShape):
        shape_by_id(6)


def _fields(exc: pytest.ExceptionInfo[InvalidDrawing]) -> set[str]:
    return {d.field for d in exc.value.details}


def test_valid_drawing_passes() -> None:
    validate_drawing(circle_drawing())


def test_every_problem_is_reported_at_once() -> None:
    s = circle_drawing().strokes[0]
    x = s.x.copy()
    x[0] = np.inf
    bad = replace(
        circle_drawing(),
        shape_id=9,
        canvas_width=5,
        device="fax",
        duration_ms=-1,
        strokes=(replace(s, x=x, color="blue", width=0.0),),
    )
    with pytest.raises(InvalidDrawing) as exc:
        validate_drawing(bad)
    assert _fields(exc) == {
        "shapeId",
        "canvas.width",
        "device",
        "duration_ms",
        "strokes[0].points.x",
        "strokes[0].color",
        "strokes[0].width",
    }


def test_time_pressure_and_canvas_bounds() -> None:
    s = circle_drawing().strokes[0]
    t = s.t.copy()
    t[5] = 0
    p = s.p.copy()
    p[1] = 1.5
    y = s.y.copy()
    y[2] = 401 + 200.5
    with pytest.raises(InvalidDrawing) as exc:
        validate_drawing(replace(circle_drawing(), strokes=(replace(s, t=t, p=p, y=y),)))
    assert _fields(exc) == {
        "strokes[0].points.timestamp",
        "strokes[0].points.pressure",
        "strokes[0].points.y",
    }


def test_size_limits() -> None:
    limits = Limits(max_strokes=2, max_points=50)
    s = circle_drawing(n=30).strokes[0]
    with pytest.raises(InvalidDrawing) as exc:
        validate_drawing(replace(circle_drawing(), strokes=(s, s, s)), limits)
    assert _fields(exc) == {"strokes"}
    with pytest.raises(InvalidDrawing):
        validate_drawing(replace(circle_drawing(), strokes=(s, s)), limits)
    with pytest.raises(InvalidDrawing):
        validate_drawing(replace(circle_drawing(), strokes=()))


def test_idempotency_keys() -> None:
    validate_idempotency_key("a" * 128)
    for bad in ("", "a" * 129, "tab\there"):
        with pytest.raises(InvalidDrawing):
            validate_idempotency_key(bad)


def test_sketch_streams_undoes_and_bounds() -> None:
    sk = Sketch(Limits(max_strokes=2, max_points_per_stroke=10, max_points=15))
    f = np.arange(4, dtype=np.float32)
    t = np.arange(4, dtype=np.uint32)
    sk.add(0, f, f, t, f)
    sk.add(0, f, f, t + 4, f, color="#ff0000", width=2.0)
    sk.add(1, f, f, t + 20, f)
    assert [len(s) for s in sk.strokes()] == [8, 4]
    assert sk.strokes()[0].color == "#ff0000"
    with pytest.raises(TooLarge):
        sk.add(2, f, f, t, f)
    with pytest.raises(InvalidFrame):
        sk.add(4, f, f, t, f)
    with pytest.raises(TooLarge):
        sk.add(1, np.zeros(8, np.float32), f, t, f)
    sk.undo()
    assert sk.point_count == 8 and sk.stroke_count == 1
    sk.clear()
    assert sk.strokes() == ()
    sk.undo()
    assert sk.stroke_count == 0


def test_streak_rules() -> None:
    s = advance(StreakState(), 0.9, day=100)
    assert (s.current, s.best, s.days) == (1, 1, 1)
    s = advance(s, 0.9, day=100)
    assert (s.current, s.best, s.days) == (2, 2, 1)
    s = advance(s, STREAK_QUALITY - 0.01, day=101)
    assert (s.current, s.best, s.days) == (0, 2, 2)
    s = advance(s, 0.9, day=103)
    assert (s.current, s.best, s.days) == (1, 2, 1)


def test_prompts_balance_classes_and_never_repeat() -> None:
    drawn = {1: 3, 2: 3, 3: 0, 4: 3, 5: 3}
    assert next_prompt(drawn, None, 0.99).name == "square"
    assert next_prompt(drawn, 3, 0.0).id != 3
    picks = {next_prompt({}, 2, r / 10).id for r in range(10)}
    assert picks == {1, 3, 4, 5}


def test_quality_prefers_deliberate_drawings() -> None:
    good = quality_score(circle_drawing())
    dot = make_stroke([200, 201], [200, 200], [0, 10])
    tiny = quality_score(replace(circle_drawing(), strokes=(dot,), duration_ms=10))
    assert 0 <= tiny < 0.35 <= good <= 1


def test_identities_are_stable_and_friendly() -> None:
    assert drawing_id("sess-1234", "k") == drawing_id("sess-1234", "k")
    assert drawing_id("sess-1234", "k") != drawing_id("sess-1234", "k2")
    assert drawing_id("sess-1234", "k") != drawing_id("sess-5678", "k")
    uid = user_id_for("client-abcdef")
    assert nickname(uid) == nickname(uid) and nickname(uid).isalnum()
    assert len({nickname(uuid.uuid4()) for _ in range(200)}) > 150
    assert is_valid_session_id("abcdef12") and not is_valid_session_id("short")
    assert not is_valid_session_id("has space in it")


def test_token_bucket() -> None:
    b = TokenBucket(rate=10, burst=2, now=0.0)
    assert [b.take(0.0) for _ in range(3)] == [True, True, False]
    assert b.take(0.1) and not b.take(0.1)
