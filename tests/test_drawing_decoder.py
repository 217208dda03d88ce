"""The typed decoder (server/drawing_decoder.py) against the dict parser it speeds up: the same
drawing from every body both accept, and the same 400 for every body either refuses."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest

from game.errors import InvalidDrawing
from game.limits import DEFAULT_LIMITS
from game.strokes import Drawing
from game.validation import validate_drawing
from server.drawing_decoder import decode_drawing, decode_drawing_list
from server.drawing_json import parse_drawing
from server.errors import BadRequest
from tests.fixtures import circle_drawing, drawing_json, two_strokes


def _same(a: Drawing, b: Drawing) -> bool:
    return (
        a.shape_id == b.shape_id
        and (a.canvas_width, a.canvas_height, a.duration_ms)
        == (b.canvas_width, b.canvas_height, b.duration_ms)
        and (a.device, a.started_at_ms) == (b.device, b.started_at_ms)
        and len(a.strokes) == len(b.strokes)
        and all(x.same_as(y) for x, y in zip(a.strokes, b.strokes, strict=True))
    )


def _variants() -> list[dict[str, Any]]:
    plain = drawing_json(two_strokes())
    no_pressure = drawing_json(circle_drawing())
    for point in no_pressure["strokeData"]["strokes"][0]["points"]:  # type: ignore[index]
        del point["pressure"]
    integers = drawing_json(circle_drawing(seed=3))
    for point in integers["strokeData"]["strokes"][0]["points"]:  # type: ignore[index]
        point["x"], point["y"] = round(point["x"]), round(point["y"])
    extra = {**drawing_json(circle_drawing()), "client": "v2", "shapeName": "circle"}
    return [plain, no_pressure, integers, extra]


@pytest.mark.parametrize("body", _variants())
def test_the_typed_path_builds_what_the_parser_builds(body: dict[str, Any]) -> None:
    raw = orjson.dumps(body)
    assert _same(decode_drawing(raw, DEFAULT_LIMITS), parse_drawing(body, DEFAULT_LIMITS))
    unlabelled = decode_drawing(raw, DEFAULT_LIMITS, labelled=False)
    assert _same(unlabelled, parse_drawing(body, DEFAULT_LIMITS, shape_field=""))


def _errors(call: Any) -> tuple[str, list[tuple[str, str]]]:
    with pytest.raises((InvalidDrawing, BadRequest)) as caught:
        call()
    exc = caught.value
    assert isinstance(exc, InvalidDrawing | BadRequest)
    return exc.message, [(d.field, d.message) for d in exc.details]


def _refused() -> list[bytes]:
    body = drawing_json(circle_drawing())
    text = json.dumps(body)
    points = body["strokeData"]["strokes"][0]["points"]  # type: ignore[index]
    backwards = json.loads(text)
    backwards["strokeData"]["strokes"][0]["points"][0]["timestamp"] = -5
    wrong = json.loads(text)
    wrong["strokeData"]["strokes"][0]["points"][3]["x"] = "12"
    wrong["strokeData"]["strokes"][0]["points"][4]["y"] = True
    too_many = json.loads(text)
    too_many["strokeData"]["strokes"] = too_many["strokeData"]["strokes"] * 1000
    return [
        text.replace(str(points[2]["x"]), "NaN", 1).encode(),
        orjson.dumps(backwards),
        orjson.dumps(wrong),
        orjson.dumps(too_many),
        orjson.dumps({"strokeData": {"canvas": {"width": 400}}}),
        b'{"strokeData": ',
        b"[]",
    ]


@pytest.mark.parametrize("raw", _refused())
def test_a_refused_body_gets_the_parsers_answer(raw: bytes) -> None:
    """Decoded then validated, as the routes do."""

    def parsed() -> None:
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            body = json.loads(raw)  # NaN: what the server's slow parser accepts
        validate_drawing(parse_drawing(body, DEFAULT_LIMITS), DEFAULT_LIMITS)

    def decoded() -> None:
        validate_drawing(decode_drawing(raw, DEFAULT_LIMITS), DEFAULT_LIMITS)

    if raw == b'{"strokeData": ':
        assert _errors(decoded)[0] == "body is not valid JSON"
        return
    assert _errors(decoded) == _errors(parsed)


def test_a_batch_is_typed_only_when_every_drawing_is() -> None:
    good = [
        {"strokeData": drawing_json(d)["strokeData"]} for d in (circle_drawing(), two_strokes())
    ]
    typed = decode_drawing_list(orjson.dumps({"drawings": good}), DEFAULT_LIMITS, 64)
    assert typed is not None and len(typed) == 2
    assert _same(typed[1], parse_drawing(good[1], DEFAULT_LIMITS, shape_field=""))
    bad = [good[0], {"strokeData": {"strokes": []}}]
    assert decode_drawing_list(orjson.dumps({"drawings": bad}), DEFAULT_LIMITS, 64) is None
    assert decode_drawing_list(orjson.dumps({"drawings": good * 3}), DEFAULT_LIMITS, 4) is None
    assert decode_drawing_list(orjson.dumps({"drawings": []}), DEFAULT_LIMITS, 4) is None
