"""The one rasteriser: pen strokes -> model input. Training and serving both call it.

A model only generalises if it sees at serving time exactly what it saw in training, so this
module is the single stroke-to-tensor code in the codebase (architecture rule 10).

Normalisation follows Quick, Draw!: the drawing's bounding box is scaled, aspect kept, into a
fixed square with a margin and centred. Where a player drew on the canvas and how big is thrown
away; the shape remains. Everything after that happens in output pixels, so the line width is
the same whatever the canvas size or the drawing's size.

Rendering is a soft line: every stroke is sampled at a fixed arc-length spacing in output
pixels (each sample carrying the ink of the length it stands for, so a dense 120 Hz capture
and a sparse simplified stroke deposit the same ink), each sample is splatted with a 3x3
separable quadratic B-spline, and the accumulated ink is clipped at 1. That is anti-aliased,
independent of point density and vectorised over the whole batch: no Python loop runs per
point or per segment, only one list comprehension over strokes to gather their arrays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from game.strokes import Drawing

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

# Bumped whenever the pixels this module produces change. Models record the version they were
# trained with, and serving refuses a model made for different pixels.
RASTER_VERSION = 1
# 32 px: small enough that a 3-block CNN runs at thousands of images/s on a laptop core and
# the rasteriser at tens of thousands of drawings/s, large enough that a heart's lobes and a
# square's corners stay distinct; it also halves cleanly three times (32 -> 16 -> 8 -> 4).
IMAGE_SIZE = 32
# Empty border in output pixels: the 3x3 kernel reaches 1.5 px beyond a sample, so 2 px keeps
# every stroke fully inside the image without clipping its anti-aliased edge.
MARGIN = 2.0
# Distance between samples along a segment, in output pixels. Quadratic B-splines one pixel
# apart sum to a constant, so 1 px is the sparsest spacing that leaves no beading.
SAMPLE_SPACING = 1.0
# Ink -> intensity gain. The kernel's centre tap holds 0.5-0.75 of a sample's ink, so a gain
# of 2 makes the core of a line 1.0 and its flanks ~0.25-0.5: a ~2 px anti-aliased line.
INK_GAIN = 2.0
# Ink deposited at the ends of a stroke (two round caps, half each). It makes single-point
# strokes and drawings whose points all coincide visible as a dot instead of vanishing.
CAP_MASS = 1.0
# Bounding boxes smaller than this (input units, CSS pixels) are not blown up to the whole
# image: a tap with sub-pixel jitter is a dot, not a scribble.
MIN_EXTENT = 1.0
# Arc length inserted between consecutive strokes on the sampling axis (any value > 0 works:
# samples of a stroke only ever fall inside that stroke's own arc).
_STROKE_GAP = 1.0
# Drawings rasterised per internal chunk: bounds the temporary buffers (~100 kB per drawing)
# whatever batch size a caller passes.
_CHUNK = 1024


class RasterError(ValueError):
    """Raised when the input cannot be rasterised (no strokes, no points, non-finite)."""


class StrokeXY(Protocol):
    """What the rasteriser reads from a stroke: its coordinates (game.strokes.Stroke fits)."""

    @property
    def x(self) -> F32: ...

    @property
    def y(self) -> F32: ...


@dataclass(frozen=True, slots=True, eq=False)
class XY:
    """A bare stroke for callers without a full `Stroke` (augmentation, generation, tests)."""

    x: F32
    y: F32

    @classmethod
    def of(cls, x: npt.ArrayLike, y: npt.ArrayLike) -> XY:
        return cls(np.asarray(x, dtype=np.float32), np.asarray(y, dtype=np.float32))


RasterInput = Drawing | Sequence[StrokeXY]


@dataclass(frozen=True, slots=True, eq=False)
class PackedStrokes:
    """Many drawings as flat arrays, the batch form every vectorised step works on.

    Points of all strokes of all drawings are concatenated in order. Stroke `s` owns points
    `stroke_offsets[s]:stroke_offsets[s+1]`; drawing `d` owns strokes
    `drawing_offsets[d]:drawing_offsets[d+1]`.
    """

    x: F32  # (P,)
    y: F32  # (P,)
    stroke_offsets: I64  # (S + 1,)
    drawing_offsets: I64  # (N + 1,)

    @classmethod
    def from_counts(
        cls, x: F32, y: F32, stroke_lengths: I64, strokes_per_drawing: I64
    ) -> PackedStrokes:
        return cls(x, y, _offsets(stroke_lengths), _offsets(strokes_per_drawing))

    def __len__(self) -> int:
        return int(self.drawing_offsets.shape[0]) - 1

    @property
    def stroke_lengths(self) -> I64:
        return np.diff(self.stroke_offsets)  # (S,)

    @property
    def strokes_per_drawing(self) -> I64:
        return np.diff(self.drawing_offsets)  # (N,)

    def point_drawing(self) -> I64:
        """Index of the drawing each point belongs to."""  # (P,)
        stroke_of_drawing = np.repeat(np.arange(len(self)), self.strokes_per_drawing)
        return np.repeat(stroke_of_drawing, self.stroke_lengths)

    def select(self, indices: npt.ArrayLike) -> PackedStrokes:
        """The drawings at `indices`, in that order, as a new pack (vectorised gather)."""
        idx = np.asarray(indices, dtype=np.int64)
        s_lo = self.drawing_offsets[idx]
        s_count = self.drawing_offsets[idx + 1] - s_lo
        strokes = _ranges(s_lo, s_count)
        p_lo = self.stroke_offsets[strokes]
        p_count = self.stroke_offsets[strokes + 1] - p_lo
        points = _ranges(p_lo, p_count)
        return PackedStrokes.from_counts(self.x[points], self.y[points], p_count, s_count)


def _offsets(counts: I64) -> I64:
    out = np.zeros(counts.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def _ranges(starts: I64, counts: I64) -> I64:
    """Concatenation of arange(s, s + c) for every (s, c), without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - _offsets(counts)[:-1], counts)
    return np.arange(total, dtype=np.int64) + shift


