"""The ARQ worker process: the ingest flusher runs beside the queued jobs.

One `WorkerSettings`-style builder; `ctx` carries the connected services and the flusher, so
jobs stay thin functions of `ctx`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from arq.connections import RedisSettings
from arq.worker import Worker

from store import keys, services
from store.presence import Presence
from store.settings import Settings
from workers.flusher import Flusher
from workers.jobs import CRON_JOBS, FUNCTIONS
from workers.maintenance import heartbeat
from workers.train_job import preload_training_code

log = logging.getLogger("drawstream.worker")

QUEUE_NAME = keys.JOB_QUEUE


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def build_worker(settings: Settings, handle_signals: bool = True, burst: bool = False) -> Worker:
    async def startup(ctx: dict[str, Any]) -> None:
        svc = await services.connect(settings, pool_size=4)
        flusher = Flusher(svc, consumer_name(), settings.flush_batch_size, settings.flush_block_ms)
        ctx["settings"] = settings
        ctx["services"] = svc
        ctx["flusher"] = flusher
        ctx["worker_name"] = consumer_name()
        # Blocking work (training) runs here, off the event loop; one thread per device a
        # machine may train on at once (CPU and one GPU; store/device_locks.py).
        ctx["executor"] = ThreadPoolExecutor(2, thread_name_prefix="train")
        preload_training_code(ctx["executor"])
        ctx["flusher_task"] = asyncio.create_task(flusher.run(), name="flusher")
        ctx["heartbeat_task"] = asyncio.create_task(
            heartbeat(Presence(svc.redis), consumer_name()), name="heartbeat"
        )
        log.info("worker started", extra={"consumer": consumer_name()})

    async def shutdown(ctx: dict[str, Any]) -> None:
        for name in ("heartbeat_task", "flusher_task"):
            task: asyncio.Task[None] | None = ctx.get(name)
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        executor: ThreadPoolExecutor | None = ctx.get("executor")
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        svc: services.Services | None = ctx.get("services")
        if svc is not None:
            await svc.close()

    if not settings.redis_url:
        raise services.ServiceUrlsMissing("REDIS_URL is required for the worker")
    return Worker(
        functions=FUNCTIONS,
        cron_jobs=CRON_JOBS,
        queue_name=QUEUE_NAME,
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        on_startup=startup,
        on_shutdown=shutdown,
        handle_signals=handle_signals,
        burst=burst,
        max_jobs=4,
        health_check_interval=10,
    )
