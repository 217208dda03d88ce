"""The life of a training job as an explicit state machine.

    pending ──▶ queued ──▶ running ──▶ succeeded
       │          │           ├──────▶ failed
       │          │           └──────▶ cancelled
       └──────────┴─▶ cancelled / failed / running

`pending`: the row exists, the ARQ job may not be on the queue yet (the API enqueues right
after inserting; a failed enqueue leaves the row pending and the next identical start retries
it). `queued`: on the queue. A worker may pick the job up before the API has marked it queued,
so pending -> running is legal too. Terminal states never change again: a late worker whose
job was reaped or cancelled gets `IllegalTransition`, never a resurrected job.

The store enforces this in SQL (an UPDATE guarded by the allowed source states), so two
processes racing on one row cannot both win.
"""

from __future__ import annotations

import enum
import uuid


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def in_flight(self) -> bool:
        """Still able to produce a model (the states the config-hash unique index covers)."""
        return self in IN_FLIGHT

    @property
    def terminal(self) -> bool:
        return not self.in_flight


IN_FLIGHT = frozenset({JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING})

# target state -> the states it may be entered from
_SOURCES: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.PENDING: frozenset(),
    JobStatus.QUEUED: frozenset({JobStatus.PENDING}),
    JobStatus.RUNNING: frozenset({JobStatus.PENDING, JobStatus.QUEUED}),
    JobStatus.SUCCEEDED: frozenset({JobStatus.RUNNING}),
    JobStatus.FAILED: IN_FLIGHT,
    JobStatus.CANCELLED: IN_FLIGHT,
}


class IllegalTransition(RuntimeError):
    """Raised when a job is asked to enter a state its current state does not lead to."""

    def __init__(self, job_id: uuid.UUID, current: JobStatus | None, target: JobStatus) -> None:
        where = "does not exist" if current is None else f"is {current}"
        super().__init__(f"training job {job_id} {where}; it cannot become {target}")
        self.job_id = job_id
        self.current = current
        self.target = target


def sources(target: JobStatus) -> frozenset[JobStatus]:
    """The states from which `target` may be entered."""
    return _SOURCES[target]


def can_enter(current: JobStatus, target: JobStatus) -> bool:
    return current in _SOURCES[target]
