"""A training job's data: selected in PostgreSQL, streamed shard by shard, packed for training.

The selection query (store/selection.py) decides which drawings qualify, so flagged and
soft-deleted ones never reach the builder; the object store is read whole shards at a time
(store/dataset.py). Each kind's builder keeps only what it trains on (x and y for the
classifier, ~100 bytes per point; a 1 KB pen sequence per drawing for the generator).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from game.shapes import shape_by_id
from game.strokes import Drawing
from store.dataset import iter_stored
from store.records import StoredDrawing
from store.selection import Selection, select_locations
from store.services import Services
from workers.training.errors import TrainingError, TrainingStopped

# Progress is reported (and the stop flag checked) every this many drawings.
_REPORT_EVERY = 2000


class NotEnoughData(TrainingError):
    """Raised when the selection cannot make a training set; the message says what is short."""


class TrainingSet(Protocol):
    """What every kind's training set offers (LabelledSet, SequenceSet)."""

    @property
    def labels(self) -> npt.NDArray[np.int64]: ...  # (N,) class index per sample

    def __len__(self) -> int: ...

    def class_counts(self, n_classes: int) -> list[int]: ...


D = TypeVar("D", bound=TrainingSet)
D_co = TypeVar("D_co", bound=TrainingSet, covariant=True)


class Builder(Protocol[D_co]):
    """Turns streamed drawings into one kind's training set (workers/training/plans.py)."""

    def add(self, item: Drawing | StoredDrawing) -> None: ...

    def build(self) -> D_co: ...


@dataclass(frozen=True, slots=True, eq=False)
class LoadedData(Generic[D]):
    data: D
    drawing_ids: list[str]  # parallel to data: which stored drawing each sample is


def shape_counts(data: TrainingSet, shape_ids: Sequence[int]) -> dict[str, int]:
    """Drawings per shape name, in class order."""
    counts = data.class_counts(len(shape_ids))
    return {shape_by_id(s).name: n for s, n in zip(shape_ids, counts, strict=True)}


def check_enough(data: TrainingSet, shape_ids: Sequence[int]) -> None:
    """Every class needs two drawings at least: one to train on, one to validate with."""
    if len(data) == 0:
        raise NotEnoughData(
            "no drawings match the selection (check the shapes, quality threshold, dates and "
            "synthetic setting; flagged and deleted drawings are never used)"
        )
    short = {name: n for name, n in shape_counts(data, shape_ids).items() if n < 2}
    if short:
        listed = ", ".join(f"{name} has {n}" for name, n in short.items())
        raise NotEnoughData(
            f"not enough drawings: {listed} (each shape needs at least 2 that match the selection)"
        )


async def load_dataset(
    svc: Services,
    selection: Selection,
    stopped: Callable[[], bool],
    progress: Callable[[int, int], None],
    builder: Builder[D],
) -> LoadedData[D]:
    """Read every selected drawing into `builder`; `progress(done, total)` now and then;
    `stopped()` aborts."""
    locations = await select_locations(svc.pool, selection)
    ids: list[str] = []
    progress(0, len(locations))
    async for stored in iter_stored(svc.objects, locations):
        builder.add(stored)
        ids.append(stored.id)
        if len(ids) % _REPORT_EVERY == 0:
            progress(len(ids), len(locations))
            if stopped():
                raise TrainingStopped(f"after reading {len(ids)} drawings")
    progress(len(ids), len(locations))
    data = builder.build()
    check_enough(data, selection.shape_ids)
    return LoadedData(data, ids)
