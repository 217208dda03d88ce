"""Helpers for the training job tests: seeded data, an in-process ARQ worker, polling."""

from __future__ import annotations

import asyncio
import contextlib
import io
import time
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import msgpack

from server.seed import seed
from server.training_request import parse_training_request
from store import keys, services
from store.feed import Feed
from store.job_status import JobStatus
from store.settings import Settings
from store.training_jobs import JobRow, job_by_id
from workers.training_queue import submit_training
from workers.worker import build_worker

T = TypeVar("T")

# One PyTorch thread: with small batches, two threads on a busy two-core machine spend more
# time in each other's barriers than computing (measured 10x slower under load).
_ONE_THREAD = {"num_threads": 1}
# Seconds, not minutes: a narrow net, one epoch. Accuracy is not what these tests check.
FAST = {"epochs": 1, "width": 4, "batch_size": 64, **_ONE_THREAD}
# What tests/test_training.py found reliable on 60 drawings per shape: ~99% on fresh ones.
ACCURATE = {"epochs": 5, "width": 8, "batch_size": 32, **_ONE_THREAD}
# Long enough to be caught mid-training (thousands of steps), quick to start.
SLOW = {"epochs": 200, "width": 8, "batch_size": 16, **_ONE_THREAD}


async def seed_shapes(settings: Settings, per_shape: int = 60, rng_seed: int = 7) -> None:
    """`per_shape` synthetic drawings of every shape, through the real ingestion path."""
    await seed(settings, per_shape=per_shape, rng_seed=rng_seed, out=io.StringIO())


async def run_worker(settings: Settings) -> None:
    """A real ARQ worker, in-process, until the queue is empty (burst mode)."""
    worker = build_worker(settings, handle_signals=False, burst=True)
    worker.poll_delay_s = 0.05
    try:
        await worker.async_run()
    finally:
        with warnings.catch_warnings():
            # arq 0.28 closes its pool with redis-py's deprecated close(); not our call.
            warnings.filterwarnings("ignore", "Call to deprecated close", DeprecationWarning)
            await worker.close()


async def submit(svc: services.Services, body: dict[str, Any]) -> JobRow:
    """What the start endpoint does, without HTTP."""
    wanted = parse_training_request(body)
    job, _ = await submit_training(svc, wanted.document(), wanted.digest())
    return job


async def wait_for(
    probe: Callable[[], Awaitable[T | None]], timeout: float = 30.0, every: float = 0.05
) -> T:
    """Poll `probe` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(every)


async def job_in(svc: services.Services, job_id: uuid.UUID, status: JobStatus) -> JobRow | None:
    """The job if it is in `status`, else None."""
    job = await job_by_id(svc.pool, job_id)
    return job if job is not None and job.status is status else None


async def training_started(svc: services.Services, job_id: uuid.UUID) -> JobRow | None:
    """The job once its worker has made a training step (progress phase "train" or "eval")."""
    job = await job_in(svc, job_id, JobStatus.RUNNING)
    return job if job is not None and job.progress.get("step") else None


@contextlib.asynccontextmanager
async def admin_events(svc: services.Services) -> AsyncIterator[list[dict[str, Any]]]:
    """Every event published on the admin channel while the block runs.

    On the way out a marker is published and awaited: Redis delivers a channel's messages in
    the order it accepted them, so everything published before has arrived by then.
    """
    events: list[dict[str, Any]] = []
    subscribed = asyncio.Event()
    marker = {"type": "test-marker", "id": uuid.uuid4().hex}

    async def listen() -> None:
        pubsub = svc.redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(keys.ADMIN_CHANNEL)
        subscribed.set()
        try:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    events.append(msgpack.unpackb(message["data"], raw=False))
        finally:
            await pubsub.aclose()

    task = asyncio.create_task(listen())
    await subscribed.wait()
    try:
        yield events
    finally:
        await Feed(svc.redis).publish(keys.ADMIN_CHANNEL, marker)
        await wait_for(lambda: _arrived(events, marker), timeout=5)
        events.remove(marker)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _arrived(events: list[dict[str, Any]], marker: dict[str, Any]) -> bool:
    return marker in events
