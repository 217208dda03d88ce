"""Housekeeping every worker does: a heartbeat for the admin monitor, and daily retention.

The heartbeat is a task beside the flusher for the life of the worker (a job could be stuck
behind training; a heartbeat must not be). Retention is an ARQ cron job: every worker
schedules it, and ARQ's per-run job id lets exactly one of them run it each day.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime
from typing import Any

from redis.exceptions import RedisError

from store import retention
from store.feed import Feed
from store.keys import ADMIN_CHANNEL
from store.presence import Presence
from store.services import Services
from store.settings import Settings

log = logging.getLogger("drawstream.maintenance")

HEARTBEAT_S = 2.0
# 03:17 UTC: off the hour, when most deployments are quiet.
RETENTION_HOUR = 3
RETENTION_MINUTE = 17
# ARQ's default 5 minutes is too short for a first run over a large backlog (a million
# purgeable rows is ~1,000 batches); the batches keep every transaction short regardless.
RETENTION_TIMEOUT_S = 3600


async def heartbeat(presence: Presence, worker: str) -> None:
    """Beat every HEARTBEAT_S until cancelled; a Redis outage only skips beats."""
    try:
        while True:
            try:
                await presence.heartbeat(worker, int(time.time() * 1000))
            except (RedisError, OSError) as exc:
                log.warning("heartbeat skipped: %s", exc)
            await asyncio.sleep(HEARTBEAT_S)
    finally:
        try:
            await presence.retire(worker)
        except (RedisError, OSError) as exc:  # shutting down anyway
            log.warning("could not retire %s from the worker list: %s", worker, exc)


async def run_retention(ctx: dict[str, Any]) -> dict[str, Any]:
    """The daily retention run with the configured periods (store/retention.py)."""
    settings: Settings = ctx["settings"]
    svc: Services = ctx["services"]
    feed = Feed(svc.redis)
    try:
        result = await retention.apply_retention(
            svc.pool, retention.RetentionPolicy.of(settings), datetime.now(UTC), dry_run=False
        )
    except Exception as exc:
        # Admins see it on /ws/admin; ARQ records the failure and tomorrow's run retries.
        with contextlib.suppress(RedisError, OSError):
            await feed.publish(
                ADMIN_CHANNEL,
                {"type": "error", "source": "retention", "message": f"{type(exc).__name__}: {exc}"},
            )
        raise
    await retention.announce(feed, result, "schedule")
    log.info("retention: purged %d, archived %d", result.purged, result.archived)
    return retention.result_json(result)
