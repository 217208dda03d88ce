"""Stroke-level augmentation, applied to a whole batch of packed drawings before rasterising.

Augmenting strokes rather than pixels keeps the line width and anti-aliasing exactly what the
rasteriser produces at serving time: a rotated image would have blurred, thinner lines that no
real drawing ever shows the model. Every step is vectorised over the batch: per-drawing
parameters are drawn once and broadcast to points with `np.repeat`.
"""

from __future__ import annotations

import numpy as np

from inference.raster import PackedStrokes
from workers.training.config import AugmentConfig


def _drop_strokes(packed: PackedStrokes, rng: np.random.Generator, p: float) -> PackedStrokes:
    """Drop each stroke with probability p, never a drawing's last remaining one."""
    if p <= 0.0:
        return packed
    per_drawing = packed.strokes_per_drawing  # (N,)
    drawing_of_stroke = np.repeat(np.arange(len(packed)), per_drawing)  # (S,)
    drop = rng.random(drawing_of_stroke.shape[0]) < p
    kept = np.bincount(drawing_of_stroke, weights=~drop, minlength=len(packed))
    # Where everything was dropped, keep the drawing's first stroke.
    drop[packed.drawing_offsets[:-1][kept == 0]] = False
    if not drop.any():
        return packed
    keep = ~drop
    lengths = packed.stroke_lengths
    keep_point = np.repeat(keep, lengths)
    return PackedStrokes.from_counts(
        packed.x[keep_point],
        packed.y[keep_point],
        lengths[keep],
        np.bincount(drawing_of_stroke[keep], minlength=len(packed)).astype(np.int64),
    )


def augment(packed: PackedStrokes, rng: np.random.Generator, cfg: AugmentConfig) -> PackedStrokes:
    """A randomly rotated, stretched, sheared, stroke-shifted, jittered copy of the batch.

    With every strength at zero the batch is returned as is (not merely re-normalised), so
    unaugmented training tensors are bit-identical to serving's.
    """
    if cfg == AugmentConfig.none():
        return packed
    packed = _drop_strokes(packed, rng, cfg.stroke_dropout)
    n = len(packed)
    point_drawing = packed.point_drawing()  # (P,)
    starts = packed.stroke_offsets[packed.drawing_offsets[:-1]]  # (N,) first point of each
    # Work around each drawing's bbox centre in units of its larger side, so shift and
    # jitter are relative to the drawing, whatever canvas it came from.
    lo_x = np.minimum.reduceat(packed.x, starts)
    lo_y = np.minimum.reduceat(packed.y, starts)
    hi_x = np.maximum.reduceat(packed.x, starts)
    hi_y = np.maximum.reduceat(packed.y, starts)
    extent = np.maximum(np.maximum(hi_x - lo_x, hi_y - lo_y), np.float32(1e-3))  # (N,)
    cx, cy = (lo_x + hi_x) / 2, (lo_y + hi_y) / 2
    x = (packed.x - cx[point_drawing]) / extent[point_drawing]  # (P,) in ~[-0.5, 0.5]
    y = (packed.y - cy[point_drawing]) / extent[point_drawing]

    # Per-drawing linear map: rotate(theta) @ shear(k) @ diag(sx, sy).
    theta = np.deg2rad(rng.uniform(-cfg.rotation_deg, cfg.rotation_deg, n))
    k = rng.uniform(-cfg.shear, cfg.shear, n)
    sx = np.exp(rng.normal(0.0, cfg.scale, n))
    sy = np.exp(rng.normal(0.0, cfg.scale, n))
    cos, sin = np.cos(theta), np.sin(theta)
    a, b = cos * sx, (cos * k - sin) * sy  # row 1 of the 2x2 matrix
    c, d = sin * sx, (sin * k + cos) * sy  # row 2
    a, b, c, d = (m[point_drawing] for m in (a, b, c, d))
    x, y = a * x + b * y, c * x + d * y

    # Each stroke moves a little on its own: the loose joins of multi-stroke drawings.
    n_strokes = packed.stroke_offsets.shape[0] - 1
    shift = rng.normal(0.0, cfg.stroke_shift, (2, n_strokes))
    lengths = packed.stroke_lengths
    x = x + np.repeat(shift[0], lengths)
    y = y + np.repeat(shift[1], lengths)
    if cfg.jitter > 0.0:
        x = x + rng.normal(0.0, cfg.jitter, x.shape[0])
        y = y + rng.normal(0.0, cfg.jitter, y.shape[0])
    return PackedStrokes(
        x.astype(np.float32),
        y.astype(np.float32),
        packed.stroke_offsets,
        packed.drawing_offsets,
    )
