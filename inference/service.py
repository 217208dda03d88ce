"""The classifier as the rest of a server process sees it: `classify_batch` and the model.

It joins the registry (which model serves) and the micro-batcher (how calls are coalesced).
Each batch reads the registry's current model once, as it starts, so a swap lands between
batches and every prediction names the model that made it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic

import numpy as np
import numpy.typing as npt

from inference.batcher import MicroBatcher
from inference.raster import RasterInput, rasterize_batch
from inference.registry import ModelRegistry, ModelSource, RecordT, ServingModel

F32 = npt.NDArray[np.float32]

# 64 drawings rasterise and run in ~2 ms on one core: large enough to amortise the fixed cost
# per call, small enough that a request arriving behind a full batch barely notices.
MAX_BATCH = 64
# The longest a job lingers for companions while the inference thread is idle.
MAX_WAIT_S = 0.002


class NoModelLoaded(RuntimeError):
    """Raised when a classification is asked for while no model is being served."""


@dataclass(frozen=True, slots=True)
class Prediction(Generic[RecordT]):
    probabilities: F32  # (C,) in the model's class order
    model: ServingModel[RecordT]

    def ranked(self) -> list[tuple[str, float]]:
        """(shape name, probability) for every class, most likely first (ties: class order).

        Sorted as Python floats: for a handful of classes that is a few times cheaper than
        numpy's argsort, and every answer the server gives ranks its classes."""
        named = zip(
            self.model.classifier.spec.shape_names, self.probabilities.tolist(), strict=True
        )
        return sorted(named, key=lambda pair: pair[1], reverse=True)


def default_threads() -> int:
    """Half the cores this process may use: the event loop parses requests on the rest."""
    return max(1, len(os.sched_getaffinity(0)) // 2)


class InferenceService(Generic[RecordT]):
    def __init__(
        self,
        source: ModelSource[RecordT],
        *,
        threads: int | None = None,
        max_batch: int = MAX_BATCH,
        max_wait_s: float = MAX_WAIT_S,
        poll_interval_s: float = 10.0,
    ) -> None:
        self.registry: ModelRegistry[RecordT] = ModelRegistry(
            source,
            threads=threads or default_threads(),
            warm_batch=max_batch,
            poll_interval_s=poll_interval_s,
        )
        self.batcher: MicroBatcher[RasterInput, Prediction[RecordT]] = MicroBatcher(
            self._prepare, max_batch, max_wait_s
        )

    @property
    def model(self) -> ServingModel[RecordT] | None:
        return self.registry.current

    def require_model(self) -> ServingModel[RecordT]:
        model = self.registry.current
        if model is None:
            raise NoModelLoaded("no classifier is loaded yet")
        return model

    async def start(self) -> None:
        """Load and warm the active model (if any) before the server takes requests."""
        await self.registry.refresh_safely()

    async def run(self) -> None:
        """The batch dispatcher and the activation watcher, for the life of the process."""
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self.batcher.run())
            tg.create_task(self.registry.watch())

    def close(self) -> None:
        self.batcher.close()

    async def classify_batch(self, items: Sequence[RasterInput]) -> list[Prediction[RecordT]]:
        """Predictions for validated drawings, one per item, all from one model."""
        self.require_model()  # fail fast, without queueing
        return await self.batcher.submit(items)

    def _prepare(self, items: list[RasterInput]) -> Callable[[], list[Prediction[RecordT]]]:
        """One batch, rasterised on the event loop (see inference/batcher.py); the model is
        read once, here, and the returned call runs it on the inference thread."""
        model = self.require_model()
        images = rasterize_batch(items, model.classifier.spec.image_size)

        def predict() -> list[Prediction[RecordT]]:
            probs = model.classifier.predict(images)  # (N, C)
            return [Prediction(probs[i], model) for i in range(len(items))]

        return predict
