"""Drawing JSON decoded straight from the request bytes, typed, for the hot paths.

`parse_drawing` (drawing_json.py) builds Python dicts first and then walks them, so that a
400 can name every bad value; for a drawing of ~125 points that is ~240 us, a quarter of
what a classification costs the server. msgspec checks the types while it parses, in C,
into small structs, and the same drawing is ready in ~170 us.

The typed decoder only takes the happy path. Whatever it refuses (a missing field, a
string where a number belongs, NaN, a size written as 2.0, a point timed before the
drawing's first one) goes to `parse_drawing`, which accepts or reports exactly as before.
So both paths accept the same drawings, build them alike (tests compare every value) and a
bad one gets the same 400.
"""

from __future__ import annotations

import math

import msgspec
import numpy as np

from game.limits import Limits
from game.strokes import Drawing, Stroke
from server.drawing_json import parse_drawing
from server.http_body import parse_json


class _Point(msgspec.Struct, gc=False):
    """Untracked by the garbage collector: it holds floats only, so it is never part of a
    cycle, and ~125 tracked points per drawing set off a young collection every few requests
    (decode + validate measured 250 -> 236 us)."""

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
    """The Drawing, or None for anything that `parse_drawing` must name: a count out of
    bounds, or a timestamp that is negative, not finite, before the first point or too late.

    The columns of every stroke are read in one go and converted by one numpy call each, and
    each stroke gets a view of them: for the one or two strokes of a typical drawing, the
    fixed cost of numpy calls per stroke was most of the decoding. The values are those
    `stroke_from_columns` and `assemble_drawing` produce (float64 read, float32 stored,
    timestamps relative to the earliest first point), which the decoder's tests check.
    """
    raw_strokes = data.strokes
    if not 1 <= len(raw_strokes) <= limits.max_strokes:
        return None
    counts = [len(raw.points) for raw in raw_strokes]
    if min(counts) < 1 or max(counts) > limits.max_points_per_stroke:
        return None
    points = [p for raw in raw_strokes for p in raw.points]
    ts = np.array([p.timestamp for p in points], dtype=np.float64)
    t0 = min(raw.points[0].timestamp for raw in raw_strokes)
    if not (float(ts.min()) >= 0 and math.isfinite(ts.max())):  # a NaN fails the first test
        return None
    relative = ts - t0
    if float(relative.min()) < 0 or float(relative.max()) > limits.max_duration_ms:
        return None
    t = relative.astype(np.uint32)
    xyp = np.array(
        [[p.x for p in points], [p.y for p in points], [p.pressure for p in points]],
        dtype=np.float64,
    )
    with np.errstate(over="ignore", invalid="ignore"):  # validation names non-finite values
        x, y, pressure = xyp.astype(np.float32)
    strokes = []
    lo = 0
    for raw, count in zip(raw_strokes, counts, strict=True):
        hi = lo + count
        strokes.append(Stroke(x[lo:hi], y[lo:hi], t[lo:hi], pressure[lo:hi], raw.color, raw.width))
        lo = hi
    canvas = data.canvas
    return Drawing(
        shape_id=shape_id,
        strokes=tuple(strokes),
        canvas_width=canvas.width,
        canvas_height=canvas.height,
        duration_ms=data.duration_ms,
        device=data.device,
        started_at_ms=int(t0),
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
        drawing = _typed(item.strokeData, 1, limits)
        if drawing is None:  # the caller's parse names it, with the drawing's index
            return None
        drawings.append(drawing)
    return drawings
