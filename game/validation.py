"""Validation of a finished drawing against the limits.

All checks run before anything is written, and every violation is reported (not only the
first), so a client developer sees the whole problem in one response.
"""

from __future__ import annotations

import math
import re

import numpy as np
import numpy.typing as npt

from game.errors import FieldError, InvalidDrawing
from game.limits import DEFAULT_LIMITS, Limits
from game.shapes import SHAPES
from game.strokes import DEVICES, Drawing, Stroke

_COLOR = re.compile(r"^#[0-9a-fA-F]{3,8}$")
_SHAPE_IDS = frozenset(s.id for s in SHAPES)


def _finite_range(arr: npt.NDArray[np.float32]) -> tuple[bool, tuple[float, float] | None]:
    """Whether every value is finite, and the range of the finite ones (None: there are none).

    min and max alone answer the common case: a NaN propagates into both and an infinity is
    one of them, so two finite ends mean every value is finite (the API classifies thousands
    of drawings a second through here; masking every array cost three times the calls).
    """
    lo, hi = float(arr.min()), float(arr.max())
    if math.isfinite(lo) and math.isfinite(hi):
        return True, (lo, hi)
    finite = arr[np.isfinite(arr)]
    return False, (float(finite.min()), float(finite.max())) if finite.size else None


def _check_stroke(i: int, s: Stroke, d: Drawing, limits: Limits, errors: list[FieldError]) -> None:
    where = f"strokes[{i}]"
    n = len(s)
    if n == 0:
        errors.append(FieldError(f"{where}.points", "a stroke needs at least one point"))
        return
    if n > limits.max_points_per_stroke:
        errors.append(
            FieldError(f"{where}.points", f"at most {limits.max_points_per_stroke} points")
        )
    if not (len(s.y) == n and len(s.t) == n and len(s.p) == n):
        errors.append(FieldError(f"{where}.points", "x, y, t and pressure lengths differ"))
        return
    ranges = {"x": _finite_range(s.x), "y": _finite_range(s.y), "pressure": _finite_range(s.p)}
    for name, (all_finite, _) in ranges.items():
        if not all_finite:
            errors.append(FieldError(f"{where}.points.{name}", "must be finite numbers"))
    sx = d.canvas_width * limits.coord_slack
    sy = d.canvas_height * limits.coord_slack
    x_range, y_range, p_range = ranges["x"][1], ranges["y"][1], ranges["pressure"][1]
    if x_range and (x_range[0] < -sx or x_range[1] > d.canvas_width + sx):
        errors.append(FieldError(f"{where}.points.x", "outside the canvas"))
    if y_range and (y_range[0] < -sy or y_range[1] > d.canvas_height + sy):
        errors.append(FieldError(f"{where}.points.y", "outside the canvas"))
    if p_range and (p_range[0] < 0.0 or p_range[1] > 1.0):
        errors.append(FieldError(f"{where}.points.pressure", "must lie in [0, 1]"))
    if n > 1 and bool((s.t[1:] < s.t[:-1]).any()):  # compared, not subtracted: no wrap-around
        errors.append(FieldError(f"{where}.points.timestamp", "must not go backwards"))
    if int(s.t[-1]) > limits.max_duration_ms:
        errors.append(FieldError(f"{where}.points.timestamp", "later than the longest drawing"))
    if not _COLOR.match(s.color) or len(s.color) > limits.max_color_len:
        errors.append(FieldError(f"{where}.color", "must be a #rgb / #rrggbb colour"))
    if not (0.0 < s.width <= limits.max_stroke_width) or not math.isfinite(s.width):
        errors.append(FieldError(f"{where}.width", f"must be in (0, {limits.max_stroke_width}]"))


def validate_drawing(d: Drawing, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise InvalidDrawing listing every problem, or return if the drawing may be stored."""
    errors: list[FieldError] = []
    if d.shape_id not in _SHAPE_IDS:
        errors.append(FieldError("shapeId", f"unknown shape id {d.shape_id}"))
    for name, side in (("width", d.canvas_width), ("height", d.canvas_height)):
        if not limits.min_canvas <= side <= limits.max_canvas:
            errors.append(
                FieldError(
                    f"canvas.{name}",
                    f"must be between {limits.min_canvas} and {limits.max_canvas}",
                )
            )
    if d.device not in DEVICES:
        errors.append(FieldError("device", f"must be one of {', '.join(DEVICES)}"))
    if not 0 <= d.duration_ms <= limits.max_duration_ms:
        errors.append(FieldError("duration_ms", f"must be in [0, {limits.max_duration_ms}]"))
    if not d.strokes:
        errors.append(FieldError("strokes", "a drawing needs at least one stroke"))
    if len(d.strokes) > limits.max_strokes:
        errors.append(FieldError("strokes", f"at most {limits.max_strokes} strokes"))
    elif d.point_count > limits.max_points:
        errors.append(FieldError("strokes", f"at most {limits.max_points} points in all"))
    else:
        for i, s in enumerate(d.strokes):
            _check_stroke(i, s, d, limits, errors)
    if errors:
        raise InvalidDrawing("the drawing is not valid", errors)


def validate_idempotency_key(key: str, limits: Limits = DEFAULT_LIMITS) -> None:
    if not key or len(key) > limits.max_idempotency_key_len or not key.isprintable():
        raise InvalidDrawing(
            "bad idempotency key",
            [
                FieldError(
                    "X-Idempotency-Key",
                    f"1-{limits.max_idempotency_key_len} printable characters required",
                )
            ],
        )
