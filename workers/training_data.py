"""A training job's data: selected in PostgreSQL, streamed shard by shard, packed for training.

The selection query (store/selection.py) decides which drawings qualify, so flagged and
soft-deleted ones never reach the builder; the object store is read whole shards at a time
(store/dataset.py). Only x and y survive packing, so memory stays ~100 bytes per point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from game.shapes import shape_by_id
from store.dataset import iter_stored
from store.selection import Selection, select_locations
from store.services import Services
from workers.training.dataset import DatasetBuilder, LabelledSet
from workers.training.errors import TrainingError, TrainingStopped

# Progress is reported (and the stop flag checked) every this many drawings.
_REPORT_EVERY = 2000


class NotEnoughData(TrainingError):
    """Raised when the selection cannot make a training set; the message says what is short."""


@dataclass(frozen=True, slots=True, eq=False)
class LoadedData:
    data: LabelledSet
    drawing_ids: list[str]  # parallel to data: which stored drawing each sample is


def shape_counts(data: LabelledSet, shape_ids: Sequence[int]) -> dict[str, int]:
    """Drawings per shape name, in class order."""
    counts = data.class_counts(len(shape_ids))
    return {shape_by_id(s).name: n for s, n in zip(shape_ids, counts, strict=True)}


def check_enough(data: LabelledSet, shape_ids: Sequence[int]) -> None:
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
) -> LoadedData:
    """Read every selected drawing; `progress(done, total)` now and then; `stopped()` aborts."""
    locations = await select_locations(svc.pool, selection)
    builder = DatasetBuilder(selection.shape_ids)
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
