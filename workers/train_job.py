"""The ARQ job that turns a training_jobs row into a registered model.

The job is I/O around one blocking call: mark the row running, take the device, read the
selected drawings, train and export on the worker's executor thread (workers/training/plans.py)
while `JobHeartbeat` keeps the row, the admin feed, the cancel flag and the device lock
current, then upload and register the model in one transaction. Every way out ends the row
in a terminal state with a readable message:

- a problem with the data or config (nothing selected, a shape short of drawings, no GPU for
  a "cuda" config, an ONNX export that disagrees with PyTorch) -> failed, with that message;
- an admin's cancel -> cancelled, at the next training step or the next shard read;
- the job's own task cancelled (the ARQ timeout, or the worker shutting down) -> failed;
- the worker killed outright -> failed later by the reaper (workers/reaper.py).

Device sharing: the job holds a Redis lock on its device (store/device_locks.py) from before
it reads data until it has exported. A second job for the same device on the same machine
waits, `running` with phase "waiting_for_device" and heartbeating, until the first releases
it (the wait counts against the job's timeout); it can be cancelled while it waits.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import socket
import time
import uuid
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from store import keys
from store.device_locks import DeviceLock
from store.feed import Feed
from store.job_status import IllegalTransition, JobStatus
from store.model_registration import register_trained_model
from store.models import ModelRow
from store.selection import InvalidSelection, Selection
from store.services import Services
from store.training_jobs import JobRow, finish, mark_running
from workers.heartbeat import JobHeartbeat, training_event
from workers.training.errors import ConfigError, TrainingError, TrainingStopped
from workers.training_data import LoadedData, load_dataset

if TYPE_CHECKING:  # PyTorch: imported by the job on first use (see _import_training_code)
    from workers.training.plans import Plan, Trained

log = logging.getLogger("drawstream.training")

# The longest one job may run, waiting for its device included. 10k drawings per shape take
# ~1 minute on two cores; a million drawings on a CPU take well under an hour.
TRAIN_TIMEOUT_S = 3 * 3600
DEVICE_POLL_S = 1.0


async def train_model(ctx: dict[str, Any], job_id: str) -> str:
    """ARQ job: train, export and register the model of training job `job_id`.

    Returns the job's final status. A job that is no longer pending or queued (cancelled
    before it started, reaped, re-delivered) is left as it is.
    """
    svc: Services = ctx["services"]
    try:
        job = await mark_running(
            svc.pool, uuid.UUID(job_id), ctx["worker_name"], {"phase": "starting"}
        )
    except IllegalTransition as exc:
        log.info("training job not started: %s", exc)
        return str(exc.current)
    await Feed(svc.redis).publish(
        keys.ADMIN_CHANNEL, training_event(job.id, job.status, worker=job.worker)
    )
    beat = JobHeartbeat(svc, job.id, job.progress)
    beat.start()
    try:
        status = await _run(svc, ctx["executor"], job, beat)
    finally:
        await beat.close()
    return status.value


async def _run(svc: Services, executor: Executor, job: JobRow, beat: JobHeartbeat) -> JobStatus:
    try:
        return await _train(svc, executor, job, beat)
    except asyncio.CancelledError:
        beat.stop.set()  # the training thread stops at its next step
        await _end(svc, job, beat, JobStatus.FAILED, _stopped_message(job))
        raise
    except Exception as exc:
        if beat.stopped():
            status = JobStatus.CANCELLED if beat.cancel_requested else JobStatus.FAILED
            return await _end(svc, job, beat, status, f"{beat.stop_reason}: {exc}")
        if not _expected(exc):
            log.exception("training job %s failed", job.id)
        return await _end(svc, job, beat, JobStatus.FAILED, _message(exc))


def _stopped_message(job: JobRow) -> str:
    return (
        f"worker {job.worker} stopped the job (its {TRAIN_TIMEOUT_S} s timeout passed or the "
        "worker shut down)"
    )


def _expected(exc: Exception) -> bool:
    """Failures explained by their message alone (no traceback worth logging)."""
    return isinstance(exc, TrainingError | ConfigError | InvalidSelection)


def _message(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if _expected(exc) else f"{type(exc).__name__}: {text}"


async def _end(
    svc: Services, job: JobRow, beat: JobHeartbeat, status: JobStatus, error: str
) -> JobStatus:
    """Record a terminal state (unless another process already ended the job)."""
    await beat.close()
    progress = {**beat.progress, "phase": status.value}
    try:
        ended = await finish(svc.pool, job.id, status, error=error[:2000], progress=progress)
    except IllegalTransition as exc:
        log.warning("training job %s already ended: %s", job.id, exc)
        return exc.current or status
    log.info("training job %s %s: %s", job.id, status, error)
    await Feed(svc.redis).publish(
        keys.ADMIN_CHANNEL,
        training_event(job.id, ended.status, **ended.progress, error=ended.error),
    )
    return ended.status


@dataclass(frozen=True, slots=True, eq=False)
class _Outcome:
    """What the device phase produced, for registration."""

    plan: Plan[Any, Any]  # the kind's config and code (workers/training/plans.py)
    selection: Selection
    device: str
    loaded: LoadedData[Any]
    trained: Trained
    timings: dict[str, float]


async def _train(svc: Services, executor: Executor, job: JobRow, beat: JobHeartbeat) -> JobStatus:
    started = time.perf_counter()
    outcome = await _train_on_device(svc, executor, job, beat)
    if beat.stopped():
        raise TrainingStopped("after training, before registering the model")
    beat.update(phase="register")
    outcome.timings["total_s"] = round(time.perf_counter() - started, 3)
    await beat.close()
    final = {**beat.progress, "phase": JobStatus.SUCCEEDED.value, "etaS": 0.0}
    model = await _register(svc, job, final, outcome)
    log.info("training job %s registered %s v%s", job.id, model.kind, model.version)
    # The final progress rides along: a short run may end between two heartbeat ticks.
    final.update(modelId=str(model.id), version=model.version, accuracy=model.accuracy)
    await Feed(svc.redis).publish(
        keys.ADMIN_CHANNEL, training_event(job.id, JobStatus.SUCCEEDED, **final)
    )
    return JobStatus.SUCCEEDED


async def _train_on_device(
    svc: Services, executor: Executor, job: JobRow, beat: JobHeartbeat
) -> _Outcome:
    """Holding the device: read the selected drawings, train, export and verify."""
    started = time.perf_counter()
    await _import_training_code(executor)
    from workers.training.plans import plan_for  # already imported: instant

    plan = plan_for(job.kind, job.config["train"])
    selection = Selection.from_dict(job.config["selection"], plan.shape_ids)
    device = plan.device_name()
    lock = DeviceLock(svc.redis, socket.gethostname(), device, str(job.id))
    ready = time.perf_counter()
    await _acquire(lock, beat)
    waited = time.perf_counter()
    try:
        beat.update(phase="loading", device=device)
        loaded = await load_dataset(
            svc,
            selection,
            beat.stopped,
            lambda done, total: beat.update(loaded=done, selected=total),
            plan.builder(),
        )
        read = time.perf_counter()
        beat.update(phase="train")
        trained = await asyncio.get_running_loop().run_in_executor(
            executor,
            partial(plan.train_and_export, loaded.data, beat.post, beat.stopped),
        )
    finally:
        beat.lock = None
        await lock.release()
    timings = {
        "queued_s": _seconds(job.started_at, job.created_at),
        "setup_s": round(ready - started, 3),  # importing PyTorch, the first time
        "waiting_for_device_s": round(waited - ready, 3),
        "load_s": round(read - waited, 3),
        "train_s": round(trained.train_s, 3),
        "export_s": round(trained.export_s, 3),
    }
    return _Outcome(plan, selection, device, loaded, trained, timings)


async def _register(
    svc: Services, job: JobRow, progress: dict[str, Any], outcome: _Outcome
) -> ModelRow:
    """Upload the model and its metadata, insert its row, mark the job succeeded."""
    from workers.training.documents import Registration  # imported with the training code

    model_id = uuid.uuid4()
    docs = outcome.trained.documents(
        Registration(
            outcome.selection,
            outcome.loaded.drawing_ids,
            outcome.device,
            outcome.timings,
            model_id,
            job.id,
        )
    )
    return await register_trained_model(
        svc,
        job_id=job.id,
        model_id=model_id,
        kind=outcome.plan.kind,
        onnx=outcome.trained.exported.onnx_bytes,
        metadata=docs.card,
        metrics=docs.metrics,
        dataset=docs.dataset,
        job_metrics={**docs.metrics, "timings": outcome.timings},
        progress=progress,
    )


# The PyTorch side of the job. PyTorch is the `train` extra, so a worker without it still
# flushes drawings; and importing it takes seconds (5 on this machine), which neither the
# event loop (flusher, heartbeats) nor the first job's clock should wait out.
_TRAINING_MODULES = ("workers.training.plans",)  # imports every kind's training code


def _passive_openmp() -> None:
    """Idle OpenMP threads sleep instead of spinning (read once, when PyTorch loads).

    A worker shares its cores with its own event loop and, on small machines, with other
    processes; spinning threads then steal the CPU the computing thread needs. On this 2-core
    machine at load 7, two training threads ran 270 samples/s spinning and 870 passive (one
    thread: ~920 either way). An operator's own setting wins.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _import_training_modules() -> None:
    for name in _TRAINING_MODULES:
        importlib.import_module(name)


