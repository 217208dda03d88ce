"""Human-like synthetic drawings of every shape, so a fresh install can train within minutes.

A model trained only on these must recognise real players' drawings, so the generator copies
what people actually do (measured on Quick, Draw! sketches of the same shapes) rather than
drawing perfect geometry: sides that bow and wobble, corners that are cut or overshot, loops
that do not quite close or run past their start, one to four strokes in varied orders and
directions, a few stray marks, rectangles and tall or flat triangles as often as ideal ones.

Pen motion is simulated, not just shape: each stroke is a dense path re-sampled at pointer
event times (60 or 120 Hz) along a speed profile that accelerates out of a stroke's start,
slows into corners and its end, with pauses between strokes and a mouse-like or pen-like
pressure. The output is a `game.strokes.Drawing` with device "synthetic" that passes
`game.validation.validate_drawing`.

Pure: randomness comes only from the `numpy.random.Generator` passed in, so a seed reproduces
a data set exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from game.shapes import SHAPES, shape_by_id
from game.strokes import Drawing, Stroke, make_stroke

F64 = npt.NDArray[np.float64]
Path = F64  # (M, 2) dense pen path in unit coordinates, y pointing down like a screen

GENERATOR = "drawstream-synthetic/1"
# Canvases players really have: desktop squares and landscapes, phone portraits.
CANVASES: tuple[tuple[int, int], ...] = ((400, 400), (500, 500), (800, 600), (390, 640), (360, 560))
# Points per unit of path length when building the dense ideal path (before resampling).
_DENSITY = 32


def _rot(theta: float) -> F64:
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]])


def _unit(n: int) -> F64:
    """n evenly spaced values over [0, 1] (np.linspace costs 10x more per call)."""
    return np.arange(n, dtype=np.float64) / max(n - 1, 1)


def _arc(path: Path) -> F64:
    """Cumulative arc length at each vertex, starting at 0."""
    d = path[1:] - path[:-1]
    out = np.zeros(len(path))
    np.cumsum(np.sqrt(d[:, 0] ** 2 + d[:, 1] ** 2), out=out[1:])
    return out


def _segment(a: F64, b: F64, rng: np.random.Generator, bow: float) -> Path:
    """A dense, slightly bowed stroke segment from a to b."""
    length = float(np.hypot(*(b - a)))
    n = max(int(length * _DENSITY), 4)
    u = _unit(n)[:, None]
    normal = np.array([-(b - a)[1], (b - a)[0]])
    bend = rng.normal(0.0, bow) * 4.0 * u * (1.0 - u)
    return np.asarray(a + u * (b - a) + bend * normal, dtype=np.float64)


def _polyline(vertices: F64, rng: np.random.Generator, bow: float) -> Path:
    parts = [_segment(vertices[i], vertices[i + 1], rng, bow) for i in range(len(vertices) - 1)]
    return np.concatenate([parts[0], *(p[1:] for p in parts[1:])])


def _extend(path: Path, amount: float) -> Path:
    """Overshoot (positive) or stop short (negative) at the path's end, along its direction."""
    if amount >= 0:
        d = path[-1] - path[-min(len(path), 6)]
        norm = float(np.hypot(*d)) or 1.0
        return np.vstack([path, path[-1] + d / norm * amount])
    length = _arc(path)
    keep = length <= length[-1] + amount
    return path[keep] if keep.sum() >= 2 else path[:2]


def _closed_polygon(
    vertices: F64, rng: np.random.Generator, max_strokes: int, bow: float
) -> list[Path]:
    """A polygon drawn the way people draw one: a start corner, a direction, 1-k strokes."""
    k = len(vertices)
    step = 1 if rng.random() < 0.5 else -1  # clockwise or not
    order = (int(rng.integers(k)) + step * np.arange(k + 1)) % k
    ring = vertices[order]  # (k + 1, 2) corners in drawing order, back to the start
    n_strokes = int(np.searchsorted(_STROKE_COUNT_CDF[max_strokes], rng.random())) + 1
    cuts = np.sort(rng.permutation(np.arange(1, k))[: n_strokes - 1])
    strokes: list[Path] = []
    for lo, hi in zip(np.append(0, cuts), np.append(cuts, k), strict=True):
        path = _polyline(ring[lo : hi + 1], rng, bow)
        if n_strokes > 1:
            # Separate strokes overshoot or fall short of the corners they join.
            path = _extend(path, rng.normal(0.03, 0.06))
            path = _extend(path[::-1], rng.normal(0.02, 0.05))[::-1]
            if rng.random() < 0.3:
                path = path[::-1]
        strokes.append(path)
    if n_strokes == 1:
        strokes[0] = _extend(strokes[0], _closure(rng))
    elif rng.random() < 0.2:
        strokes = [strokes[i] for i in rng.permutation(n_strokes)]
    return strokes


