"""Retention: soft-deleted drawings are purged, flagged drawings archived, after their periods.

- Purge: a drawing soft-deleted more than `deleted_days` ago loses its row. Its bytes stay in
  their shard: shards are immutable objects shared by many drawings, so a purged drawing is
  unreachable (no row points at it) but its space is only reclaimed by rewriting shards
  without the dead ranges, a compaction that does not exist yet.
- Archive: a live drawing flagged more than `flagged_days` ago moves to `drawings_archive`
  (same columns, plus `archived_at`). It leaves the dataset, the browser and the counters, but
  its metadata and shard location are kept, never purged, and can be moved back by SQL.

A period of 0 turns that rule off. The worker runs this daily (workers/maintenance.py) and
admins can run it, or preview it with a dry run, through `POST /api/admin/cleanup/run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from game.cleanup import DEFAULT_BATCH
from store.feed import Feed
from store.keys import ADMIN_CHANNEL
from store.settings import Settings
from store.sql import query


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    deleted_days: int  # 0: never purge
    flagged_days: int  # 0: never archive

    @classmethod
    def of(cls, settings: Settings) -> RetentionPolicy:
        return cls(settings.retention_deleted_days, settings.retention_flagged_days)

    def deleted_before(self, now: datetime) -> datetime | None:
        return now - timedelta(days=self.deleted_days) if self.deleted_days > 0 else None

    def flagged_before(self, now: datetime) -> datetime | None:
        return now - timedelta(days=self.flagged_days) if self.flagged_days > 0 else None


@dataclass(frozen=True, slots=True)
class RetentionResult:
    purged: int  # rows deleted (or, in a dry run, that would be)
    archived: int  # rows moved to the archive (or that would be)
    dry_run: bool
    deleted_before: datetime | None  # the cut-offs used; None where the rule is off
    flagged_before: datetime | None


async def _batches(pool: asyncpg.Pool, name: str, cutoff: datetime, batch_size: int) -> int:
    total = 0
    while True:
        status = await pool.execute(query("retention", name), cutoff, batch_size)
        done = int(status.rsplit(" ", 1)[-1])
        total += done
        if done < batch_size:
            return total


async def _count(pool: asyncpg.Pool, name: str, cutoff: datetime | None) -> int:
    return 0 if cutoff is None else int(await pool.fetchval(query("retention", name), cutoff))


async def apply_retention(
    pool: asyncpg.Pool,
    policy: RetentionPolicy,
    now: datetime,
    *,
    dry_run: bool,
    batch_size: int = DEFAULT_BATCH,
) -> RetentionResult:
    """Purge, then archive, in batches of `batch_size` rows per transaction.

    A dry run counts what would go and changes nothing.
    """
    deleted_before = policy.deleted_before(now)
    flagged_before = policy.flagged_before(now)
    if dry_run:
        purged = await _count(pool, "count_purgeable", deleted_before)
        archived = await _count(pool, "count_archivable", flagged_before)
    else:
        purged = archived = 0
        if deleted_before is not None:
            purged = await _batches(pool, "purge_batch", deleted_before, batch_size)
        if flagged_before is not None:
            archived = await _batches(pool, "archive_batch", flagged_before, batch_size)
    return RetentionResult(purged, archived, dry_run, deleted_before, flagged_before)


def result_json(result: RetentionResult) -> dict[str, Any]:
    """The API's and the admin feed's form of a result."""
    return {
        "purged": result.purged,
        "archived": result.archived,
        "dryRun": result.dry_run,
        "deletedBefore": _iso(result.deleted_before),
        "flaggedBefore": _iso(result.flagged_before),
    }


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


async def announce(feed: Feed, result: RetentionResult, trigger: str) -> None:
    """Tell admins watching /ws/admin that a real run changed the dataset (`trigger`:
    "schedule" or "admin"); a dry run changes nothing and is not announced."""
    if not result.dry_run:
        await feed.publish(
            ADMIN_CHANNEL, {"type": "cleanup", "trigger": trigger, **result_json(result)}
        )
