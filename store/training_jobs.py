"""Typed access to the `training_jobs` table: creation, the state machine, heartbeats.

Every state change is one guarded UPDATE whose allowed source states come from
store/job_status.py, so a worker finishing a job that the reaper has just failed, or an admin
cancelling one that just succeeded, gets `IllegalTransition` instead of overwriting the truth.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

import asyncpg

from store.job_status import IllegalTransition, JobStatus, sources
from store.sql import query

Executor: TypeAlias = asyncpg.Pool | asyncpg.Connection

# A page of the job list is at most this long: the admin portal pages with `before`.
MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class JobRow:
    id: uuid.UUID
    kind: str
    config: dict[str, Any]  # {"train": TrainConfig dict, "selection": Selection dict}
    config_hash: str
    status: JobStatus
    progress: dict[str, Any]
    metrics: dict[str, Any] | None
    error: str | None
    model_id: uuid.UUID | None
    worker: str | None
    created_at: datetime
    started_at: datetime | None
    heartbeat_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, r: Mapping[str, Any]) -> JobRow:
        return cls(
            r["id"],
            r["kind"],
            r["config"],
            r["config_hash"],
            JobStatus(r["status"]),
            r["progress"] or {},
            r["metrics"],
            r["error"],
            r["model_id"],
            r["worker"],
            r["created_at"],
            r["started_at"],
            r["heartbeat_at"],
            r["finished_at"],
        )


def _states(target: JobStatus) -> list[str]:
    return [s.value for s in sources(target)]


async def create_or_get(
    db: Executor, kind: str, config: dict[str, Any], config_hash: str
) -> tuple[JobRow, bool]:
    """A new pending job, or the in-flight one with the same hash; True when created.

    Retries when the in-flight job finishes between the refused insert and the read, so the
    answer is always a job that was in flight (or new) at some instant during the call.
    """
    while True:
        row = await db.fetchrow(
            query("training_jobs", "insert_if_absent"), uuid.uuid4(), kind, config, config_hash
        )
        if row is not None:
            return JobRow.of(row), True
        row = await db.fetchrow(query("training_jobs", "in_flight_by_hash"), config_hash)
        if row is not None:
            return JobRow.of(row), False


async def job_by_id(db: Executor, job_id: uuid.UUID) -> JobRow | None:
    row = await db.fetchrow(query("training_jobs", "by_id"), job_id)
    return None if row is None else JobRow.of(row)


async def page(db: Executor, limit: int, before: uuid.UUID | None = None) -> list[JobRow]:
    """Jobs newest first, at most `limit` (capped at MAX_PAGE), after job `before` if given."""
    rows = await db.fetch(query("training_jobs", "page"), before, max(1, min(limit, MAX_PAGE)))
    return [JobRow.of(r) for r in rows]


async def _moved(db: Executor, job_id: uuid.UUID, target: JobStatus, row: Any) -> JobRow:
    if row is None:
        current = await db.fetchval(query("training_jobs", "status_of"), job_id)
        raise IllegalTransition(job_id, None if current is None else JobStatus(current), target)
    return JobRow.of(row)


async def mark_queued(db: Executor, job_id: uuid.UUID) -> JobRow:
    row = await db.fetchrow(
        query("training_jobs", "mark_queued"), job_id, _states(JobStatus.QUEUED)
    )
    return await _moved(db, job_id, JobStatus.QUEUED, row)


async def mark_running(
    db: Executor, job_id: uuid.UUID, worker: str, progress: dict[str, Any]
) -> JobRow:
    row = await db.fetchrow(
        query("training_jobs", "mark_running"),
        job_id,
        worker,
        progress,
        _states(JobStatus.RUNNING),
    )
    return await _moved(db, job_id, JobStatus.RUNNING, row)


async def finish(
    db: Executor,
    job_id: uuid.UUID,
    status: JobStatus,
    *,
    error: str | None = None,
    metrics: dict[str, Any] | None = None,
    progress: dict[str, Any] | None = None,
    model_id: uuid.UUID | None = None,
) -> JobRow:
    """Into `status` (a terminal one); metrics and progress keep their values when None."""
    if not status.terminal:
        raise ValueError(f"finish needs a terminal status, not {status}")
    row = await db.fetchrow(
        query("training_jobs", "finish"),
        job_id,
        status.value,
        error,
        metrics,
        progress,
        model_id,
        _states(status),
    )
    return await _moved(db, job_id, status, row)


async def heartbeat(
    db: Executor, job_id: uuid.UUID, progress: dict[str, Any] | None = None
) -> bool:
    """Record that the job's worker is alive; False when the job is no longer running."""
    return await db.fetchval(query("training_jobs", "heartbeat"), job_id, progress) is not None


async def reap_stale(db: Executor, stale_after_s: int) -> list[JobRow]:
    """Fail every running job without a heartbeat for `stale_after_s`; the jobs reaped."""
    rows = await db.fetch(query("training_jobs", "reap_stale"), stale_after_s)
    return [JobRow.of(r) for r in rows]