def _strokes_of(item: RasterInput) -> Sequence[StrokeXY]:
    return item.strokes if isinstance(item, Drawing) else item


def pack(items: Iterable[RasterInput]) -> PackedStrokes:
    """Gather drawings (or stroke lists) into one `PackedStrokes`; validates the geometry."""
    per_drawing = [_strokes_of(it) for it in items]
    strokes = [s for ss in per_drawing for s in ss]
    s_count = np.fromiter((len(ss) for ss in per_drawing), dtype=np.int64, count=len(per_drawing))
    if (s_count == 0).any():
        raise RasterError(f"drawing {int(np.argmin(s_count))} has no strokes")
    p_count = np.fromiter((s.x.shape[0] for s in strokes), dtype=np.int64, count=len(strokes))
    if (p_count == 0).any():
        raise RasterError("a stroke has no points")
    if strokes:
        x = np.concatenate([s.x for s in strokes]).astype(np.float32, copy=False)
        y = np.concatenate([s.y for s in strokes]).astype(np.float32, copy=False)
    else:
        x = y = np.zeros(0, dtype=np.float32)
    if x.shape != y.shape:
        raise RasterError("x and y lengths differ")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise RasterError("coordinates must be finite")
    return PackedStrokes(x, y, _offsets(p_count), _offsets(s_count))


def _normalise(packed: PackedStrokes, size: int) -> tuple[F32, F32]:
    """Point coordinates in output pixels: bbox scaled into the square, aspect kept, centred."""
    starts = packed.stroke_offsets[packed.drawing_offsets[:-1]]  # (N,) first point per drawing
    lo_x = np.minimum.reduceat(packed.x, starts)
    lo_y = np.minimum.reduceat(packed.y, starts)
    w = np.maximum.reduceat(packed.x, starts) - lo_x
    h = np.maximum.reduceat(packed.y, starts) - lo_y
    span = np.float32(size - 2 * MARGIN)
    scale = span / np.maximum(np.maximum(w, h), np.float32(MIN_EXTENT))  # (N,)
    # Centre: the shorter side (or a dot) sits in the middle of the square.
    off_x = np.float32(size / 2) - w * scale / 2
    off_y = np.float32(size / 2) - h * scale / 2
    per_point = packed.point_drawing()
    s = scale[per_point]
    px = (packed.x - lo_x[per_point]) * s + off_x[per_point]
    py = (packed.y - lo_y[per_point]) * s + off_y[per_point]
    return px.astype(np.float32, copy=False), py.astype(np.float32, copy=False)


def _bspline_taps(v: F32, size: int) -> tuple[I64, F64]:
    """Centre pixel of each coordinate and its 3 quadratic B-spline weights (sum exactly 1).

    The quadratic B-spline is the smoothest 3-tap kernel that is a partition of unity: samples
    one pixel apart along an axis add up to a perfectly flat line, so no beading.
    """
    centre = np.clip(np.floor(v).astype(np.int64), 1, size - 2)  # (K,)
    f = (v - centre - 0.5).astype(np.float64)  # (K,) in [-0.5, 0.5)
    lo = 0.5 - f
    hi = 0.5 + f
    weights = np.empty((v.shape[0], 3), dtype=np.float64)  # (K, 3)
    weights[:, 0] = 0.5 * lo * lo
    weights[:, 1] = 0.75 - f * f
    weights[:, 2] = 0.5 * hi * hi
    return centre, weights


