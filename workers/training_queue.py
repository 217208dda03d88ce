"""Putting training jobs on the worker queue: what `POST /api/admin/training/start` does.

A start is idempotent per request digest (config and selection) while a job with that digest
is in flight, and enqueueing is idempotent per job: the ARQ job id is the training job id.
So a retried request, two servers racing, or a repeat after Redis refused the first enqueue
all end with exactly one job on the queue.
"""

from __future__ import annotations

import uuid
from typing import Any

import redis.asyncio as aioredis
from arq.connections import ArqRedis

from store import keys
from store.job_status import IllegalTransition, JobStatus
from store.models import CLASSIFIER
from store.services import Services
from store.training_jobs import JobRow, create_or_get, job_by_id, mark_queued
from workers.train_job import train_model


async def enqueue_training(redis: aioredis.Redis, job_id: uuid.UUID) -> bool:
    """Put the job on the worker queue; False when it is already there.

    Borrows the caller's connection pool rather than opening one per request.
    """
    queue = ArqRedis(connection_pool=redis.connection_pool, default_queue_name=keys.JOB_QUEUE)
    job = await queue.enqueue_job(train_model.__name__, str(job_id), _job_id=str(job_id))
    return job is not None


async def submit_training(
    svc: Services, document: dict[str, Any], digest: str
) -> tuple[JobRow, bool]:
    """The job for `document` (new, or the in-flight one with `digest`), on the queue; its
    "kind" says which model it trains (a classifier when absent).

    True when the job was created. If Redis refuses the enqueue the error propagates and the
    row stays pending; submitting again retries the enqueue.
    """
    kind = document.get("kind", CLASSIFIER)
    job, created = await create_or_get(svc.pool, kind, document, digest)
    if job.status in (JobStatus.PENDING, JobStatus.QUEUED):
        await enqueue_training(svc.redis, job.id)  # a no-op when already queued
    if job.status is JobStatus.PENDING:
        try:
            job = await mark_queued(svc.pool, job.id)
        except IllegalTransition:  # a worker started it, or an admin cancelled it, already
            job = await job_by_id(svc.pool, job.id) or job
    return job, created
