"""Drawings as fixed-length pen sequences: what the generator learns to produce.

A drawing becomes exactly `seq_len` steps of (dx, dy, dt, pen):

- the points of every stroke are resampled at even arc-length spacing, each stroke getting a
  share of the steps proportional to its length (at least two, so its start and end survive);
- coordinates are normalised like the rasteriser does (bounding box centred on the origin,
  larger side 1, aspect kept), so the model learns shape, not where or how big a player drew;
- `dx, dy` is the move from the previous point (the first from the origin), `dt` the time it
  took in units of `TIME_UNIT_MS` (interpolated from the recorded timestamps, so pauses at
  corners and between strokes are kept), and `pen` is 1 when that move draws ink and 0 when it
  is a pen-up jump to the start of a new stroke (step 0 is always such a jump).

A fixed length is what makes the decoder a static-size graph: one ONNX call yields a whole
drawing, which is what keeps generation far under the 20 ms budget. Offsets rather than
absolute points are what sketch-rnn and Quick, Draw! use, and what a replay needs; the loss
also compares their running sums (the absolute points), so errors cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.strokes import Drawing, Stroke
from workers.training.dataset import DatasetError, stratified_split

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

CHANNELS = 4
DX, DY, DT, PEN = range(CHANNELS)
# One time unit is 100 ms: a step within a stroke is ~0.1-0.5 units, a pen-up pause 1-5, so
# the time channel has the same order of magnitude as the coordinates the loss also weighs.
TIME_UNIT_MS = 100.0
# Steps each kept stroke gets at least: its first and last point.
MIN_STEPS_PER_STROKE = 2

# What the generator trains on: a drawing, or just its strokes (timing included).
GeneratorInput = Drawing | Sequence[Stroke]


@dataclass(frozen=True, slots=True, eq=False)
class SequenceSet:
    sequences: F32  # (N, T, 4) of (dx, dy, dt, pen)
    labels: I64  # (N,) class index: the position of the shape id in the config's shape_ids

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def subset(self, indices: npt.ArrayLike) -> SequenceSet:
        idx = np.asarray(indices, dtype=np.int64)
        return SequenceSet(self.sequences[idx], self.labels[idx])

    def class_counts(self, n_classes: int) -> list[int]:
        return [int(c) for c in np.bincount(self.labels, minlength=n_classes)]


def allocate(lengths: F64, total: int, minimum: int = MIN_STEPS_PER_STROKE) -> I64:
    """Steps per stroke: `minimum` each, the rest in proportion to length (largest remainder).

    The counts always sum to `total`; strokes of zero length (dots) share the rest equally
    when nothing has length.
    """
    k = lengths.shape[0]
    spare = total - minimum * k
    if spare < 0:
        raise ValueError(f"{k} strokes need more than {total} steps")
    weight = lengths if lengths.sum() > 0 else np.ones(k)
    share = weight / weight.sum() * spare  # (K,)
    counts = np.floor(share).astype(np.int64)
    short = spare - int(counts.sum())
    counts[np.argsort(-(share - counts), kind="stable")[:short]] += 1
    return np.asarray(counts + minimum, dtype=np.int64)


def _arc(xy: F64) -> F64:
    """Cumulative arc length at each point (N,), starting at 0."""
    out = np.zeros(xy.shape[0])
    np.cumsum(np.hypot(*np.diff(xy, axis=0).T), out=out[1:])
    return out


def _resample(xy: F64, t: F64, n: int) -> tuple[F64, F64]:
    """`n` points evenly spaced along the stroke, ends included, with interpolated times."""
    arc = _arc(xy)
    if arc[-1] <= 0.0:  # a dot: every sample on the one spot, time still advancing
        return np.repeat(xy[:1], n, axis=0), np.linspace(t[0], t[-1], n)
    moved = np.concatenate([[True], np.diff(arc) > 0])  # interp needs increasing positions
    arc, xy, t = arc[moved], xy[moved], t[moved]
    q = np.linspace(0.0, arc[-1], n)
    out = np.stack([np.interp(q, arc, xy[:, 0]), np.interp(q, arc, xy[:, 1])], axis=1)
    return out, np.interp(q, arc, t)


def _kept(strokes: Sequence[Stroke], max_strokes: int) -> list[Stroke]:
    """The strokes to encode, in drawing order: the `max_strokes` longest when there are more
    (extra strokes are stray marks and retouches; the longest carry the shape)."""
    strokes = [s for s in strokes if len(s) > 0]
    if len(strokes) <= max_strokes:
        return strokes
    lengths = [_arc(np.stack([s.x, s.y], axis=1).astype(np.float64))[-1] for s in strokes]
    keep = sorted(np.argsort(lengths, kind="stable")[::-1][:max_strokes])
    return [strokes[i] for i in keep]


def to_sequence(strokes: Sequence[Stroke], seq_len: int, max_strokes: int) -> F32:
    """One drawing's strokes as a (seq_len, 4) sequence of (dx, dy, dt, pen)."""
    kept = _kept(strokes, max_strokes)
    if not kept:
        raise DatasetError("a drawing without points cannot be encoded")
    paths = [np.stack([s.x, s.y], axis=1).astype(np.float64) for s in kept]
    counts = allocate(np.array([_arc(p)[-1] for p in paths]), seq_len)
    parts = [
        _resample(p, s.t.astype(np.float64), int(n))
        for p, s, n in zip(paths, kept, counts, strict=True)
    ]
    xy = np.concatenate([p for p, _ in parts])  # (T, 2)
    times = np.concatenate([t for _, t in parts])  # (T,) ms since the drawing began
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    xy = (xy - (lo + hi) / 2) / max(float((hi - lo).max()), 1e-6)  # in [-0.5, 0.5]
    out = np.empty((seq_len, CHANNELS), dtype=np.float32)
    out[:, [DX, DY]] = np.diff(xy, axis=0, prepend=np.zeros((1, 2)))
    out[:, DT] = np.maximum(np.diff(times, prepend=times[0]), 0.0) / TIME_UNIT_MS
    out[:, PEN] = 1.0
    out[np.concatenate([[0], np.cumsum(counts)[:-1]]), PEN] = 0.0  # each stroke's first step
    return out