def _preload() -> None:
    try:
        _import_training_modules()
    except ImportError as exc:
        log.warning("this worker cannot train (%s); training jobs it runs will fail", exc)


def preload_training_code(executor: Executor) -> None:
    """At worker start-up: import the training code on `executor`, in the background."""
    _passive_openmp()
    executor.submit(_preload)


async def _import_training_code(executor: Executor) -> None:
    """The training code, imported off the event loop (instant once preloaded)."""
    _passive_openmp()
    try:
        await asyncio.get_running_loop().run_in_executor(executor, _import_training_modules)
    except ImportError as exc:
        raise TrainingError(f"this worker cannot train: {exc} (install drawstream[train])") from exc


async def _acquire(lock: DeviceLock, beat: JobHeartbeat) -> None:
    """Wait for the device, showing who holds it; stoppable while waiting."""
    while not await lock.try_acquire():
        beat.update(phase="waiting_for_device", device=lock.device, heldBy=await lock.holder())
        if beat.stopped():
            raise TrainingStopped(f"while waiting for device {lock.device}")
        await asyncio.sleep(DEVICE_POLL_S)
    beat.lock = lock
    beat.progress.pop("heldBy", None)


def _seconds(later: datetime | None, earlier: datetime | None) -> float:
    return round((later - earlier).total_seconds(), 3) if later and earlier else 0.0
