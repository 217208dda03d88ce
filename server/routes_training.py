"""`/api/admin/training*`: start, follow, list and cancel training jobs (behind AdminGuard).

- `POST /training/start` `{config?, selection?}` (server/training_request.py): 201 with a
  new job, or 200 with the in-flight job of the same config and selection (idempotent while
  pending, queued or running). Either way the job is on the worker queue when this answers;
  if Redis refused the enqueue, the row stays pending and repeating the request retries it.
- `GET /training/{id}`: status, progress (live: phase, epoch, step, loss, accuracy, etaS),
  metrics when finished, error, timings.
- `GET /training?limit=&before=`: newest first, at most 100 per page; `next` continues.
- `POST /training/{id}/cancel`: a pending or queued job is cancelled at once (200); a running
  one gets the cancel flag its worker polls every second and ends `cancelled` at its next
  training step (202, `cancelRequested: true`). A finished job answers 409.

Progress is also pushed live as `{"type": "training", ...}` events on /ws/admin.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game.errors import FieldError
from server.admin_guard import current_admin
from server.errors import BadRequest, Conflict, NotFound
from server.http_body import read_json
from server.state import AppState
from server.training_request import parse_training_request
from store import keys
from store.job_status import IllegalTransition, JobStatus
from store.training_jobs import (
    MAX_PAGE,
    JobRow,
    finish,
    job_by_id,
    page,
)
from workers.heartbeat import training_event
from workers.training_queue import submit_training

log = logging.getLogger("drawstream.training")

_MAX_BODY = 16 * 1024


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.drawstream
    return state


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def job_json(job: JobRow, cancel_requested: bool = False) -> dict[str, Any]:
    """A job as the admin portal reads it; config and metrics keep the Python names."""
    end = job.finished_at
    return {
        "id": str(job.id),
        "kind": job.kind,
        "status": job.status.value,
        "config": job.config.get("train"),
        "selection": job.config.get("selection"),
        "configHash": job.config_hash,
        "progress": job.progress,
        "metrics": job.metrics,
        "error": job.error,
        "modelId": str(job.model_id) if job.model_id else None,
        "worker": job.worker,
        "cancelRequested": cancel_requested,
        "createdAt": _iso(job.created_at),
        "startedAt": _iso(job.started_at),
        "heartbeatAt": _iso(job.heartbeat_at),
        "finishedAt": _iso(end),
        "durationS": round((end - job.started_at).total_seconds(), 3)
        if end and job.started_at
        else None,
    }


async def _cancel_requested(app: AppState, job: JobRow) -> bool:
    if job.status.terminal:
        return False
    return bool(await app.services.redis.exists(keys.training_cancel(str(job.id))))


async def _found(app: AppState, job_id: uuid.UUID) -> JobRow:
    job = await job_by_id(app.services.pool, job_id)
    if job is None:
        raise NotFound(f"no training job {job_id}")
    return job


async def start(request: Request) -> Response:
    app = _state(request)
    admin = current_admin(request)
    wanted = parse_training_request(await read_json(request, _MAX_BODY))
    job, created = await submit_training(app.services, wanted.document(), wanted.digest())
    if created:
        log.info("training job %s started by %s", job.id, admin.email)
        await app.feed.publish(
            keys.ADMIN_CHANNEL, training_event(job.id, job.status, startedBy=admin.email)
        )
    return JSONResponse(
        job_json(job, await _cancel_requested(app, job)),
        status_code=201 if created else 200,
        headers={"Location": f"/api/admin/training/{job.id}"},
    )


async def get_job(request: Request) -> Response:
    app = _state(request)
    job = await _found(app, request.path_params["job_id"])
    return JSONResponse(job_json(job, await _cancel_requested(app, job)))


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", "20")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest("bad limit", [FieldError("limit", f"an integer from 1 to {MAX_PAGE}")])
    return int(raw)


def _before(request: Request) -> uuid.UUID | None:
    raw = request.query_params.get("before")
    if raw is None:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadRequest("bad cursor", [FieldError("before", "a job id")]) from None


async def list_jobs(request: Request) -> Response:
    limit = _limit(request)
    jobs = await page(_state(request).services.pool, limit, _before(request))
    return JSONResponse(
        {
            "jobs": [job_json(j) for j in jobs],
            "next": str(jobs[-1].id) if len(jobs) == limit else None,
        }
    )


async def cancel(request: Request) -> Response:
    app = _state(request)
    admin = current_admin(request)
    job = await _found(app, request.path_params["job_id"])
    if job.status.terminal:
        raise Conflict(f"training job {job.id} already {job.status.value}")
    # The flag first: if a worker starts the job between here and the update below, the
    # heartbeat still sees it within a second.
    await app.services.redis.set(
        keys.training_cancel(str(job.id)), admin.email, ex=keys.TRAINING_CANCEL_TTL_S
    )
    if job.status is not JobStatus.RUNNING:
        try:
            job = await finish(
                app.services.pool,
                job.id,
                JobStatus.CANCELLED,
                error="cancelled by an admin before it started",
            )
        except IllegalTransition:
            job = await _found(app, job.id)
    log.info("training job %s cancelled by %s (now %s)", job.id, admin.email, job.status)
    if job.status is JobStatus.CANCELLED:
        await app.feed.publish(
            keys.ADMIN_CHANNEL, training_event(job.id, job.status, cancelledBy=admin.email)
        )
        return JSONResponse(job_json(job))
    return JSONResponse(job_json(job, await _cancel_requested(app, job)), status_code=202)
