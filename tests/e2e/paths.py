"""The shapes the end-to-end tests draw, as polylines in canvas CSS pixels, and the geometry
to compare what was stored with what was traced.

A synthesized pointer path is the ground truth: every sample the browser reports lies on the
segments the test moved along, so a stored point far from the polyline means a coordinate
bug (a wrong origin, scale or device-pixel-ratio mix-up), not input noise.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

Point = tuple[float, float]
Polyline = list[Point]


def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 24) -> Polyline:
    return [
        (cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n))
        for i in range(n + 1)
    ]


def _lobe(cx: float, cy: float, r: float, start: float, end: float, n: int = 10) -> Polyline:
    return [
        (
            cx + r * math.cos(start + (end - start) * i / n),
            cy + r * math.sin(start + (end - start) * i / n),
        )
        for i in range(n + 1)
    ]


def shape_strokes(shape: str, width: float, height: float) -> list[Polyline]:
    """Strokes that draw `shape` on a canvas of this size, kept well inside its edges.

    Square and heart take two strokes, as people draw them, so the stroke count is tested too.
    Coordinates are fractional on purpose: they exercise float storage end to end.
    """
    s = min(width, height)
    cx, cy = width / 2, height / 2
    h = s * 0.3
    if shape == "line":
        return [[(cx - h, cy + h * 0.4), (cx + h, cy - h * 0.4)]]
    if shape == "circle":
        return [_ellipse(cx, cy, h, h)]
    if shape == "square":
        top_left, top_right = (cx - h, cy - h), (cx + h, cy - h)
        bottom_left, bottom_right = (cx - h, cy + h), (cx + h, cy + h)
        return [[top_left, top_right, bottom_right], [top_left, bottom_left, bottom_right]]
    if shape == "triangle":
        apex, right, left = (cx, cy - h), (cx + h, cy + h * 0.8), (cx - h, cy + h * 0.8)
        return [[apex, right, left, apex]]
    if shape == "heart":
        r = h * 0.5
        tip = (cx, cy + h)
        left_lobe = _lobe(cx - r, cy - r * 0.4, r, math.pi * 0.0, -math.pi * 1.15)
        right_lobe = _lobe(cx + r, cy - r * 0.4, r, math.pi * 1.0, math.pi * 2.15)
        return [[*left_lobe, tip], [*right_lobe, tip]]
    raise ValueError(f"no path for shape {shape!r}")


def densify(line: Sequence[Point], step: float) -> Polyline:
    """The polyline with extra vertices every `step` px: one pointer sample per vertex."""
    out: Polyline = [line[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(line):
        n = max(1, math.ceil(math.dist((x0, y0), (x1, y1)) / step))
        out.extend((x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(1, n + 1))
    return out


def distance_to_polyline(p: Point, line: Sequence[Point]) -> float:
    """Shortest distance from `p` to any segment of `line`."""
    if len(line) == 1:
        return math.dist(p, line[0])
    best = math.inf
    for (x0, y0), (x1, y1) in itertools.pairwise(line):
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        u = (
            0.0
            if length2 == 0
            else max(0.0, min(1.0, ((p[0] - x0) * dx + (p[1] - y0) * dy) / length2))
        )
        best = min(best, math.dist(p, (x0 + u * dx, y0 + u * dy)))
    return best