def _stroke_count_cdf(max_strokes: int) -> F64:
    # Quick, Draw!: ~75% of squares and ~65% of triangles are one stroke.
    p = np.array([0.68, 0.16, 0.10, 0.06][:max_strokes])
    return np.asarray(np.cumsum(p) / p.sum(), dtype=np.float64)


_STROKE_COUNT_CDF = {k: _stroke_count_cdf(k) for k in (3, 4)}


def _closure(rng: np.random.Generator) -> float:
    """How far a closed loop runs past (+) or stops short of (-) its start, in unit lengths."""
    return rng.normal(0.05, 0.08) if rng.random() < 0.8 else rng.uniform(-0.45, -0.1)


def _line(rng: np.random.Generator) -> list[Path]:
    # Most people draw a line horizontally, some vertically, the rest at any angle.
    pick = rng.random()
    if pick < 0.55:
        angle = rng.normal(0.0, 0.12)
    elif pick < 0.70:
        angle = np.pi / 2 + rng.normal(0.0, 0.1)
    else:
        angle = rng.uniform(0.0, np.pi)
    a, b = np.array([-1.0, 0.0]), np.array([1.0, 0.0])
    if rng.random() < 0.5:
        a, b = b, a
    strokes = [_segment(a, b, rng, bow=0.03) @ _rot(angle).T]
    # Quick, Draw!: ~12% of lines have a second stroke (a retrace, or a second try over part
    # of the first), a few are scribbled in three or four.
    pick = rng.random()
    if pick < 0.12:
        extra, spread = 1, 0.04
    elif pick < 0.16:
        extra, spread = int(rng.integers(2, 4)), 0.12
    else:
        extra, spread = 0, 0.0
    for _ in range(extra):
        u = np.sort(rng.uniform(-1.0, 1.0, 2))
        if rng.random() < 0.5:
            u = u[::-1]
        more = _segment(np.array([u[0], 0.0]), np.array([u[1], 0.0]), rng, bow=0.03)
        more[:, 1] += rng.normal(0.0, spread)
        strokes.append(more @ _rot(angle + rng.normal(0.0, 0.06)).T)
    return strokes


def _circle(rng: np.random.Generator) -> list[Path]:
    start = rng.uniform(0.0, 2.0 * np.pi)
    direction = 1.0 if rng.random() < 0.5 else -1.0
    # Radians past (+) or short of (-) a full turn: most loops overlap a little, some gape.
    sweep = 2.0 * np.pi + (rng.normal(0.25, 0.3) if rng.random() < 0.8 else rng.uniform(-0.7, -0.1))
    aspect = float(np.clip(rng.normal(0.92, 0.07), 0.7, 1.0))
    n = int(sweep * _DENSITY)
    u = _unit(n)
    theta = start + direction * sweep * u
    # Radius drifts (a spiral-ish end) and wobbles at a few low frequencies.
    radius = 1.0 + rng.normal(0.0, 0.05) * u
    for harmonic in (2, 3, 4):
        radius += rng.normal(0.0, 0.025) * np.sin(harmonic * theta + rng.uniform(0, 2 * np.pi))
    path = np.stack([radius * np.cos(theta), aspect * radius * np.sin(theta)], axis=1)
    if rng.random() < 0.08:
        # Two arcs: left half and right half, both from the top.
        half = n // 2
        return [path[: half + 2], path[half - 2 :][::-1]]
    return [path @ _rot(rng.uniform(0, np.pi)).T]


def _square(rng: np.random.Generator) -> list[Path]:
    aspect = float(np.clip(rng.normal(0.88, 0.12), 0.55, 1.0))
    corners = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]])
    corners[:, 1] *= aspect
    if rng.random() < 0.5:
        corners = corners[:, ::-1]
    corners += rng.normal(0.0, 0.07, corners.shape)
    return _closed_polygon(corners, rng, max_strokes=4, bow=0.03)


