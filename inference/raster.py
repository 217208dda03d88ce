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
point or per segment, only list comprehensions over strokes (to gather their arrays and to
count their samples).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
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
    """Gather drawings (or stroke lists) into one `PackedStrokes`; validates the geometry.

    Counts and checks stay in plain Python and x and y are gathered by a single concatenate:
    for the one or few drawings of a live request, each numpy call costs more than its work.
    """
    per_drawing = [_strokes_of(it) for it in items]
    strokes = [s for ss in per_drawing for s in ss]
    s_count = [len(ss) for ss in per_drawing]
    if 0 in s_count:
        raise RasterError(f"drawing {s_count.index(0)} has no strokes")
    p_count = [s.x.shape[0] for s in strokes]
    if 0 in p_count:
        raise RasterError("a stroke has no points")
    n_points = sum(p_count)
    if strokes:  # x of every stroke, then y of every stroke, in one buffer
        xy = np.concatenate([s.x for s in strokes] + [s.y for s in strokes], dtype=np.float32)
    else:
        xy = np.zeros(0, dtype=np.float32)
    if xy.shape[0] != 2 * n_points:
        raise RasterError("x and y lengths differ")
    if np.count_nonzero(np.isfinite(xy)) != xy.shape[0]:  # cheaper than .all()
        raise RasterError("coordinates must be finite")
    # Stroke offsets, then drawing offsets, built by one call (pack runs once per request).
    offsets = np.array([0, *accumulate(p_count), 0, *accumulate(s_count)], dtype=np.int64)
    split = len(p_count) + 1
    return PackedStrokes(xy[:n_points], xy[n_points:], offsets[:split], offsets[split:])


# Scalar operands of the per-sample arithmetic as 0-d arrays, made once: numpy converts a Python
# scalar operand into one on every call (~0.5 us), and a drawing makes about ten such calls.
_ONE = np.array(1)
_FULL_INK = np.array(1.0)
_SHORTEST_SEGMENT = np.array(1e-12)
_MIN_EXTENT32 = np.float32(MIN_EXTENT)
# The first point of a lone drawing, as `reduceat` indices.
_LONE_DRAWING_START = np.zeros(1, dtype=np.int64)


def _normalise(packed: PackedStrokes, n: int, size: int) -> F32:
    """Point coordinates in output pixels: bbox scaled into the square, aspect kept, centred.

    x and y are one (2, P) array, so every step is one numpy call for both axes. Returns it.
    The arithmetic stays float32: Python floats meet float32 values as float32 (NEP 50).
    """
    xy = np.array((packed.x, packed.y))  # (2, P)
    starts = (  # (N,) first point per drawing
        _LONE_DRAWING_START if n == 1 else packed.stroke_offsets[packed.drawing_offsets[:-1]]
    )
    lo = np.minimum.reduceat(xy, starts, axis=1)  # (2, N)
    extent = np.maximum.reduceat(xy, starts, axis=1) - lo  # (2, N): width, height
    span = size - 2 * MARGIN
    # Centre: the shorter side (or a dot) sits in the middle of the square.
    if n == 1:  # a lone drawing's values as float32 scalars: cheaper than (2, 1) arrays
        width, height = extent[0, 0], extent[1, 0]
        scale = span / max(width, height, _MIN_EXTENT32)
        off = np.array((size / 2 - width * scale / 2, size / 2 - height * scale / 2))[:, None]
    else:  # per-drawing values, spread over each drawing's points
        scale = span / extent.max(axis=0, initial=MIN_EXTENT)  # (N,)
        off = size / 2 - extent * scale / 2  # (2, N)
        per_point = np.repeat(
            np.concatenate((lo, off, scale[None])),
            np.diff(packed.stroke_offsets[packed.drawing_offsets]),
            axis=1,
        )  # (5, P)
        lo, off, scale = per_point[:2], per_point[2:4], per_point[4]
    pxy: F32 = xy - lo  # (xy - lo) * scale + off, in place
    pxy *= scale
    pxy += off
    return pxy


