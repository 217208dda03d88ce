"""Training jobs in the worker: state machine, selection, failures, dead workers, devices."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import torch

from game.identity import user_id_for
from store import services
from store.device_locks import DeviceLock
from store.drawings import PlayerTotals, insert_shard_rows
from store.job_status import IllegalTransition, JobStatus, can_enter
from store.models import models_page
from store.records import StoredDrawing
from store.selection import InvalidSelection, Selection, select_locations
from store.settings import Settings
from store.training_jobs import JobRow, create_or_get, finish, job_by_id, mark_queued, mark_running
from tests.fixtures import circle_drawing
from tests.processes import Proc, drawstream, env_for
from tests.training_helpers import (
    FAST,
    SLOW,
    admin_events,
    run_worker,
    seed_shapes,
    submit,
    training_started,
    wait_for,
)
from workers.reaper import reap


def test_the_state_machine_allows_only_forward_moves() -> None:
    assert can_enter(JobStatus.PENDING, JobStatus.RUNNING)  # a worker faster than the API
    assert can_enter(JobStatus.RUNNING, JobStatus.CANCELLED)
    assert not can_enter(JobStatus.QUEUED, JobStatus.SUCCEEDED)
    for end in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED):
        assert end.terminal and not any(can_enter(end, s) for s in JobStatus)


async def test_illegal_transitions_raise_and_change_nothing(svc: services.Services) -> None:
    job, created = await create_or_get(svc.pool, "classifier", {"train": {}}, "a" * 64)
    assert created and job.status is JobStatus.PENDING
    again, created = await create_or_get(svc.pool, "classifier", {"train": {}}, "a" * 64)
    assert again.id == job.id and not created
    await mark_queued(svc.pool, job.id)
    running = await mark_running(svc.pool, job.id, "w1", {"phase": "starting"})
    assert running.worker == "w1" and running.started_at and running.heartbeat_at
    await finish(svc.pool, job.id, JobStatus.FAILED, error="boom")
    with pytest.raises(IllegalTransition, match="is failed; it cannot become running"):
        await mark_running(svc.pool, job.id, "w2", {})
    with pytest.raises(IllegalTransition, match="is failed; it cannot become cancelled"):
        await finish(svc.pool, job.id, JobStatus.CANCELLED)
    after = await job_by_id(svc.pool, job.id)
    assert after is not None and (after.status, after.error, after.worker) == (
        JobStatus.FAILED,
        "boom",
        "w1",
    )
    # Finished, the hash is free again: the same request starts a new job.
    fresh, created = await create_or_get(svc.pool, "classifier", {"train": {}}, "a" * 64)
    assert created and fresh.id != job.id


def _row(i: int, device: str, quality: float, at: datetime) -> tuple[int, int, StoredDrawing]:
    d = circle_drawing(shape_id=1 + i % 2, seed=i, device=device)
    stored = StoredDrawing(
        str(uuid.UUID(int=i + 1)),
        "s",
        str(user_id_for("sel")),
        int(at.timestamp() * 1000),
        quality,
        d,
    )
    return i * 100, 100, stored


async def test_selection_filters_in_postgresql(svc: services.Services) -> None:
    old = datetime(2026, 1, 1, tzinfo=UTC)
    new = datetime(2026, 3, 1, tzinfo=UTC)
    rows = [
        _row(0, "mouse", 0.9, old),
        _row(1, "synthetic", 0.9, new),
        _row(2, "generated", 0.9, new),
        _row(3, "touch", 0.3, new),  # below the default threshold
        _row(4, "pen", 0.9, new),  # flagged below
        _row(5, "pen", 0.9, new),  # soft-deleted below
        _row(6, "pen", 0.9, new),
    ]
    async with svc.pool.acquire() as conn:
        await insert_shard_rows(
            conn, "shards/x", rows, [PlayerTotals(str(user_id_for("sel")), "n", 7, 1)]
        )
    await svc.pool.execute("UPDATE drawings SET is_flagged = true WHERE id = $1", uuid.UUID(int=5))
    await svc.pool.execute("UPDATE drawings SET deleted_at = now() WHERE id = $1", uuid.UUID(int=6))

    async def picked(raw: dict[str, object], shapes: tuple[int, ...] = (1, 2)) -> list[int]:
        selection = Selection.from_dict(raw, shapes)
        return sorted(loc.id.int - 1 for loc in await select_locations(svc.pool, selection))

    assert await picked({}) == [0, 1, 6]
    assert await picked({"synthetic": False}) == [0, 6]
    assert await picked({"generated": True}) == [0, 1, 2, 6]
    assert await picked({"min_quality": 0.0}) == [0, 1, 3, 6]
    assert await picked({"min_quality": 0.9}) == [0, 1, 6]  # real 0.9 >= threshold 0.9
    assert await picked({"created_from": "2026-02-01"}) == [1, 6]
    assert await picked({"created_to": "2026-02-01T00:00:00Z"}) == [0]
    assert await picked({}, shapes=(1,)) == [0, 6]
    with pytest.raises(InvalidSelection) as bad:
        Selection.from_dict({"created_from": "2026-03-01", "created_to": "2026-02-01"}, (1,))
    assert [d.field for d in bad.value.details] == ["selection.created_to"]


async def test_flagged_and_deleted_drawings_are_not_in_the_snapshot(
    settings: Settings, svc: services.Services
) -> None:
    await seed_shapes(settings, per_shape=10)
    flagged = await svc.pool.fetch("SELECT id FROM drawings WHERE shape_id = 2 LIMIT 3")
    deleted = await svc.pool.fetch("SELECT id FROM drawings WHERE shape_id = 3 LIMIT 2")
    await svc.pool.execute(
        "UPDATE drawings SET is_flagged = true WHERE id = ANY($1)", [r[0] for r in flagged]
    )
    await svc.pool.execute(
        "UPDATE drawings SET deleted_at = now() WHERE id = ANY($1)", [r[0] for r in deleted]
    )
    job = await submit(svc, {"config": FAST})
    await run_worker(settings)
    done = await job_by_id(svc.pool, job.id)
    assert done is not None and done.status is JobStatus.SUCCEEDED, done
    [model] = await models_page(svc.pool)
    assert model.dataset["counts"] == {
        "line": 10,
        "circle": 7,
        "square": 8,
        "triangle": 10,
        "heart": 10,
    }
    assert model.dataset["total"] == 45


async def test_jobs_that_cannot_succeed_fail_with_a_readable_error(
    settings: Settings, svc: services.Services
) -> None:
    await seed_shapes(settings, per_shape=10)
    hearts = await svc.pool.fetch("SELECT id FROM drawings WHERE shape_id = 5 OFFSET 1")
    await svc.pool.execute(
        "UPDATE drawings SET is_flagged = true WHERE id = ANY($1)", [r[0] for r in hearts]
    )
    nothing = await submit(svc, {"config": FAST, "selection": {"synthetic": False}})
    short = await submit(svc, {"config": FAST})
    no_gpu = await submit(svc, {"config": {**FAST, "device": "cuda"}})
    async with admin_events(svc) as events:
        await run_worker(settings)
    errors = {}
    for job in (nothing, short, no_gpu):
        row = await job_by_id(svc.pool, job.id)
        assert row is not None and row.status is JobStatus.FAILED and row.finished_at
        assert row.progress["phase"] == "failed" and row.model_id is None
        errors[job.id] = row.error or ""
    assert errors[nothing.id].startswith("no drawings match the selection")
    assert errors[short.id].startswith("not enough drawings: heart has 1")
    if not torch.cuda.is_available():
        assert errors[no_gpu.id].startswith('the config asks for device "cuda"')
    failed = {e["jobId"]: e["error"] for e in events if e.get("status") == "failed"}
    assert failed == {str(k): v for k, v in errors.items()}
    assert await models_page(svc.pool) == []


async def test_the_reaper_fails_running_jobs_whose_heartbeat_stopped(
    svc: services.Services,
) -> None:
    dead, _ = await create_or_get(svc.pool, "classifier", {}, "d" * 64)
    alive, _ = await create_or_get(svc.pool, "classifier", {}, "e" * 64)
    for job, worker in ((dead, "host-1"), (alive, "host-2")):
        await mark_running(svc.pool, job.id, worker, {"phase": "train"})
    await svc.pool.execute(
        "UPDATE training_jobs SET heartbeat_at = now() - interval '2 minutes' WHERE id = $1",
        dead.id,
    )
    async with admin_events(svc) as events:
        reaped = await reap(svc)
    assert [j.id for j in reaped] == [dead.id]
    row = await job_by_id(svc.pool, dead.id)
    assert row is not None and row.status is JobStatus.FAILED
    assert row.error and row.error.startswith("worker host-1 stopped reporting")
    assert row.error.endswith("(more than 60 s); presumed dead")
    assert events == [
        {"type": "training", "jobId": str(dead.id), "status": "failed", "error": row.error}
    ]
    still = await job_by_id(svc.pool, alive.id)
    assert still is not None and still.status is JobStatus.RUNNING


async def test_a_worker_killed_mid_training_leaves_a_failed_job_not_a_running_one(
    settings: Settings, svc: services.Services, tmp_path: Path
) -> None:
    await seed_shapes(settings, per_shape=20)
    job = await submit(svc, {"config": SLOW})
    worker = Proc(
        drawstream("worker", "--data-dir", str(tmp_path)),
        env_for(settings.database_url or "", settings.redis_url or ""),
    )
    worker.start()
    try:
        running = await wait_for(lambda: training_started(svc, job.id), timeout=60)
        worker.kill9()
        killed_at = datetime.now(UTC)
    finally:
        worker.stop()
    assert running.status is JobStatus.RUNNING and running.worker
    # The reaper's periodic pass, with a threshold short enough for a test.
    reaped = await wait_for(lambda: _reap_one(svc), timeout=15)
    assert reaped.id == job.id and reaped.status is JobStatus.FAILED
    assert reaped.heartbeat_at is not None and reaped.heartbeat_at <= killed_at
    assert reaped.error and f"worker {running.worker} stopped reporting" in reaped.error


async def _reap_one(svc: services.Services) -> JobRow | None:
    reaped = await reap(svc, stale_after_s=1)
    return reaped[0] if reaped else None


async def test_two_jobs_take_turns_on_one_device(
    settings: Settings, svc: services.Services
) -> None:
    await seed_shapes(settings, per_shape=10)
    first = await submit(svc, {"config": FAST, "selection": {"min_quality": 0.1}})
    second = await submit(svc, {"config": FAST, "selection": {"min_quality": 0.2}})
    async with admin_events(svc) as events:
        await run_worker(settings)  # one worker, both jobs started at once
    rows = [await job_by_id(svc.pool, j.id) for j in (first, second)]
    assert all(r is not None and r.status is JobStatus.SUCCEEDED for r in rows)
    waits = [e for e in events if e.get("phase") == "waiting_for_device"]
    assert waits, "the second job should have waited for the device"
    a, b = str(first.id), str(second.id)
    assert {(e["jobId"], e["heldBy"]) for e in waits} in ({(a, b)}, {(b, a)})
    assert sorted(m.version for m in await models_page(svc.pool)) == [1, 2]


async def test_a_device_lock_has_one_holder(svc: services.Services) -> None:
    a = DeviceLock(svc.redis, "host", "cpu", "job-a")
    b = DeviceLock(svc.redis, "host", "cpu", "job-b")
    assert await a.try_acquire() and not await b.try_acquire()
    assert await b.holder() == "job-a" and await a.refresh()
    await b.release()  # not its lock: nothing happens
    assert await a.holder() == "job-a"
    await a.release()
    assert not await a.refresh() and await b.try_acquire()
    await b.release()
