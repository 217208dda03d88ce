"""Drawings as fixed-length pen sequences: what the generator learns to produce.

A drawing becomes exactly `seq_len` steps of (dx, dy, dt, stroke):

- the strokes are put in one canonical order and direction (canonical.py), then the points
  of every stroke are resampled at even arc-length spacing, each stroke getting a share of
  the steps proportional to its length (at least two, so its start and end survive);
- coordinates are normalised like the rasteriser does (bounding box centred on the origin,
  larger side 1, aspect kept), so the model learns shape, not where or how big a player drew;
- `dx, dy` is the move from the previous point (the first from the origin), `dt` the time it
  took in units of `TIME_UNIT_MS` (interpolated from the recorded timestamps, so pauses at
  corners and between strokes are kept), and `stroke` is the pen state as a running count:
  0 through the first stroke, 1 through the second, ...; the pen lifts before every step
  where it goes up (and step 0 is always the jump to the first stroke's start).

The count rather than a per-step "pen down" flag, because a decoder regresses a ramp that
crosses k + 1/2 near the right step easily, while a lone flag whose step varies with the
stroke lengths it does not learn at all (measured: a lift's probability never rose above 0.4,
even with its cross-entropy weighted 50x, so every multi-stroke line came out as a V).

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
from store.records import StoredDrawing
from workers.training.dataset import DatasetError, stratified_split
from workers.training.generator.canonical import TimedPath, canonical

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

CHANNELS = 4
DX, DY, DT, STROKE = range(CHANNELS)
# One time unit is 100 ms: a step within a stroke is ~0.1-0.5 units, a pen-up pause 1-5, so
# the time channel has the same order of magnitude as the coordinates the loss also weighs.
TIME_UNIT_MS = 100.0
# Steps each kept stroke gets at least: its first and last point.
MIN_STEPS_PER_STROKE = 2

# What the generator trains on: a drawing, or just its strokes (timing included).
GeneratorInput = Drawing | Sequence[Stroke]


@dataclass(frozen=True, slots=True, eq=False)
class SequenceSet:
    sequences: F32  # (N, T, 4) of (dx, dy, dt, stroke)
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
    """One drawing's strokes, in canonical order (canonical.py), as a (seq_len, 4) sequence
    of (dx, dy, dt, stroke)."""
    kept = _kept(strokes, max_strokes)
    if not kept:
        raise DatasetError("a drawing without points cannot be encoded")
    paths = canonical(
        [
            TimedPath(np.stack([s.x, s.y], axis=1).astype(np.float64), s.t.astype(np.float64))
            for s in kept
        ]
    )
    counts = allocate(np.array([_arc(p.xy)[-1] for p in paths]), seq_len)
    parts = [_resample(p.xy, p.t, int(n)) for p, n in zip(paths, counts, strict=True)]
    xy = np.concatenate([p for p, _ in parts])  # (T, 2)
    times = np.concatenate([t for _, t in parts])  # (T,) ms since the drawing began
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    xy = (xy - (lo + hi) / 2) / max(float((hi - lo).max()), 1e-6)  # in [-0.5, 0.5]
    out = np.empty((seq_len, CHANNELS), dtype=np.float32)
    out[:, [DX, DY]] = np.diff(xy, axis=0, prepend=np.zeros((1, 2)))
    out[:, DT] = np.maximum(np.diff(times, prepend=times[0]), 0.0) / TIME_UNIT_MS
    out[:, STROKE] = np.repeat(np.arange(len(counts)), counts)
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
    builder = SequenceBuilder(shape_ids, seq_len, max_strokes)
    for item, shape_id in zip(drawings, shape_ids_of, strict=True):
        builder.add_strokes(item.strokes if isinstance(item, Drawing) else item, shape_id)
    data = builder.build()
    if len(data) == 0:
        raise DatasetError("no drawing of the configured shapes")
    return data


class SequenceBuilder:
    """Encodes drawings as they stream in (the training job reads shard by shard), keeping
    only their sequences: 1 KB per drawing whatever its point count. Drawings of shapes
    outside `shape_ids` are counted in `skipped`."""

    def __init__(self, shape_ids: Sequence[int], seq_len: int, max_strokes: int) -> None:
        self._class_of = {sid: i for i, sid in enumerate(shape_ids)}
        self._seq_len, self._max_strokes = seq_len, max_strokes
        self._sequences: list[F32] = []
        self._labels: list[int] = []
        self.skipped = 0

    def add(self, item: Drawing | StoredDrawing) -> None:
        drawing = item.drawing if isinstance(item, StoredDrawing) else item
        self.add_strokes(drawing.strokes, drawing.shape_id)

    def add_strokes(self, strokes: Sequence[Stroke], shape_id: int) -> None:
        label = self._class_of.get(shape_id)
        if label is None:
            self.skipped += 1
            return
        self._sequences.append(to_sequence(strokes, self._seq_len, self._max_strokes))
        self._labels.append(label)

    def build(self) -> SequenceSet:
        if not self._sequences:
            return SequenceSet(
                np.zeros((0, self._seq_len, CHANNELS), np.float32), np.zeros(0, np.int64)
            )
        return SequenceSet(np.stack(self._sequences), np.asarray(self._labels, dtype=np.int64))


def stroke_counts(data: SequenceSet) -> I64:
    """How many strokes each encoded drawing has (N,), 1 to max_strokes."""
    return np.asarray(np.round(data.sequences[:, -1, STROKE]), dtype=np.int64) + 1


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
