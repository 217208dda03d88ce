"""Drawing JSON decoded straight from the request bytes, typed, for the hot paths.

`parse_drawing` (drawing_json.py) builds Python dicts first and then walks them, so that a
400 can name every bad value; for a drawing of ~125 points that is ~240 us, a quarter of
what a classification costs the server. msgspec checks the types while it parses, in C,
into small structs, and the same drawing is ready in ~110 us.

The typed decoder only takes the happy path. Whatever it refuses (a missing field, a
string where a number belongs, NaN, a size written as 2.0) goes to `parse_drawing`, which
accepts or reports exactly as before; the stroke and timestamp rules after type checking
are the same functions in both paths. So both paths accept the same drawings and a bad one
gets the same 400.
"""

from __future__ import annotations

import msgspec

from game.errors import FieldError, InvalidDrawing
from game.limits import Limits
from game.strokes import Drawing, Stroke
from server.drawing_json import assemble_drawing, parse_drawing, stroke_from_columns
from server.http_body import parse_json


class _Point(msgspec.Struct):
    x: float
    y: float
    timestamp: float
    pressure: float = 0.5


class _Stroke(msgspec.Struct):
    points: list[_Point]
    color: str = "#1e1e1e"
    width: float = 3.0


class _Canvas(msgspec.Struct):
    width: int
    height: int


class _StrokeData(msgspec.Struct):
    canvas: _Canvas
    strokes: list[_Stroke]
    duration_ms: int
    device: str = "unknown"


class _Unlabelled(msgspec.Struct):
    """A classification request: strokeData alone."""

    strokeData: _StrokeData  # the field names are the wire's


class _Labelled(msgspec.Struct):
    """A submission: the shape and its strokeData."""

    shapeId: int
    strokeData: _StrokeData


class _Batch(msgspec.Struct):
    drawings: list[_Unlabelled]


_UNLABELLED = msgspec.json.Decoder(_Unlabelled)
_LABELLED = msgspec.json.Decoder(_Labelled)
_BATCH = msgspec.json.Decoder(_Batch)
_REFUSED = (msgspec.ValidationError, msgspec.DecodeError)


def _typed(data: _StrokeData, shape_id: int, limits: Limits) -> Drawing | None:
    """The Drawing, or None when a count is out of bounds (parse_drawing names it)."""
    if not 1 <= len(data.strokes) <= limits.max_strokes:
        return None
    strokes: list[Stroke] = []
    errors: list[FieldError] = []
    for i, raw in enumerate(data.strokes):
        points = raw.points
        if not 1 <= len(points) <= limits.max_points_per_stroke:
            return None
        cols = {
            "x": [p.x for p in points],
            "y": [p.y for p in points],
            "pressure": [p.pressure for p in points],
            "timestamp": [p.timestamp for p in points],
        }
        stroke = stroke_from_columns(cols, raw.color, raw.width, f"strokeData.strokes[{i}]", errors)
        if stroke is not None:
            strokes.append(stroke)
    if errors:
        raise InvalidDrawing("the drawing is not valid", errors)
    canvas = data.canvas
    return assemble_drawing(
        shape_id, strokes, canvas.width, canvas.height, data.duration_ms, data.device, limits
    )


def decode_drawing(body: bytes, limits: Limits, labelled: bool = True) -> Drawing:
    """A submission (`labelled`: with its shapeId) or a classification request as a Drawing,
    not yet validated against the limits; InvalidDrawing or BadRequest names what is wrong."""
    try:
        if labelled:
            sub = _LABELLED.decode(body)
            drawing = _typed(sub.strokeData, sub.shapeId, limits)
        else:
            drawing = _typed(_UNLABELLED.decode(body).strokeData, 1, limits)
    except _REFUSED:
        drawing = None
    if drawing is not None:
        return drawing
    return parse_drawing(parse_json(body), limits, "shapeId" if labelled else "")


def decode_drawing_list(body: bytes, limits: Limits, most: int) -> list[Drawing] | None:
    """`{"drawings": [...]}` of 1 to `most` classification requests, or None when the typed
    decoder refuses the body (the caller then parses it and names every problem)."""
    try:
        batch = _BATCH.decode(body)
    except _REFUSED:
        return None
    if not 1 <= len(batch.drawings) <= most:
        return None
    drawings: list[Drawing] = []
    for item in batch.drawings:
        try:
            drawing = _typed(item.strokeData, 1, limits)
        except InvalidDrawing:  # the caller's parse names it, with the drawing's index
            return None
        if drawing is None:
            return None
        drawings.append(drawing)
    return drawings
