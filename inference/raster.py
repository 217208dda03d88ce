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


def _offsets_of(counts: list[int]) -> I64:
    """`_offsets` of a Python list, built in one call (pack runs once per request)."""
    return np.fromiter(accumulate(counts, initial=0), dtype=np.int64, count=len(counts) + 1)


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
    if not np.isfinite(xy).all():
        raise RasterError("coordinates must be finite")
    return PackedStrokes(xy[:n_points], xy[n_points:], _offsets_of(p_count), _offsets_of(s_count))


def _normalise(packed: PackedStrokes, size: int) -> F32:
    """Point coordinates in output pixels: bbox scaled into the square, aspect kept, centred.

    x and y are one (2, P) array, so every step is one numpy call for both axes. Returns it.
    """
    n = len(packed)
    xy = np.concatenate((packed.x, packed.y)).reshape(2, -1)  # (2, P)
    point_offsets = packed.stroke_offsets[packed.drawing_offsets]  # (N + 1,)
    starts = point_offsets[:-1]  # (N,) first point per drawing
    lo = np.minimum.reduceat(xy, starts, axis=1)  # (2, N)
    extent = np.maximum.reduceat(xy, starts, axis=1) - lo  # (2, N): width, height
    span = np.float32(size - 2 * MARGIN)
    scale = span / np.maximum(extent.max(axis=0), np.float32(MIN_EXTENT))  # (N,)
    # Centre: the shorter side (or a dot) sits in the middle of the square.
    off = np.float32(size / 2) - extent * scale / 2  # (2, N)
    if n > 1:  # spread per-drawing values over points (a lone drawing's simply broadcast)
        per_point = np.repeat(
            np.concatenate((lo, off, scale[None])), np.diff(point_offsets), axis=1
        )  # (5, P)
        lo, off, scale = per_point[:2], per_point[2:4], per_point[4]
    pxy: F32 = (xy - lo) * scale + off  # float32 throughout
    return pxy


def _bspline_taps(v: F32, size: int) -> tuple[I64, F64]:
    """Centre pixel of each coordinate and its 3 quadratic B-spline weights (sum exactly 1).

    The quadratic B-spline is the smoothest 3-tap kernel that is a partition of unity: samples
    one pixel apart along an axis add up to a perfectly flat line, so no beading. `v` may have
    any shape (the renderer passes x and y stacked); the weights get a trailing axis of 3.
    """
    centre = np.floor(v).astype(np.int64)  # (...,)
    np.maximum(centre, 1, out=centre)  # clip to [1, size - 2] (np.clip costs ~4 ufunc calls)
    np.minimum(centre, size - 2, out=centre)
    f = v - centre - 0.5  # (...,) float64, in [-0.5, 0.5)
    lo = 0.5 - f
    hi = 0.5 + f
    weights = np.empty((*v.shape, 3), dtype=np.float64)  # (..., 3)
    np.multiply(0.5 * lo, lo, out=weights[..., 0])
    np.subtract(0.75, f * f, out=weights[..., 1])
    np.multiply(0.5 * hi, hi, out=weights[..., 2])
    return centre, weights


# Added to each sample's segment end (searchsorted 'right') for (segment start, segment end).
_SEGMENT = np.array([[-1], [0]], dtype=np.int64)


