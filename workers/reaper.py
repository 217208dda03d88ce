"""Training jobs whose worker died are failed, never left 'running' forever.

A worker killed mid-training (kill -9, OOM killer, a lost machine) cannot mark its own job;
its heartbeats simply stop. This job, run by every worker at start-up and every 30 s after
(an ARQ cron job, unique per slot, so one worker runs each), fails every running job whose
last heartbeat is older than `STALE_AFTER_S` and tells the admin feed. ARQ itself would
re-deliver the job only after its timeout, and the train function is registered with
max_tries=1, so a reaped job is never silently re-run either.
"""

from __future__ import annotations

import logging
from typing import Any

from store import keys
from store.feed import Feed
from store.services import Services
from store.training_jobs import JobRow, reap_stale
from workers.heartbeat import HEARTBEAT_INTERVAL_S, training_event

log = logging.getLogger("drawstream.training")

# Twelve missed heartbeats: a worker busy enough to delay a few is not declared dead, and the
# device lock (keys.DEVICE_LOCK_TTL_MS) has expired by then, so the device is free again.
STALE_AFTER_S = int(12 * HEARTBEAT_INTERVAL_S)


async def reap(svc: Services, stale_after_s: int = STALE_AFTER_S) -> list[JobRow]:
    """Fail the stale running jobs and announce each; the jobs failed."""
    reaped = await reap_stale(svc.pool, stale_after_s)
    feed = Feed(svc.redis)
    for job in reaped:
        log.error("training job %s failed: %s", job.id, job.error)
        await feed.publish(keys.ADMIN_CHANNEL, training_event(job.id, job.status, error=job.error))
    return reaped


async def reap_dead_training_jobs(ctx: dict[str, Any]) -> int:
    """ARQ cron job: `reap` with the production threshold; how many jobs were failed."""
    svc: Services = ctx["services"]
    return len(await reap(svc))
