"""The jobs the worker runs, each a thin function of `ctx`."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.worker import func

from workers.flusher import Flusher
from workers.maintenance import (
    RETENTION_HOUR,
    RETENTION_MINUTE,
    RETENTION_TIMEOUT_S,
    run_retention,
)
from workers.reaper import reap_dead_training_jobs
from workers.train_job import TRAIN_TIMEOUT_S, train_model


async def flush_backlog(ctx: dict[str, Any]) -> int:
    """Drain the ingest stream now (before a backup or an export); returns drawings flushed."""
    flusher: Flusher = ctx["flusher"]
    return await flusher.drain()


FUNCTIONS: list[Any] = [
    flush_backlog,
    # One try: a job whose worker died is failed by the reaper, never silently re-run.
    func(train_model, timeout=TRAIN_TIMEOUT_S, max_tries=1),
]

# Every worker runs the reaper at start-up and every 30 s (unique per slot: one runs each).
CRON_JOBS: list[Any] = [
    cron(reap_dead_training_jobs, second={0, 30}, run_at_startup=True),
    cron(
        run_retention,
        hour={RETENTION_HOUR},
        minute={RETENTION_MINUTE},
        timeout=RETENTION_TIMEOUT_S,
    ),
]
