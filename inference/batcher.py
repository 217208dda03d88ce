"""Micro-batching: concurrent requests coalesced into one model call on a dedicated thread.

A model call has a fixed cost (rasteriser setup, the onnxruntime dispatch) that a batch of 32
pays once instead of 32 times, so under load the server does far more classifications per
second. Batching must not cost latency when the server is quiet, so the rule is:

- one batch runs at a time: `prepare` on the event loop, then the call it returns on one
  thread (two cores: the event loop keeps the other). The split is about the GIL: work made
  of many small numpy calls (rasterising) holds it throughout, so on the thread it ran no
  faster and every request arriving meanwhile waited for the GIL, up to the 5 ms switch
  interval (p50 7.4 ms at 1,000 requests/s); onnxruntime releases it, so the model call runs
  on the thread while the loop goes on parsing requests;
- a batch takes every job that queued while the previous one ran, up to `max_batch` items;
- when the thread is free, a job runs at once, lingering only while more jobs keep arriving
  on the event loop, and never longer than `max_wait_s` after it was queued.

A job is the items of one request (a batch request is one job), so one request's items always
run together, on one model. Jobs whose caller went away (a closed socket, a cancelled task)
are dropped before they cost any compute.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class BatcherClosed(RuntimeError):
    """Raised for jobs submitted to (or still queued in) a batcher that is shutting down."""


@dataclass(slots=True, eq=False)
class _Job(Generic[T, R]):
    items: Sequence[T]
    future: asyncio.Future[list[R]]
    queued_at: float = field(default_factory=time.perf_counter)


Prepare = Callable[[list[T]], Callable[[], Sequence[R]]]


class MicroBatcher(Generic[T, R]):
    """Runs `prepare(items)()` (one result per item, in order) on batches of jobs.

    `prepare` runs on the event loop and returns the call to make on the batcher's own
    thread, which must be thread-safe only with respect to itself (one call at a time).
    Start `run()` as a task; `submit` then returns each job's results. If either part raises
    for a batch of several jobs, each job is retried alone, so one bad job fails only its own
    caller.
    """

    def __init__(
        self,
        prepare: Prepare[T, R],
        max_batch: int = 64,
        max_wait_s: float = 0.002,
        thread_name: str = "inference",
    ) -> None:
        if max_batch < 1 or max_wait_s < 0:
            raise ValueError("max_batch must be >= 1 and max_wait_s >= 0")
        self._prepare = prepare
        self.max_batch = max_batch
        self.max_wait_s = max_wait_s
        self._pending: deque[_Job[T, R]] = deque()
        self._queued_items = 0
        self._wakeup = asyncio.Event()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=thread_name)
        self._closed = False
        self.batches = 0  # batches run so far (tests and benchmarks read it)
        self.items = 0  # items classified so far

    async def submit(self, items: Sequence[T]) -> list[R]:
        """The results for `items`, computed in some batch together with other callers'."""
        if self._closed:
            raise BatcherClosed("the batcher is shut down")
        if not items:
            return []
        job: _Job[T, R] = _Job(items, asyncio.get_running_loop().create_future())
        self._pending.append(job)
        self._queued_items += len(items)
        self._wakeup.set()
        return await job.future

    async def run(self) -> None:
        """The dispatcher: forever take a batch, compute it off the loop, hand out results."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                if not self._pending:
                    self._wakeup.clear()
                    await self._wakeup.wait()
                await self._linger()
                jobs = self._take()
                if jobs:
                    await self._execute(loop, jobs)
        finally:
            self._fail_pending()

    async def _linger(self) -> None:
        """Let jobs that are arriving right now join, within the oldest job's wait budget."""
        deadline = self._pending[0].queued_at + self.max_wait_s
        while self._queued_items < self.max_batch and time.perf_counter() < deadline:
            before = self._queued_items
            await asyncio.sleep(0)  # one turn of the loop: handlers already woken may queue
            if self._queued_items == before:
                return

    def _take(self) -> list[_Job[T, R]]:
        """Jobs for one batch: at most `max_batch` items, unless one job alone is larger."""
        jobs: list[_Job[T, R]] = []
        size = 0
        while self._pending:
            job = self._pending[0]
            if job.future.done():  # its caller gave up; skip it
                self._pending.popleft()
                self._queued_items -= len(job.items)
                continue
            if jobs and size + len(job.items) > self.max_batch:
                break
            self._pending.popleft()
            self._queued_items -= len(job.items)
            jobs.append(job)
            size += len(job.items)
        return jobs

    async def _execute(self, loop: asyncio.AbstractEventLoop, jobs: list[_Job[T, R]]) -> None:
        items = [item for job in jobs for item in job.items]
        self.batches += 1
        self.items += len(items)
        try:
            results = await loop.run_in_executor(self._executor, self._prepare(items))
        except asyncio.CancelledError:  # shutting down: nobody may wait forever
            for job in jobs:
                _settle(job, BatcherClosed("the batcher is shutting down"))
            raise
        except Exception as exc:
            if len(jobs) == 1:
                _settle(jobs[0], exc)
                return
            for job in jobs:  # isolate the failure: each job alone
                await self._execute(loop, [job])
            return
        if len(results) != len(items):
            failure = RuntimeError(f"the batch returned {len(results)} results for {len(items)}")
            for job in jobs:
                _settle(job, failure)
            return
        lo = 0
        for job in jobs:
            hi = lo + len(job.items)
            _settle(job, list(results[lo:hi]))
            lo = hi

    def _fail_pending(self) -> None:
        while self._pending:
            _settle(self._pending.popleft(), BatcherClosed("the batcher is shutting down"))
        self._queued_items = 0

    def close(self) -> None:
        """Refuse new jobs and let the thread go once its current batch ends."""
        self._closed = True
        self._fail_pending()
        self._executor.shutdown(wait=False, cancel_futures=True)


def _settle(job: _Job[T, R], outcome: list[R] | BaseException) -> None:
    if job.future.done():  # cancelled by its caller meanwhile
        return
    if isinstance(outcome, BaseException):
        job.future.set_exception(outcome)
    else:
        job.future.set_result(outcome)