def _samples(packed: PackedStrokes, pxy: F32, size: int) -> tuple[F32, F64, I64]:
    """Points spaced evenly along every stroke, the ink each carries and its image's offset.

    Samples follow arc length, not input points, so a dense 120 Hz capture and a sparse
    simplified stroke of the same shape give the same samples. All strokes are laid end to
    end on one global arc-length axis (with a gap between strokes so no sample straddles
    two), and one `searchsorted` finds each sample's segment. The round caps at both ends of
    every stroke follow the samples (first caps, then last caps): that order fixes the order
    in which ink is summed per pixel, hence the exact float pixels.

    Returns, per sample and cap (M = K + 2S): its (2, M) x and y, its (M,) ink, and (M,) its
    image's flat offset less one row and one column, so that adding `cy * size + cx` gives
    the flat index of its 3x3 splat's top-left pixel.
    """
    n_points = pxy.shape[1]
    d = np.empty(n_points, dtype=np.float64)  # (P,) length of the segment ending here
    flat = pxy.ravel()  # x then y: one subtraction differences both (and one junk pair)
    delta = flat[1:] - flat[:-1]  # (2P - 1,)
    d[1:] = np.hypot(delta[: n_points - 1], delta[n_points:])  # float32, as the coordinates
    first = packed.stroke_offsets[:-1]  # (S,); first[0] == 0 also sets d[0]
    n_strokes = first.shape[0]
    d[first] = _STROKE_GAP
    arc = np.add.accumulate(d)  # (P,) strictly separated between strokes
    ends = np.concatenate((first, packed.stroke_offsets[1:] - 1))  # (2S,) first, last points
    arc_ends = arc[ends]
    arc_first = arc_ends[:n_strokes]
    length = arc_ends[n_strokes:] - arc_first  # (S,)
    count = np.maximum(np.ceil(length / SAMPLE_SPACING).astype(np.int64), 1)  # (S,)
    sample_end = np.add.accumulate(count)  # (S,)
    n_samples = int(sample_end[-1])
    # One table row per stroke, first cap and last cap (in that order), repeated into one
    # column per sample or cap: the ink it carries, its image's offset, and for the strokes
    # the arc where they start and their first sample's index.
    table = np.empty((4, 3, n_strokes), dtype=np.float64)
    table[0, 0] = length / count  # arc per sample: also the ink it stands for
    table[0, 1:] = CAP_MASS / 2
    if len(packed) > 1:
        stroke_drawing = np.repeat(np.arange(len(packed)), np.diff(packed.drawing_offsets))
        table[1] = stroke_drawing * (size * size) - (size + 1)  # exact in float64
    else:
        table[1] = -(size + 1)
    table[2, 0] = arc_first
    table[3, 0] = sample_end - count
    repeats = np.empty((3, n_strokes), dtype=np.int64)
    repeats[0] = count
    repeats[1:] = 1
    per_sample = np.repeat(table.reshape(4, -1), repeats.ravel(), axis=1)  # (4, M)
    ink = per_sample[0]  # (M,)
    origin = per_sample[1].astype(np.int64)  # (M,)
    step = per_sample[0, :n_samples]  # (K,)
    arc_start = per_sample[2, :n_samples]
    first_sample = per_sample[3, :n_samples]
    # (k + 0.5) for the k-th sample of its stroke, as exact half-integers.
    q = arc_start + (np.arange(0.5, n_samples) - first_sample) * step  # (K,) global arc position
    seg = arc.searchsorted(q, side="right")  # i = seg - 1 starts the segment, i + 1 in
    ij = np.minimum(seg + _SEGMENT, n_points - 1)  # (2, K) (only a zero-length stroke is cut)
    arc_ij = arc[ij]
    t = ((q - arc_ij[0]) / np.maximum(arc_ij[1] - arc_ij[0], 1e-12)).astype(np.float32)
    p = pxy.take(ij, axis=1)  # (2, 2, K): axis, segment start/end, sample
    along = p[:, 0] + t * (p[:, 1] - p[:, 0])  # (2, K)
    return np.concatenate((along, pxy.take(ends, axis=1)), axis=1), ink, origin


@lru_cache(maxsize=8)
def _splat_offsets(size: int) -> I64:
    """Flat offsets of the 3x3 neighbourhood from its top-left pixel, row-major."""
    taps = (np.arange(3)[:, None] * size + np.arange(3)[None, :]).ravel()  # (9,)
    taps.flags.writeable = False
    return taps


def _render_chunk(packed: PackedStrokes, size: int) -> F32:
    n = len(packed)
    pxy = _normalise(packed, size)  # (2, P)
    sxy, ink, origin = _samples(packed, pxy, size)  # (2, M), (M,), (M,)
    centre, w = _bspline_taps(sxy, size)  # (2, M), (2, M, 3)
    wx, wy = w[0], w[1]  # (M, 3) each
    # Index of the top-left tap, then the 3x3 neighbourhood as constant offsets.
    corner = centre[1] * size + centre[0] + origin  # (M,)
    flat = (corner[:, None] + _splat_offsets(size)).ravel()  # (M*9,)
    # Gain folded in (accumulated ink is the intensity). Samples stay the outer axis: bincount
    # then sums each pixel's ink in sample order, which the exact float pixels depend on.
    wy *= (ink * INK_GAIN)[:, None]
    weight = (wy[:, :, None] * wx[:, None, :]).ravel()  # (M*9,) float64, as bincount wants
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
