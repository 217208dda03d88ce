"""The generator as a server process sees it: the active one, hot swapped, and `generate`.

It follows the classifier registry's rules (inference/registry.py) for the other model kind:
the active generator row is loaded and warmed off the event loop beside the one serving, then
swapped by one assignment; a file that fails to fetch, load or warm never replaces a working
one and is reported; activation hints trigger a refresh at once and a periodic check covers
lost hints. The source is the same `ModelSource` protocol (store/models.py's
`ActiveModelSource` with kind "generator").

There is no micro-batcher: one request is already a batch (its `count` drawings run as one
decoder call), and a call takes well under a millisecond.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic

from game.errors import InvalidDrawing
from game.strokes import Drawing
from game.validation import validate_drawing
from inference.generation import OnnxGenerator
from inference.registry import LoadFailure, ModelSource, RecordT

log = logging.getLogger("drawstream.generation")

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
class ServingGenerator(Generic[RecordT]):
    record: RecordT
    generator: OnnxGenerator
    loaded_at: datetime
    load_ms: float  # fetch + load + warm-up


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
        self._source = source
        self._threads = threads
        self.poll_interval_s = poll_interval_s
        self._retry_failed_s = retry_failed_s
        self._lock = asyncio.Lock()
        self._current: ServingGenerator[RecordT] | None = None
        self.failure: LoadFailure | None = None
        self._failed_at: dict[uuid.UUID, float] = {}  # model id -> monotonic failure time

    @property
    def model(self) -> ServingGenerator[RecordT] | None:
        return self._current

    def require_model(self) -> ServingGenerator[RecordT]:
        model = self._current
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
        await self.refresh_safely()

    async def run(self) -> None:
        """Follow activations for the life of the process: hints, and periodic checks."""
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._listen())
            tg.create_task(self._poll())

    async def refresh(self, force: bool = False) -> None:
        """Serve the source's active generator, loading and swapping if it changed."""
        async with self._lock:
            record = await self._source.active()
            current = self._current
            if record is None:
                self._current, self.failure = None, None
                return
            if current is not None and current.record.id == record.id:
                if current.record != record:  # same model, fresher catalogue entry
                    self._current = ServingGenerator(
                        record, current.generator, current.loaded_at, current.load_ms
                    )
                self.failure = None
                return
            failed = self._failed_at.get(record.id)
            if force or failed is None or time.monotonic() - failed >= self._retry_failed_s:
                await self._load(record)

    async def refresh_safely(self, force: bool = False) -> None:
        try:
            await self.refresh(force)
        except Exception as exc:  # the watcher must outlive any outage of the services
            log.warning("cannot check the active generator: %s", exc)

    async def _load(self, record: RecordT) -> None:
        started = time.perf_counter()
        try:
            blob = await self._source.fetch(record)
            generator = await asyncio.to_thread(self._build, blob)
        except Exception as exc:  # whatever broke, the working generator stays
            message = f"{type(exc).__name__}: {exc}"[:500]
            log.error("cannot serve generator v%s: %s", record.version, message)
            self.failure = LoadFailure(str(record.id), record.version, message, datetime.now(UTC))
            self._failed_at[record.id] = time.monotonic()
            await self._report(
                {
                    "type": "model_error",
                    "modelId": str(record.id),
                    "version": record.version,
                    "error": message,
                }
            )
            return
        load_ms = (time.perf_counter() - started) * 1000
        self._current = ServingGenerator(record, generator, datetime.now(UTC), load_ms)
        self.failure = None
        self._failed_at.pop(record.id, None)
        log.info("serving generator v%s, loaded in %.0f ms", record.version, load_ms)
        await self._report(
            {
                "type": "model_loaded",
                "modelId": str(record.id),
                "version": record.version,
                "loadMs": round(load_ms, 1),
            }
        )

    def _build(self, blob: bytes) -> OnnxGenerator:
        generator = OnnxGenerator.load(blob, self._threads)
        generator.warm(WARM_BATCH)
        return generator

    async def _report(self, event: dict[str, Any]) -> None:
        try:
            await self._source.report(event)
        except Exception as exc:  # the admin feed is best effort
            log.warning("cannot report %s: %s", event["type"], exc)

    async def _listen(self) -> None:
        while True:
            try:
                async for _ in self._source.activations():
                    await self.refresh_safely(force=True)
            except Exception as exc:  # lost subscription: the poll covers the gap
                log.warning("activation feed lost (%s); resubscribing", exc)
            await asyncio.sleep(1.0)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_interval_s)
            await self.refresh_safely()
