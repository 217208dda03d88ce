"""One canonical drawing order, so the generator learns shapes rather than stroke orders.

Players draw the same square starting at any corner, clockwise or not, in one to four
strokes, each side in either direction and in any order. As fixed-length sequences those
are hundreds of different modes, and a decoder that maps a Gaussian latent to a whole
sequence at once blends neighbouring modes: the average of a clockwise and an
anticlockwise circle is a line, of two start corners an octagon. An autoregressive model
(sketch-rnn) picks one mode step by step, at the cost of a sampling loop and far longer
training. Putting every drawing in one order first removes the modes instead (measured, same
model and sampling otherwise: squares 45% -> 95% recognised, circles 47% -> 96%):

1. every stroke runs clockwise around the drawing's centre (its signed area); a stroke
   that does not go around the centre (a line through it) runs left to right, or top to
   bottom when it is steeper than 45 degrees;
2. strokes that go around the centre come first, ordered by the clock angle of their
   start counted from 9 o'clock (no closed shape has a corner or a stroke start there, so
   the order does not flip on noise); the others (a line and its retraces, a stray mark)
   follow, longest first;
3. a lone stroke that closes on itself starts at its point nearest 12 o'clock (the apex of
   a triangle, the dip of a heart, the top of a circle).

Timing survives: each stroke keeps its own step durations (reversed with it), and the
pauses between strokes keep their sequence. What is lost is the variety of start points
and directions; generated drawings are all drawn in this order (see README's design notes).

Coordinates are in any unit; the centre is the bounding box's.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]

# |signed area| below this share of the drawing's squared size: the stroke does not wind
# around the centre (a line, or a mark on it), so its direction is set by rule 1's fallback.
FLAT_AREA = 0.02
# A lone stroke whose ends are closer than this share of the drawing's size is a closed loop.
CLOSED_GAP = 0.25


@dataclass(frozen=True, slots=True, eq=False)
class TimedPath:
    xy: F64  # (n, 2)
    t: F64  # (n,) ms since the drawing began, non-decreasing


def _clock(v: F64) -> F64:
    """Clock angle of vectors (n, 2) in screen coordinates (y down): 0 at 12 o'clock,
    increasing clockwise, in [0, 2 pi)."""
    return np.mod(np.arctan2(v[:, 0], -v[:, 1]), 2 * np.pi)


def _signed_area(xy: F64, centre: F64) -> float:
    """Twice the area swept around `centre`; positive when the stroke turns clockwise on screen."""
    v = xy - centre
    return float((v[:-1, 0] * v[1:, 1] - v[:-1, 1] * v[1:, 0]).sum())


def _winds(xy: F64, centre: F64, size: float) -> bool:
    """Whether a stroke goes around the centre rather than through or beside it."""
    return abs(_signed_area(xy, centre)) >= 2 * FLAT_AREA * size * size


def _forward(xy: F64, centre: F64, winds: bool) -> bool:
    """Whether a stroke already runs in the canonical direction (rule 1)."""
    if winds:
        return _signed_area(xy, centre) > 0
    d = xy[-1] - xy[0]
    return bool(d[0] >= 0) if abs(d[0]) >= abs(d[1]) else bool(d[1] >= 0)


def _roll(xy: F64, steps: F64, centre: F64) -> tuple[F64, F64]:
    """A closed stroke restarted at its point nearest 12 o'clock (rule 3); the seam step
    (old end to old start) takes the stroke's median step time."""
    angle = _clock(xy - centre)
    k = int(np.argmin(np.minimum(angle, 2 * np.pi - angle)))
    if k == 0:
        return xy, steps
    seam = np.median(steps[1:]) if steps.shape[0] > 1 else 0.0
    xy = np.concatenate([xy[k:], xy[: k + 1]])
    steps = np.concatenate([[0.0], steps[k + 1 :], [seam], steps[1 : k + 1]])
    return xy, steps


def canonical(paths: list[TimedPath]) -> list[TimedPath]:
    """The strokes of one drawing in canonical order, direction and start (module doc)."""
    points = np.concatenate([p.xy for p in paths])
    lo, hi = points.min(axis=0), points.max(axis=0)
    centre, size = (lo + hi) / 2, max(float((hi - lo).max()), 1e-9)
    by_time = sorted(paths, key=lambda p: float(p.t[0]))
    # Pauses between strokes in drawing order, and each stroke's own step durations.
    gaps = [max(float(b.t[0] - a.t[-1]), 0.0) for a, b in itertools.pairwise(by_time)]
    strokes: list[tuple[F64, F64]] = []
    keys: list[tuple[bool, float]] = []  # (does not wind, then angle or -length): rule 2
    for p in by_time:
        steps = np.diff(p.t, prepend=p.t[0])  # (n,), steps[0] = 0
        winds = _winds(p.xy, centre, size)
        xy = p.xy
        if not _forward(xy, centre, winds):
            xy, steps = xy[::-1], np.concatenate([[0.0], steps[1:][::-1]])
        strokes.append((xy, steps))
        angle = float(_clock(xy[:1] - centre)[0])
        length = float(np.hypot(*np.diff(xy, axis=0).T).sum())
        keys.append((not winds, np.mod(angle - 1.5 * np.pi, 2 * np.pi) if winds else -length))
    order = sorted(range(len(strokes)), key=keys.__getitem__)
    strokes = [strokes[i] for i in order]
    if len(strokes) == 1:
        xy, steps = strokes[0]
        if np.hypot(*(xy[-1] - xy[0])) < CLOSED_GAP * size:
            strokes = [_roll(xy, steps, centre)]
    out: list[TimedPath] = []
    start = float(by_time[0].t[0])
    for i, (xy, steps) in enumerate(strokes):
        t = start + np.cumsum(steps)
        out.append(TimedPath(xy, t))
        start = float(t[-1]) + (gaps[i] if i < len(gaps) else 0.0)
    return out
