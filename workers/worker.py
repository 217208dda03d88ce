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
from typing import Any

from arq.connections import RedisSettings
from arq.worker import Worker

from store import services
from store.settings import Settings
from workers.flusher import Flusher
from workers.jobs import FUNCTIONS

log = logging.getLogger("drawstream.worker")

QUEUE_NAME = "ds:queue"


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def build_worker(settings: Settings, handle_signals: bool = True) -> Worker:
    async def startup(ctx: dict[str, Any]) -> None:
        svc = await services.connect(settings, pool_size=4)
        flusher = Flusher(svc, consumer_name(), settings.flush_batch_size, settings.flush_block_ms)
        ctx["settings"] = settings
        ctx["services"] = svc
        ctx["flusher"] = flusher
        ctx["flusher_task"] = asyncio.create_task(flusher.run(), name="flusher")
        log.info("worker started", extra={"consumer": consumer_name()})

    async def shutdown(ctx: dict[str, Any]) -> None:
        task: asyncio.Task[None] | None = ctx.get("flusher_task")
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        svc: services.Services | None = ctx.get("services")
        if svc is not None:
            await svc.close()

    if not settings.redis_url:
        raise services.ServiceUrlsMissing("REDIS_URL is required for the worker")
    return Worker(
        functions=FUNCTIONS,
        queue_name=QUEUE_NAME,
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        on_startup=startup,
        on_shutdown=shutdown,
        handle_signals=handle_signals,
        max_jobs=4,
        health_check_interval=10,
    )
