"""The inference runtime without a server: the ONNX wrapper, micro-batching, hot swapping."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import onnx
import pytest

from game.shapes import SHAPE_NAMES
from inference.batcher import MicroBatcher
from inference.raster import RASTER_VERSION
from inference.registry import HotSwapRegistry, Serving
from inference.runtime import ModelLoadError, OnnxClassifier
from inference.service import InferenceService, NoModelLoaded
from tests.model_fixtures import TrainedModel, clear_drawing


def test_classifier_reads_its_metadata_and_ranks_clear_drawings_first(
    trained_model: TrainedModel,
) -> None:
    model = OnnxClassifier.load(trained_model.onnx)
    model.warm(8)
    assert model.spec.shape_names == SHAPE_NAMES
    assert model.spec.raster_version == RASTER_VERSION
    probs = model.classify([clear_drawing(name) for name in SHAPE_NAMES])  # (5, 5)
    assert [SHAPE_NAMES[i] for i in probs.argmax(axis=1)] == list(SHAPE_NAMES)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def _with_metadata(blob: bytes, **changes: str) -> bytes:
    proto = onnx.load_from_string(blob)
    for entry in proto.metadata_props:
        if entry.key in changes:
            entry.value = changes[entry.key]
    out: bytes = proto.SerializeToString()
    return out


def test_unusable_files_are_refused_with_the_reason(trained_model: TrainedModel) -> None:
    with pytest.raises(ModelLoadError, match="cannot load"):
        OnnxClassifier.load(b"not an onnx file")
    with pytest.raises(ModelLoadError, match="raster version 99"):
        OnnxClassifier.load(_with_metadata(trained_model.onnx, raster_version="99"))
    with pytest.raises(ModelLoadError, match="metadata"):
        OnnxClassifier.load(_with_metadata(trained_model.onnx, shape_ids="[1, 2"))


# ---- micro-batching ---------------------------------------------------------------------------


class _Gate:
    """A compute function that records its batches and can hold the first one."""

    def __init__(self, hold_first: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        if not hold_first:
            self.release.set()

    def prepare(self, items: list[int]) -> Callable[[], list[int]]:
        return partial(self, items)

    def __call__(self, items: list[int]) -> list[int]:
        self.entered.set()
        self.release.wait(5)
        if any(i < 0 for i in items):
            raise ValueError("negative item")
        self.batches.append(list(items))
        return [i * 10 for i in items]


@contextlib.asynccontextmanager
async def _running(batcher: MicroBatcher[int, int]) -> AsyncIterator[MicroBatcher[int, int]]:
    task = asyncio.create_task(batcher.run())
    try:
        yield batcher
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        batcher.close()


async def test_jobs_queued_while_a_batch_runs_are_coalesced_into_the_next() -> None:
    gate = _Gate(hold_first=True)
    async with _running(MicroBatcher(gate.prepare, max_batch=64, max_wait_s=0.0)) as batcher:
        first = asyncio.create_task(batcher.submit([1]))
        await asyncio.to_thread(gate.entered.wait, 5)  # the first batch is in compute now
        rest = [asyncio.create_task(batcher.submit([i, i + 100])) for i in range(2, 12)]
        await asyncio.sleep(0.01)
        gate.release.set()
        assert await first == [10]
        assert [await r for r in rest] == [[i * 10, (i + 100) * 10] for i in range(2, 12)]
    assert len(gate.batches) == 2 and len(gate.batches[1]) == 20


async def test_batches_never_exceed_max_batch_and_never_split_a_job() -> None:
    gate = _Gate(hold_first=True)
    async with _running(MicroBatcher(gate.prepare, max_batch=8, max_wait_s=0.0)) as batcher:
        jobs = [asyncio.create_task(batcher.submit([i] * (1 + i % 3))) for i in range(30)]
        await asyncio.sleep(0.01)
        gate.release.set()
        results = [await j for j in jobs]
    assert results == [[i * 10] * (1 + i % 3) for i in range(30)]
    assert all(len(b) <= 8 for b in gate.batches)
    assert sum(len(b) for b in gate.batches) == sum(1 + i % 3 for i in range(30))


async def test_a_failing_job_fails_alone_and_abandoned_jobs_cost_nothing() -> None:
    gate = _Gate(hold_first=True)
    async with _running(MicroBatcher(gate.prepare, max_batch=64, max_wait_s=0.0)) as batcher:
        blocker = asyncio.create_task(batcher.submit([0]))
        await asyncio.sleep(0.01)
        good = asyncio.create_task(batcher.submit([1]))
        bad = asyncio.create_task(batcher.submit([-1]))
        abandoned = asyncio.create_task(batcher.submit([7]))
        await asyncio.sleep(0.01)
        abandoned.cancel()
        gate.release.set()
        assert await blocker == [0]
        assert await good == [10]
        with pytest.raises(ValueError, match="negative"):
            await bad
    assert [7] not in gate.batches and all(7 not in b for b in gate.batches)


# ---- hot swap through the service, with an in-memory model source -----------------------------


@dataclass(frozen=True, slots=True)
class _Record:
    id: uuid.UUID
    version: int
    artifact: bytes


@dataclass
class _Source:
    """Models in memory; `activate` changes the active one and sends a hint if asked."""

    active_record: _Record | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    hints: asyncio.Queue[object] = field(default_factory=asyncio.Queue)

    async def active(self) -> _Record | None:
        return self.active_record

    async def fetch(self, record: _Record) -> bytes:
        return record.artifact

    async def activations(self) -> AsyncIterator[object]:
        while True:
            yield await self.hints.get()

    async def report(self, event: dict[str, Any]) -> None:
        self.events.append(event)

    def activate(self, version: int, artifact: bytes, hint: bool = True) -> _Record:
        self.active_record = _Record(uuid.uuid4(), version, artifact)
        if hint:
            self.hints.put_nowait(version)
        return self.active_record


@contextlib.asynccontextmanager
async def _service(
    source: _Source, poll_s: float = 10.0
) -> AsyncIterator[InferenceService[_Record]]:
    service: InferenceService[_Record] = InferenceService(source, poll_interval_s=poll_s)
    await service.start()
    task = asyncio.create_task(service.run())
    try:
        yield service
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        service.close()


async def _until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while True:
            if predicate():
                return
            await asyncio.sleep(0.005)


async def _hammer(
    service: InferenceService[_Record], stop: asyncio.Event, versions: list[int]
) -> None:
    drawing = clear_drawing("circle")
    while not stop.is_set():
        [p] = await service.classify_batch([drawing])
        assert p.ranked()[0][0] == "circle"
        versions.append(p.model.record.version)


async def test_hot_swap_under_load_fails_no_request(trained_model: TrainedModel) -> None:
    source = _Source()
    source.activate(1, trained_model.onnx, hint=False)
    async with _service(source) as service:
        assert service.model is not None and service.model.record.version == 1
        stop = asyncio.Event()
        seen: list[list[int]] = [[] for _ in range(16)]
        workers = [asyncio.create_task(_hammer(service, stop, v)) for v in seen]
        await _until(lambda: sum(map(len, seen)) > 200)
        source.activate(2, trained_model.onnx)
        await _until(lambda: all(v and v[-1] == 2 for v in seen))
        stop.set()
        await asyncio.gather(*workers)  # any failed request would raise here
    for versions in seen:
        assert versions == sorted(versions)  # never back to the old model after the swap
    assert [e["type"] for e in source.events] == ["model_loaded", "model_loaded"]
    assert service.batcher.items > service.batcher.batches  # requests were coalesced


async def test_a_corrupt_model_never_replaces_the_working_one(
    trained_model: TrainedModel,
) -> None:
    source = _Source()
    source.activate(1, trained_model.onnx, hint=False)
    async with _service(source) as service:
        bad = source.activate(2, b"\x08\x07garbage")
        await _until(lambda: service.registry.failure is not None)
        failure = service.registry.failure
        assert failure is not None and failure.version == 2 and failure.model_id == str(bad.id)
        [p] = await service.classify_batch([clear_drawing("square")])
        assert p.model.record.version == 1
        assert source.events[-1]["type"] == "model_error"
        assert source.events[-1]["servingVersion"] == 1
        source.activate(3, trained_model.onnx)
        await _until(lambda: service.model is not None and service.model.record.version == 3)
        assert service.registry.failure is None


async def test_periodic_check_catches_a_lost_hint_and_none_active_unloads(
    trained_model: TrainedModel,
) -> None:
    source = _Source()
    async with _service(source, poll_s=0.05) as service:
        with pytest.raises(NoModelLoaded):
            await service.classify_batch([clear_drawing("line")])
        source.activate(4, trained_model.onnx, hint=False)
        await _until(lambda: service.model is not None)
        source.active_record = None
        await _until(lambda: service.model is None)


async def test_classify_batch_keeps_order_and_one_model_per_call(
    trained_model: TrainedModel,
) -> None:
    source = _Source()
    source.activate(1, trained_model.onnx, hint=False)
    async with _service(source) as service:
        names: Sequence[str] = list(SHAPE_NAMES) * 3
        predictions = await service.classify_batch([clear_drawing(n) for n in names])
    assert [p.ranked()[0][0] for p in predictions] == names
    assert len({id(p.model) for p in predictions}) == 1


# ---- the priority a new model loads at -----------------------------------------------------------


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@dataclass
class _PriorityProbe:
    """A runtime that notes the niceness of the threads opening and warming it."""

    opened_at: int
    warmed_at: int | None = None

    def warm(self, max_batch: int) -> None:
        self.warmed_at = _niceness()


@dataclass(frozen=True, slots=True)
class _ServedProbe(Serving[_Record]):
    runtime: _PriorityProbe


@pytest.mark.skipif(sys.platform != "linux", reason="niceness is per thread on Linux only")
@pytest.mark.parametrize("threads", [1, 2])
async def test_a_new_model_loads_and_warms_at_the_lowest_cpu_priority(threads: int) -> None:
    source = _Source()
    source.activate(1, b"onnx", hint=False)
    normal = _niceness()
    registry: HotSwapRegistry[_Record, _PriorityProbe, _ServedProbe] = HotSwapRegistry(
        source,
        lambda blob, n: _PriorityProbe(opened_at=_niceness()),
        _ServedProbe,
        noun="probe",
        threads=threads,
        warm_batch=1,
        poll_interval_s=10.0,
        retry_failed_s=60.0,
    )
    await registry.refresh()
    assert registry.current is not None
    probe = registry.current.runtime
    assert probe.warmed_at == 19
    # Threads a multi-threaded session starts would inherit 19 and serve with it.
    assert probe.opened_at == (19 if threads == 1 else normal)
    assert _niceness() == normal  # the event loop's thread keeps its priority