def _samples(packed: PackedStrokes, px: F32, py: F32) -> tuple[F32, F32, F64, I64]:
    """Points spaced evenly along every stroke, the ink each carries and its drawing.

    Samples follow arc length, not input points, so a dense 120 Hz capture and a sparse
    simplified stroke of the same shape give the same samples. All strokes are laid end to
    end on one global arc-length axis (with a gap between strokes so no sample straddles
    two), and one `searchsorted` finds each sample's segment.
    """
    d = np.empty(px.shape[0], dtype=np.float64)  # (P,) length of the segment ending here
    d[0] = 0.0
    d[1:] = np.hypot(px[1:] - px[:-1], py[1:] - py[:-1])
    first = packed.stroke_offsets[:-1]  # (S,)
    last = packed.stroke_offsets[1:] - 1
    d[first] = _STROKE_GAP
    arc = np.cumsum(d)  # (P,) strictly separated between strokes
    length = arc[last] - arc[first]  # (S,)
    count = np.maximum(np.ceil(length / SAMPLE_SPACING).astype(np.int64), 1)  # (S,)
    stroke_of = np.repeat(np.arange(first.shape[0]), count)  # (K,)
    k = np.arange(stroke_of.shape[0]) - np.repeat(_offsets(count)[:-1], count)
    step = length / count  # (S,) arc per sample: also the ink it stands for
    q = arc[first][stroke_of] + (k + 0.5) * step[stroke_of]  # (K,) global arc position
    i = np.searchsorted(arc, q, side="right") - 1  # segment start; i + 1 is in the stroke
    j = np.minimum(i + 1, px.shape[0] - 1)  # (only a zero-length stroke reaches past)
    t = ((q - arc[i]) / np.maximum(arc[j] - arc[i], 1e-12)).astype(np.float32)
    sx = px[i] + t * (px[j] - px[i])
    sy = py[i] + t * (py[j] - py[i])
    # Round caps at both ends of every stroke (a one-point stroke gets both on one spot).
    ends = np.concatenate([first, last])
    ink = np.concatenate([step[stroke_of], np.full(ends.shape[0], CAP_MASS / 2)])
    stroke_drawing = np.repeat(np.arange(len(packed)), packed.strokes_per_drawing)  # (S,)
    drawing = np.concatenate([stroke_drawing[stroke_of], np.tile(stroke_drawing, 2)])
    return np.concatenate([sx, px[ends]]), np.concatenate([sy, py[ends]]), ink, drawing


def _render_chunk(packed: PackedStrokes, size: int) -> F32:
    n = len(packed)
    px, py = _normalise(packed, size)
    sx, sy, ink, drawing = _samples(packed, px, py)  # (K,) each
    cx, wx = _bspline_taps(sx, size)  # (K,), (K, 3)
    cy, wy = _bspline_taps(sy, size)
    wy *= (ink * INK_GAIN)[:, None]  # gain folded in: accumulated ink is the intensity
    # Index of the top-left tap, then the 3x3 neighbourhood as constant offsets.
    corner = drawing * (size * size) + (cy - 1) * size + (cx - 1)  # (K,)
    taps = (np.arange(3)[:, None] * size + np.arange(3)[None, :]).ravel()  # (9,)
    flat = (corner[:, None] + taps[None, :]).ravel()  # (K*9,)
    weight = (wy[:, :, None] * wx[:, None, :]).ravel()  # (K*9,) float64, as bincount wants
    img = np.bincount(flat, weights=weight, minlength=n * size * size)  # (N*S*S,)
    np.minimum(img, 1.0, out=img)
    return img.astype(np.float32).reshape(n, 1, size, size)  # (N, 1, S, S)


def rasterize_packed(packed: PackedStrokes, size: int = IMAGE_SIZE) -> F32:
    """Render packed drawings to float32 images in [0, 1], shape (N, 1, size, size)."""
    n = len(packed)
    if n == 0:
        return np.zeros((0, 1, size, size), dtype=np.float32)
    if n <= _CHUNK:
        return _render_chunk(packed, size)
    out = np.empty((n, 1, size, size), dtype=np.float32)
    for lo in range(0, n, _CHUNK):
        hi = min(lo + _CHUNK, n)
        out[lo:hi] = _render_chunk(packed.select(np.arange(lo, hi)), size)
    return out


def rasterize_batch(items: Sequence[RasterInput], size: int = IMAGE_SIZE) -> F32:
    """Render many drawings (or stroke lists) to (N, 1, size, size) float32 in [0, 1]."""
    return rasterize_packed(pack(items), size)


def rasterize(item: RasterInput, size: int = IMAGE_SIZE) -> F32:
    """Render one drawing to (1, 1, size, size); the same pixels it gets inside a batch."""
    return rasterize_batch([item], size)