def _triangle(rng: np.random.Generator) -> list[Path]:
    # Apex anywhere above the base: isosceles, right-angled or leaning; tall or flat.
    height = float(rng.uniform(0.9, 2.2))
    apex_x = rng.normal(0.0, 0.15) if rng.random() < 0.6 else rng.uniform(-1.1, 1.1)
    corners = np.array([[apex_x, -height / 2], [1.0, height / 2], [-1.0, height / 2]])
    corners += rng.normal(0.0, 0.06, corners.shape)
    return _closed_polygon(corners, rng, max_strokes=3, bow=0.03)


def _heart(rng: np.random.Generator) -> list[Path]:
    u = _unit(4 * _DENSITY) * 2.0 * np.pi
    lobe = rng.normal(1.0, 0.12)  # >1: rounder lobes; <1: a more pointed, V-like heart
    x = np.sin(u) ** 3 * rng.uniform(0.9, 1.25)
    x *= np.where(x < 0, 1.0, rng.normal(1.0, 0.08))  # hands rarely draw matching lobes
    # The classic heart curve, y pointing down: the dip at u = 0, the point at u = pi.
    tall = rng.normal(1.0, 0.05)
    y = (5 * lobe * np.cos(2 * u) + 2 * np.cos(3 * u) + np.cos(4 * u) - 13 * tall * np.cos(u)) / 16
    path = np.stack([x, y], axis=1)  # starts at the top dip, left lobe first when reversed
    if rng.random() < 0.5:
        path = path[::-1]
    if rng.random() < 0.35:
        # Two strokes from the dip down to the point, the common hand-drawn way.
        mid = len(path) // 2
        left, right = path[: mid + 1], path[mid:][::-1]
        left = _extend(left, rng.normal(0.03, 0.05))
        right = _extend(right, rng.normal(0.03, 0.05))
        return [left, right] if rng.random() < 0.7 else [right, left]
    return [_extend(path, _closure(rng) * 0.5)]


_TEMPLATES = {
    "line": _line,
    "circle": _circle,
    "square": _square,
    "triangle": _triangle,
    "heart": _heart,
}


def _wobble(path: Path, rng: np.random.Generator, scale: float) -> Path:
    """Low-frequency sideways drift plus fine tremor, as a hand adds to any intended path."""
    m = len(path)
    if m < 3:
        return path
    d = np.empty_like(path)
    d[:-1] = path[1:] - path[:-1]
    d[-1] = d[-2]
    d /= np.sqrt(d[:, 0] ** 2 + d[:, 1] ** 2)[:, None] + 1e-9
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1)  # (M, 2)
    u = _unit(m)
    amp, freq, phase = rng.normal(0, scale, 3), rng.uniform(0.5, 4, 3), rng.uniform(0, 6.3, 3)
    offset = amp @ np.sin(2 * np.pi * freq[:, None] * u + phase[:, None])  # (M,)
    tremor = np.cumsum(rng.normal(0.0, scale * 0.08, (m, 2)), axis=0)
    tremor -= tremor[0] + u[:, None] * (tremor[-1] - tremor[0])  # pinned at both ends
    return np.asarray(path + offset[:, None] * normal + tremor, dtype=np.float64)


def _pen_times(path: Path) -> F64:
    """Relative time (0 -> 1) at which the pen passes each vertex.

    Speed is bell-shaped along the stroke (accelerate, cruise, decelerate) and drops where the
    path turns, a simplified two-thirds power law of hand motion: corners are drawn slowly.
    """
    s = _arc(path)
    total = s[-1] if s[-1] > 0 else 1.0
    d = path[1:] - path[:-1]
    turn = np.zeros(len(path))
    cross = d[:-1, 0] * d[1:, 1] - d[:-1, 1] * d[1:, 0]
    dot = (d[:-1] * d[1:]).sum(axis=1)
    turn[1:-1] = np.abs(np.arctan2(cross, dot))
    if len(path) >= 5:
        turn = np.convolve(turn, np.full(5, 0.2), mode="same")  # a corner slows ~5 points
    speed = (0.15 + np.clip(np.sin(np.pi * s / total), 0.0, 1.0) ** 0.6) / (1.0 + 8.0 * turn)
    time = np.zeros(len(path))
    np.cumsum((s[1:] - s[:-1]) * 2.0 / (speed[1:] + speed[:-1]), out=time[1:])
    return time / time[-1] if time[-1] > 0 else _unit(len(path))


