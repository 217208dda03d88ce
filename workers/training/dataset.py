"""From stored drawings to labelled, packed arrays and a stratified train/validation split.

Drawings arrive as a stream (shard by shard from the object store), so the builder packs
them in chunks as they come and keeps only what the rasteriser reads (x and y): a million
drawings fit in a few hundred megabytes instead of millions of Python objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.strokes import Drawing
from inference.raster import PackedStrokes, RasterInput, pack
from store.records import StoredDrawing

I64 = npt.NDArray[np.int64]

# Drawings packed per chunk while streaming: big enough that packing is vectorised, small
# enough that the Python objects of one chunk are a few megabytes.
_CHUNK = 4096


class DatasetError(ValueError):
    """Raised when the drawings cannot make a training set (empty, or a class missing)."""


@dataclass(frozen=True, slots=True, eq=False)
class LabelledSet:
    strokes: PackedStrokes  # N drawings
    labels: I64  # (N,) class index: the position of the shape id in the config's shape_ids

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def subset(self, indices: npt.ArrayLike) -> LabelledSet:
        idx = np.asarray(indices, dtype=np.int64)
        return LabelledSet(self.strokes.select(idx), self.labels[idx])

    def class_counts(self, n_classes: int) -> list[int]:
        return [int(c) for c in np.bincount(self.labels, minlength=n_classes)]


@dataclass(frozen=True, slots=True, eq=False)
class Split:
    train: LabelledSet
    val: LabelledSet


def concat(parts: Sequence[PackedStrokes]) -> PackedStrokes:
    """One pack holding the drawings of all parts, in order."""
    if not parts:
        return pack([])
    return PackedStrokes.from_counts(
        np.concatenate([p.x for p in parts]),
        np.concatenate([p.y for p in parts]),
        np.concatenate([p.stroke_lengths for p in parts]),
        np.concatenate([p.strokes_per_drawing for p in parts]),
    )


class DatasetBuilder:
    """Accumulates drawings of the configured shapes; others are counted and skipped."""

    def __init__(self, shape_ids: Sequence[int]) -> None:
        self._class_of = {sid: i for i, sid in enumerate(shape_ids)}
        self._pending: list[RasterInput] = []
        self._pending_labels: list[int] = []
        self._packs: list[PackedStrokes] = []
        self._labels: list[I64] = []
        self.skipped = 0

    def add(self, item: Drawing | StoredDrawing) -> None:
        drawing = item.drawing if isinstance(item, StoredDrawing) else item
        self.add_strokes(drawing, drawing.shape_id)

    def add_strokes(self, strokes: RasterInput, shape_id: int) -> None:
        label = self._class_of.get(shape_id)
        if label is None:
            self.skipped += 1
            return
        self._pending.append(strokes)
        self._pending_labels.append(label)
        if len(self._pending) >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._packs.append(pack(self._pending))
            self._labels.append(np.asarray(self._pending_labels, dtype=np.int64))
            self._pending, self._pending_labels = [], []

    def build(self) -> LabelledSet:
        self._flush()
        labels = np.concatenate(self._labels) if self._labels else np.zeros(0, np.int64)
        return LabelledSet(concat(self._packs), labels)


def labelled_set(
    drawings: Iterable[RasterInput], shape_ids_of: Iterable[int], shape_ids: Sequence[int]
) -> LabelledSet:
    """Pack drawings with their shape ids (parallel iterables) into a LabelledSet."""
    builder = DatasetBuilder(shape_ids)
    for strokes, shape_id in zip(drawings, shape_ids_of, strict=True):
        builder.add_strokes(strokes, shape_id)
    return builder.build()


def stratified_split(labels: I64, val_fraction: float, seed: int) -> tuple[I64, I64]:
    """Indices (train, val), each sorted; val holds ~val_fraction of every class.

    Every class with at least two drawings gets at least one in each part, so per-class
    recall is always measurable. The same labels and seed always give the same split.
    """
    rng = np.random.default_rng(seed)
    train: list[I64] = []
    val: list[I64] = []
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        n_val = round(len(members) * val_fraction)
        if len(members) >= 2:
            n_val = min(max(n_val, 1), len(members) - 1)
        val.append(members[:n_val])
        train.append(members[n_val:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(val))


def split(data: LabelledSet, n_classes: int, val_fraction: float, seed: int) -> Split:
    """Stratified split; refuses data that lacks a class (the model could not learn it)."""
    counts = data.class_counts(n_classes)
    missing = [i for i, c in enumerate(counts) if c < 2]
    if missing:
        raise DatasetError(f"classes {missing} have fewer than 2 drawings (counts {counts})")
    train_idx, val_idx = stratified_split(data.labels, val_fraction, seed)
    return Split(data.subset(train_idx), data.subset(val_idx))