def sequence_set(
    drawings: Iterable[GeneratorInput],
    shape_ids_of: Iterable[int],
    shape_ids: Sequence[int],
    seq_len: int,
    max_strokes: int,
) -> SequenceSet:
    """Encode drawings (or their strokes) with their shape ids (parallel iterables); drawings of
    shapes outside `shape_ids` are skipped, the rest labelled by their id's position."""
    class_of = {sid: i for i, sid in enumerate(shape_ids)}
    sequences: list[F32] = []
    labels: list[int] = []
    for item, shape_id in zip(drawings, shape_ids_of, strict=True):
        label = class_of.get(shape_id)
        if label is not None:
            strokes = item.strokes if isinstance(item, Drawing) else item
            sequences.append(to_sequence(strokes, seq_len, max_strokes))
            labels.append(label)
    if not sequences:
        raise DatasetError("no drawing of the configured shapes")
    return SequenceSet(np.stack(sequences), np.asarray(labels, dtype=np.int64))


@dataclass(frozen=True, slots=True, eq=False)
class SequenceSplit:
    train: SequenceSet
    val: SequenceSet


def split(data: SequenceSet, n_classes: int, val_fraction: float, seed: int) -> SequenceSplit:
    """Stratified split (the classifier's); refuses data that lacks a class."""
    counts = data.class_counts(n_classes)
    missing = [i for i, c in enumerate(counts) if c < 2]
    if missing:
        raise DatasetError(f"classes {missing} have fewer than 2 drawings (counts {counts})")
    train_idx, val_idx = stratified_split(data.labels, val_fraction, seed)
    return SequenceSplit(data.subset(train_idx), data.subset(val_idx))