def _pen(
    path: Path,
    rng: np.random.Generator,
    t0: float,
    ms_per_px: float,
    hz: float,
    pen: bool,
    bounds: tuple[int, int],
) -> tuple[Stroke, float]:
    """Sample a path (canvas pixels) at pointer-event times as a mouse (whole pixels, constant
    pressure) or a pen would report it; returns the stroke and the time it ended."""
    duration = max(_arc(path)[-1] * ms_per_px, 30.0)
    rel = _pen_times(path) * duration
    dt = 1000.0 / hz
    times = np.append(np.arange(rng.uniform(0.0, 0.3) * dt, duration, dt), duration)
    times[0] = 0.0
    x = np.clip(np.interp(times, rel, path[:, 0]), 0.0, bounds[0])
    y = np.clip(np.interp(times, rel, path[:, 1]), 0.0, bounds[1])
    if pen:
        rise = np.sqrt(np.clip(np.sin(np.pi * times / duration), 0.0, 1.0))
        pressure = np.clip(0.3 + 0.45 * rise + rng.normal(0, 0.03, len(x)), 0.05, 1.0)
    else:
        x, y = np.round(x), np.round(y)
        pressure = np.full(len(x), 0.5)
    return make_stroke(x, y, np.floor(t0 + times), pressure), t0 + duration


def synth_drawing(
    shape_id: int,
    rng: np.random.Generator,
    canvas: tuple[int, int] | None = None,
    started_at_ms: int = 0,
) -> Drawing:
    """One human-like drawing of `shape_id` on a canvas (a random common one by default)."""
    name = shape_by_id(shape_id).name
    width, height = canvas or CANVASES[int(rng.integers(len(CANVASES)))]
    paths = _TEMPLATES[name](rng)
    if rng.random() < 0.04:
        # A stray mark: a dot or a tiny tick inside the shape (people doodle eyes, fix-ups).
        c = rng.uniform(-0.3, 0.3, 2)
        paths.append(np.stack([c, c + rng.normal(0.0, 0.05, 2)]))
    # A slight overall tilt, then place and size it on the canvas.
    tilt = _rot(rng.normal(0.0, 0.08))
    paths = [_wobble(p, rng, 0.012) @ tilt.T for p in paths]
    pts = np.concatenate(paths)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    side = min(width, height) * rng.uniform(0.3, 0.85)
    scale = side / max(float((hi - lo).max()), 1e-6)
    room = np.array([width, height]) - (hi - lo) * scale
    origin = rng.uniform(0.0, 1.0, 2) * np.maximum(room, 0.0) - lo * scale
    hz = 60.0 if rng.random() < 0.5 else 120.0
    ms_per_px = 1.0 / rng.lognormal(np.log(0.6), 0.35)  # ~600 px/s, people vary widely
    pen = bool(rng.random() < 0.5)
    strokes: list[Stroke] = []
    now = 0.0
    for path in paths:
        stroke, now = _pen(path * scale + origin, rng, now, ms_per_px, hz, pen, (width, height))
        strokes.append(stroke)
        now += rng.uniform(80.0, 500.0)  # pen up, move, pen down
    duration = int(strokes[-1].t[-1]) + int(rng.integers(0, 200))
    return Drawing(
        shape_id=shape_id,
        strokes=tuple(strokes),
        canvas_width=width,
        canvas_height=height,
        duration_ms=duration,
        device="synthetic",
        started_at_ms=started_at_ms,
        extra={"generator": GENERATOR},
    )


def synth_drawings(
    per_shape: int, rng: np.random.Generator, shape_ids: Sequence[int] | None = None
) -> list[Drawing]:
    """`per_shape` drawings of each shape, interleaved (line, circle, ..., line, circle, ...)."""
    ids = list(shape_ids) if shape_ids is not None else [s.id for s in SHAPES]
    return [synth_drawing(sid, rng) for _ in range(per_shape) for sid in ids]
