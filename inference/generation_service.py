"""The generator as a server process sees it: the active one, hot swapped, and `generate`.

Which generator serves is the same registry as the classifier's (inference/registry.py): the
active generator row is loaded and warmed off the event loop beside the one serving, then
swapped by one assignment; a file that fails to fetch, load or warm never replaces a working
one and is reported; activation hints trigger a refresh at once and a periodic check covers
lost hints. The source is the same `ModelSource` protocol (store/models.py's
`ActiveModelSource` with kind "generator").

There is no micro-batcher: one request is already a batch (its `count` drawings run as one
decoder call), and a call takes well under a millisecond.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Generic

from game.errors import InvalidDrawing
from game.strokes import Drawing
from game.validation import validate_drawing
from inference.generation import OnnxGenerator
from inference.registry import HotSwapRegistry, ModelSource, RecordT, Serving

# The largest request warmed at load, so the first real one allocates nothing new.
WARM_BATCH = 16


class NoGeneratorLoaded(RuntimeError):
    """Raised when a drawing is asked for while no generator is being served."""


class UnknownGeneratorShape(LookupError):
    """Raised when the served generator was not trained on the requested shape."""


class GenerationFailed(RuntimeError):
    """Raised when a generated drawing fails submission validation: a bug or a broken model,
    never the caller's fault (so not the InvalidDrawing a client would get a 400 for)."""


@dataclass(frozen=True, slots=True)
class ServingGenerator(Serving[RecordT]):
    generator: OnnxGenerator


@dataclass(frozen=True, slots=True)
class Generated(Generic[RecordT]):
    drawings: list[Drawing]
    model: ServingGenerator[RecordT]
    compute_ms: float  # sampling + decoding + validation, on the worker thread


class GenerationService(Generic[RecordT]):
    def __init__(
        self,
        source: ModelSource[RecordT],
        *,
        threads: int = 1,
        poll_interval_s: float = 10.0,
        retry_failed_s: float = 60.0,
    ) -> None:
        self.registry: HotSwapRegistry[RecordT, OnnxGenerator, ServingGenerator[RecordT]] = (
            HotSwapRegistry(
                source,
                OnnxGenerator.load,
                ServingGenerator,
                noun="generator",
                threads=threads,
                warm_batch=WARM_BATCH,
                poll_interval_s=poll_interval_s,
                retry_failed_s=retry_failed_s,
            )
        )

    @property
    def model(self) -> ServingGenerator[RecordT] | None:
        return self.registry.current

    def require_model(self) -> ServingGenerator[RecordT]:
        model = self.registry.current
        if model is None:
            raise NoGeneratorLoaded("no generator is active yet")
        return model

    async def generate(
        self, shape_id: int, count: int, temperature: float, seed: int
    ) -> Generated[RecordT]:
        """`count` drawings of `shape_id` from the served generator, each validated as a
        submission is; deterministic for (model, shape, count, temperature, seed)."""
        model = self.require_model()  # read once: a swap mid-request cannot mix models
        if not model.generator.knows(shape_id):
            raise UnknownGeneratorShape(f"the active generator does not draw shape {shape_id}")
        return await asyncio.to_thread(self._generate, model, shape_id, count, temperature, seed)

    @staticmethod
    def _generate(
        model: ServingGenerator[RecordT], shape_id: int, count: int, temperature: float, seed: int
    ) -> Generated[RecordT]:
        started = time.perf_counter()
        tag = f"generator-v{model.record.version}"
        drawings = model.generator.sample(shape_id, count, temperature, seed, tag)
        for d in drawings:  # decoding guarantees it; a broken guarantee must not reach clients
            try:
                validate_drawing(d)
            except InvalidDrawing as exc:
                raise GenerationFailed(f"generated drawing is not valid: {exc.details}") from exc
        return Generated(drawings, model, (time.perf_counter() - started) * 1000)

    async def start(self) -> None:
        """Load and warm the active generator (if any) before the server takes requests."""
        await self.registry.refresh_safely()

    async def run(self) -> None:
        """Follow activations for the life of the process: hints, and periodic checks."""
        await self.registry.watch()