# The weights of a coordinate g pixels into its centre pixel, for the left, centre and right
# taps: 0.5 (1 - g)^2, 0.75 - (g - 0.5)^2 and 0.5 g^2. Each is c x^2 with x = a + b g (plus 0.75
# for the centre), so one broadcast call per step serves all three taps. The floats are those
# of the textbook form in f = g - 0.5: that subtraction is exact (g is a float32 less an
# integer), and c is 0.5 or -1, which scales a rounded product exactly.
_TAP_A = np.array([1.0, -0.5, 0.0]).reshape(3, 1, 1)
_TAP_B = np.array([-1.0, 1.0, 1.0]).reshape(3, 1, 1)
_TAP_C = np.array([0.5, -1.0, 0.5]).reshape(3, 1, 1)
_CENTRE_TAP = np.array(0.75)


def _bspline_taps(v: F32, size: int) -> tuple[I64, F64]:
    """Centre pixel of each coordinate and its 3 quadratic B-spline weights (sum exactly 1).

    The quadratic B-spline is the smoothest 3-tap kernel that is a partition of unity: samples
    one pixel apart along an axis add up to a perfectly flat line, so no beading. `v` may have
    any shape (the renderer passes x and y stacked); the weights get a leading axis of 3.
    """
    # Truncation, not floor: the two differ only below 0, which the clip sends to 1 either way.
    centre = v.astype(np.int64)  # (...,)
    np.maximum(centre, _ONE, out=centre)  # clip to [1, size - 2] (np.clip costs ~4 ufunc calls)
    np.minimum(centre, _splat_grid(size)[1], out=centre)
    g = v - centre  # (...,) float64, in [0, 1)
    weights = g * _TAP_B  # (3, ...) x, then the weights in place
    weights += _TAP_A
    weights *= weights
    weights *= _TAP_C
    weights[1] += _CENTRE_TAP
    return centre, weights


def _samples(packed: PackedStrokes, pxy: F32, n: int, size: int) -> tuple[F32, F64, I64 | None]:
    """Points spaced evenly along every stroke, the ink each carries and its image's offset.

    Samples follow arc length, not input points, so a dense 120 Hz capture and a sparse
    simplified stroke of the same shape give the same samples. All strokes are laid end to
    end on one global arc-length axis (with a gap between strokes so no sample straddles
    two), and one `searchsorted` finds each sample's segment. The round caps at both ends of
    every stroke follow the samples (first caps, then last caps): that order fixes the order
    in which ink is summed per pixel, hence the exact float pixels. Per-stroke counts are plain
    Python, as in `pack`: a live drawing has a few strokes, and a lone one simply broadcasts.

    Returns, per sample and cap (M = K + 2S): its (2, M) x and y, its (M,) ink times INK_GAIN,
    and (M,) the flat offset of its drawing's image (None for a lone drawing: all zero).
    """
    n_points = pxy.shape[1]
    d = np.empty(n_points, dtype=np.float64)  # (P,) length of the segment ending here
    flat = pxy.ravel()  # x then y: one subtraction differences both (and one junk pair)
    delta = flat[1:] - flat[:-1]  # (2P - 1,)
    d[1:] = np.hypot(delta[: n_points - 1], delta[n_points:])  # float32, as the coordinates
    first = packed.stroke_offsets[:-1]  # (S,); first[0] == 0 also sets d[0]
    last = packed.stroke_offsets[1:] - _ONE  # (S,)
    d[first] = _STROKE_GAP
    arc = np.add.accumulate(d)  # (P,) strictly separated between strokes
    arc_first = arc[first]
    length = (arc[last] - arc_first).tolist()
    # At least one sample per stroke (NaN, from an extent overflowing float32, gets one too).
    count = [max(math.ceil(x / SAMPLE_SPACING), 1) if x > 0 else 1 for x in length]
    step = list(map(operator.truediv, length, count))  # arc per sample: also the ink it carries
    n_samples = sum(count)
    # (k + 0.5) for the k-th sample of its stroke, as exact half-integers.
    half = np.arange(0.5, n_samples)  # (K,)
    sample_step: float | F64
    if len(count) == 1:  # a lone stroke: its first sample is sample 0
        sample_step = step[0]
        q = half  # (K,) global arc position, in place
        q *= sample_step
        q += arc_first[0]
    else:  # per-stroke values repeated over each stroke's samples
        per_stroke = np.array((arc_first, step, [*accumulate(count[:-1], initial=0)]))
        per_sample = np.repeat(per_stroke, count, axis=1)  # (3, K)
        sample_step = per_sample[1]
        q = per_sample[0] + (half - per_sample[2]) * sample_step
    ink = np.empty(n_samples + 2 * len(count), dtype=np.float64)  # (M,)
    ink.fill(CAP_MASS / 2 * INK_GAIN)  # each cap's; the samples' follow
    ink[:n_samples] = sample_step * INK_GAIN
    image = None
    if n > 1:
        image_of_stroke = np.repeat(
            np.arange(0, n * size * size, size * size), np.diff(packed.drawing_offsets)
        )  # (S,)
        image = np.concatenate(
            (np.repeat(image_of_stroke, count), image_of_stroke, image_of_stroke)
        )
    seg = arc.searchsorted(q, side="right")  # (K,)
    start = seg - _ONE  # (K,) the points starting and ending each sample's segment
    end = np.minimum(seg, n_points - 1)  # (only a zero-length stroke is cut)
    arc_start = arc[start]
    t = (q - arc_start) / np.maximum(arc[end] - arc_start, _SHORTEST_SEGMENT)
    p0 = pxy.take(start, axis=1)  # (2, K)
    along = pxy.take(end, axis=1)  # p0 + t * (p1 - p0), in place over p1
    along -= p0
    along *= t.astype(np.float32)
    along += p0
    caps = (pxy.take(first, axis=1), pxy.take(last, axis=1))
    return np.concatenate((along, *caps), axis=1), ink, image


