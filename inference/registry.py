"""Which model of a kind this process serves, and hot swapping it when an admin activates another.

Every server process keeps one served reference per kind: the classifier's (`ModelRegistry`,
batched by inference/service.py) and the generator's (inference/generation_service.py). When
the source names another active model (an activation hint arrives, or the periodic check
notices when a hint was lost), the new artifact is fetched, loaded and warmed beside the old
one, off the event loop, and only then does the reference change: one assignment, so every
batch runs wholly on the old model or wholly on the new, and no request waits for a load.
Loading and warm-up run at the lowest CPU priority: on a busy machine they take only the CPU
that requests leave, so a swap barely slows the requests served meanwhile (bench/inference.py
measures the two seconds after a swap).

A model that fails to fetch, load or warm never replaces a working one. The failure is kept
for /health and reported to admins, and the periodic check leaves that model alone for a while
(an explicit activation retries it at once).

Where models come from is a `ModelSource` (store/models.py implements it over PostgreSQL, the
object store and Redis): inference/ depends on no adapter, and tests swap models without one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

from inference.runtime import OnnxClassifier

log = logging.getLogger("drawstream.inference")


class ModelRecord(Protocol):
    """What the registry reads of a model's catalogue entry."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def version(self) -> int: ...


RecordT = TypeVar("RecordT", bound=ModelRecord)


class ModelSource(Protocol[RecordT]):
    async def active(self) -> RecordT | None:
        """The model that should be served now, or None when none is active."""
        ...

    async def fetch(self, record: RecordT) -> bytes:
        """The ONNX bytes of `record`."""
        ...

    def activations(self) -> AsyncIterator[object]:
        """One item per activation announced anywhere (a hint to refresh now)."""
        ...

    async def report(self, event: dict[str, Any]) -> None:
        """Tell admins about a load or a failure (best effort)."""
        ...


class Runtime(Protocol):
    """What a registry serves: a checked ONNX model (OnnxClassifier, OnnxGenerator)."""

    def warm(self, max_batch: int) -> None:
        """Run the largest batch once, raising if the answers are wrong."""
        ...


RuntimeT = TypeVar("RuntimeT", bound=Runtime)


@dataclass(frozen=True, slots=True)
class Serving(Generic[RecordT]):
    """What every served model carries, whatever its kind; a kind's subclass adds its
    runtime as the last field. The registry swaps whole values of it, never fields."""

    record: RecordT
    loaded_at: datetime
    load_ms: float  # fetch + load + warm-up


ServedT = TypeVar("ServedT", bound=Serving[Any])


@dataclass(frozen=True, slots=True)
class ServingModel(Serving[RecordT]):
    classifier: OnnxClassifier


@dataclass(frozen=True, slots=True)
class LoadFailure:
    model_id: str
    version: int
    error: str
    at: datetime


def _lowest_priority() -> None:
    """Give the calling thread nice 19, so every thread serving requests wins a contended
    core over it. Linux sets niceness per thread; elsewhere it would renice the whole process,
    so there the thread keeps its priority."""
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class HotSwapRegistry(Generic[RecordT, RuntimeT, ServedT]):
    """The served model of one kind (`noun` in the logs): `load` reads a runtime from the
    file's bytes with this many threads, and `serving` wraps it with its record and load
    timings."""

    def __init__(
        self,
        source: ModelSource[RecordT],
        load: Callable[[bytes, int], RuntimeT],
        serving: Callable[[RecordT, datetime, float, RuntimeT], ServedT],
        *,
        noun: str,
        threads: int,
        warm_batch: int,
        poll_interval_s: float,
        retry_failed_s: float,
    ) -> None:
        self._source = source
        self._load_runtime = load
        self._serving = serving
        self._noun = noun
        self._threads = threads
        self._warm_batch = warm_batch
        self.poll_interval_s = poll_interval_s
        self._retry_failed_s = retry_failed_s
        self._lock = asyncio.Lock()
        self._current: ServedT | None = None
        self._failure: LoadFailure | None = None
        self._failed_at: dict[uuid.UUID, float] = {}  # model id -> monotonic failure time
        # A thread of its own, since an unprivileged thread cannot take back its priority.
        self._background = ThreadPoolExecutor(
            1, thread_name_prefix=f"{noun}-load", initializer=_lowest_priority
        )

    @property
    def current(self) -> ServedT | None:
        """The model new requests run on (safe to read from any thread: one attribute)."""
        return self._current

    @property
    def failure(self) -> LoadFailure | None:
        """Why the active model is not the one served, while that is the case."""
        return self._failure

    async def refresh(self, force: bool = False) -> None:
        """Serve the source's active model, loading and swapping if it changed.

        `force` retries a model that failed recently. Errors of the source's `active()`
        propagate; anything going wrong while loading is recorded, never raised.
        """
        async with self._lock:
            record = await self._source.active()
            current = self._current
            if record is None:
                if current is not None:
                    log.warning(
                        "no active %s any more; unloading v%s", self._noun, current.record.version
                    )
                self._current, self._failure = None, None
                return
            if current is not None and current.record.id == record.id:
                if current.record != record:  # same model, fresher catalogue entry
                    self._current = replace(current, record=record)
                self._failure = None
                return
            failed = self._failed_at.get(record.id)
            recent = failed is not None and time.monotonic() - failed < self._retry_failed_s
            if force or not recent:
                await self._load(record)

    async def _load(self, record: RecordT) -> None:
        started = time.perf_counter()
        try:
            blob = await self._source.fetch(record)
            loop = asyncio.get_running_loop()
            # A session's own intra-op threads (threads - 1 of them) inherit the niceness of
            # the thread that opens it and then serve every request: such a session opens at
            # normal priority; a single-threaded one computes on its caller and opens at 19.
            opener = self._background if self._threads == 1 else None
            runtime = await loop.run_in_executor(opener, self._load_runtime, blob, self._threads)
            await loop.run_in_executor(self._background, runtime.warm, self._warm_batch)
        except Exception as exc:  # whatever broke, the working model stays
            await self._failed(record, exc)
            return
        model = self._serving(
            record, datetime.now(UTC), (time.perf_counter() - started) * 1000, runtime
        )
        previous = self._current
        self._current = model  # the swap; requests already running keep their own reference
        self._failure = None
        self._failed_at.pop(record.id, None)
        log.info(
            "serving %s v%s (was %s), loaded in %.0f ms",
            self._noun,
            record.version,
            f"v{previous.record.version}" if previous else "none",
            model.load_ms,
        )
        await self._report(
            {
                "type": "model_loaded",
                "modelId": str(record.id),
                "version": record.version,
                "loadMs": round(model.load_ms, 1),
            }
        )

    async def _failed(self, record: RecordT, exc: Exception) -> None:
        message = f"{type(exc).__name__}: {exc}"[:500]
        log.error("cannot serve %s v%s (%s): %s", self._noun, record.version, record.id, message)
        self._failure = LoadFailure(str(record.id), record.version, message, datetime.now(UTC))
        self._failed_at[record.id] = time.monotonic()
        serving = self._current
        await self._report(
            {
                "type": "model_error",
                "modelId": str(record.id),
                "version": record.version,
                "error": message,
                "servingVersion": serving.record.version if serving else None,
            }
        )

    async def _report(self, event: dict[str, Any]) -> None:
        try:
            await self._source.report(event)
        except Exception as exc:  # the admin feed is best effort
            log.warning("cannot report %s: %s", event["type"], exc)

    async def refresh_safely(self, force: bool = False) -> None:
        """`refresh` for background use: a failing source is logged; the next check retries."""
        try:
            await self.refresh(force)
        except Exception as exc:  # the watcher must outlive any outage of the services
            log.warning("cannot check the active %s: %s", self._noun, exc)

    async def watch(self) -> None:
        """Follow activations for the life of the process: hints, and periodic checks."""
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._listen())
            tg.create_task(self._poll())

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


class ModelRegistry(HotSwapRegistry[RecordT, OnnxClassifier, ServingModel[RecordT]]):
    """The classifier's registry, warmed up to a whole micro-batch (inference/service.py)."""

    def __init__(
        self,
        source: ModelSource[RecordT],
        *,
        threads: int = 1,
        warm_batch: int = 64,
        poll_interval_s: float = 10.0,
        retry_failed_s: float = 60.0,
    ) -> None:
        super().__init__(
            source,
            OnnxClassifier.load,
            ServingModel,
            noun="model",
            threads=threads,
            warm_batch=warm_batch,
            poll_interval_s=poll_interval_s,
            retry_failed_s=retry_failed_s,
        )