@lru_cache(maxsize=8)
def _splat_grid(size: int) -> tuple[I64, I64, I64]:
    """Per-size constants: row stride, last centre pixel (0-d, as `_ONE`) and 3x3 offsets.

    The offsets are the flat offsets of the 3x3 neighbourhood from its centre pixel, row-major.
    """
    taps = (np.arange(-1, 2)[:, None] * size + np.arange(-1, 2)[None, :]).ravel()  # (9,)
    grid = (np.array(size), np.array(size - 2), taps)
    for constant in grid:
        constant.flags.writeable = False
    return grid


def _render_chunk(packed: PackedStrokes, n: int, size: int) -> F32:
    pxy = _normalise(packed, n, size)  # (2, P)
    sxy, ink, image = _samples(packed, pxy, n, size)  # (2, M), (M,), (M,) or None
    centre, w = _bspline_taps(sxy, size)  # (2, M), (3, 2, M)
    wx, wy = w[:, 0], w[:, 1]  # (3, M) each
    # Flat index of the centre pixel, then its 3x3 neighbourhood as constant offsets.
    row_stride, _, taps = _splat_grid(size)
    pixel = centre[1] * row_stride + centre[0]  # (M,)
    if image is not None:
        pixel += image
    flat = (pixel[:, None] + taps).ravel()  # (M*9,)
    # Samples stay the outer axis: bincount then sums each pixel's ink in sample order, which
    # the exact float pixels depend on. The products are taken tap-major, so that every loop
    # runs over all samples, then reordered.
    wy *= ink  # the gain is in the ink already
    weight = (wy[:, None] * wx[None, :]).transpose(2, 0, 1).ravel()  # (M*9,) float64
    img = np.bincount(flat, weights=weight, minlength=n * size * size)  # (N*S*S,)
    np.minimum(img, _FULL_INK, out=img)
    return img.astype(np.float32).reshape(n, 1, size, size)  # (N, 1, S, S)


def rasterize_packed(packed: PackedStrokes, size: int = IMAGE_SIZE) -> F32:
    """Render packed drawings to float32 images in [0, 1], shape (N, 1, size, size)."""
    n = len(packed)
    if n == 0:
        return np.zeros((0, 1, size, size), dtype=np.float32)
    if n <= _CHUNK:
        return _render_chunk(packed, n, size)
    out = np.empty((n, 1, size, size), dtype=np.float32)
    for lo in range(0, n, _CHUNK):
        hi = min(lo + _CHUNK, n)
        out[lo:hi] = _render_chunk(packed.select(np.arange(lo, hi)), hi - lo, size)
    return out


def rasterize_batch(items: Sequence[RasterInput], size: int = IMAGE_SIZE) -> F32:
    """Render many drawings (or stroke lists) to (N, 1, size, size) float32 in [0, 1]."""
    return rasterize_packed(pack(items), size)


def rasterize(item: RasterInput, size: int = IMAGE_SIZE) -> F32:
    """Render one drawing to (1, 1, size, size); the same pixels it gets inside a batch."""
    return rasterize_batch([item], size)
