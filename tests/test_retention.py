"""Retention: `POST /api/admin/cleanup/run` (dry run vs real), the batches, the archive
table, disabled rules, and the worker's daily job."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import msgpack
import pytest

from store.keys import ADMIN_CHANNEL
from store.retention import RetentionPolicy, apply_retention
from store.services import Services
from store.settings import Settings, SettingsError, load_settings
from tests.admin_fixtures import AdminBrowser
from tests.drawing_factory import Spec, store_drawings
from workers.jobs import CRON_JOBS
from workers.maintenance import run_retention

CLEANUP = "/api/admin/cleanup/run"


async def _aged(svc: Services) -> dict[str, uuid.UUID]:
    """Five drawings made 200 days ago: deleted 40 and 10 days ago, flagged 100 and 10 days
    ago, and one untouched."""
    ids = await store_drawings(svc, [Spec(at_ms=1_704_067_200_000 + i) for i in range(5)])
    now = datetime.now(UTC)
    await svc.pool.execute("UPDATE drawings SET created_at = $1", now - timedelta(days=200))
    set_deleted = "UPDATE drawings SET deleted_at = $2 WHERE id = $1"
    set_flagged = "UPDATE drawings SET is_flagged = true, flagged_at = $2 WHERE id = $1"
    await svc.pool.execute(set_deleted, ids[0], now - timedelta(days=40))
    await svc.pool.execute(set_deleted, ids[1], now - timedelta(days=10))
    await svc.pool.execute(set_flagged, ids[2], now - timedelta(days=100))
    await svc.pool.execute(set_flagged, ids[3], now - timedelta(days=10))
    return dict(
        zip(("old_deleted", "new_deleted", "old_flagged", "new_flagged", "kept"), ids, strict=True)
    )


async def _live_ids(svc: Services) -> set[uuid.UUID]:
    return {r[0] for r in await svc.pool.fetch("SELECT id FROM drawings")}


async def test_dry_run_counts_and_changes_nothing(browser: AdminBrowser, svc: Services) -> None:
    ids = await _aged(svc)
    r = await browser.request("POST", CLEANUP, json={"dryRun": True, "batchSize": 100})
    assert r.status_code == 200
    body = r.json()
    assert (body["purged"], body["archived"], body["dryRun"]) == (1, 1, True)
    assert body["deletedBefore"] and body["flaggedBefore"]
    assert await _live_ids(svc) == set(ids.values())


async def test_real_run_purges_and_archives(browser: AdminBrowser, svc: Services) -> None:
    ids = await _aged(svc)
    r = await browser.request("POST", CLEANUP, json={"dryRun": False, "batchSize": 1})
    assert r.status_code == 200
    assert (r.json()["purged"], r.json()["archived"], r.json()["dryRun"]) == (1, 1, False)
    assert await _live_ids(svc) == {
        ids["new_deleted"],
        ids["new_flagged"],
        ids["kept"],
    }
    archived = await svc.pool.fetch("SELECT id, is_flagged, archived_at FROM drawings_archive")
    assert [(a["id"], a["is_flagged"]) for a in archived] == [(ids["old_flagged"], True)]
    again = await browser.request("POST", CLEANUP, json={"dryRun": True})
    assert (again.json()["purged"], again.json()["archived"]) == (0, 0)
    stats = (await browser.request("GET", "/api/admin/stats")).json()["totals"]
    assert (stats["drawings"], stats["deleted"], stats["flagged"]) == (2, 1, 1)


async def test_runs_in_batches(svc: Services) -> None:
    ids = await store_drawings(svc, [Spec(at_ms=1_704_067_200_000 + i) for i in range(5)])
    await svc.pool.execute(
        "UPDATE drawings SET deleted_at = created_at WHERE id = ANY($1::uuid[])", ids[:4]
    )
    result = await apply_retention(
        svc.pool, RetentionPolicy(30, 90), datetime.now(UTC), dry_run=False, batch_size=3
    )
    assert (result.purged, result.archived) == (4, 0)
    assert await _live_ids(svc) == {ids[4]}


async def test_a_period_of_zero_turns_a_rule_off(svc: Services) -> None:
    await _aged(svc)
    result = await apply_retention(
        svc.pool, RetentionPolicy(0, 0), datetime.now(UTC), dry_run=False
    )
    assert (result.purged, result.archived) == (0, 0)
    assert result.deleted_before is None and result.flagged_before is None
    assert len(await _live_ids(svc)) == 5


async def test_bad_cleanup_requests(browser: AdminBrowser) -> None:
    cases = [
        ({}, {"dryRun"}),
        ({"dryRun": "yes"}, {"dryRun"}),
        ({"dryRun": True, "batchSize": 0}, {"batchSize"}),
        ({"dryRun": True, "batchSize": 10_001}, {"batchSize"}),
        ({"dryRun": True, "batchSize": 1.5, "force": True}, {"batchSize", "force"}),
    ]
    for body, fields in cases:
        r = await browser.request("POST", CLEANUP, json=body)
        assert r.status_code == 400, body
        assert {d["field"] for d in r.json()["details"]} == fields, body


def test_retention_periods_come_from_the_environment() -> None:
    s = load_settings(
        {"DRAWSTREAM_RETENTION_DELETED_DAYS": "7", "DRAWSTREAM_RETENTION_FLAGGED_DAYS": "0"}
    )
    assert RetentionPolicy.of(s) == RetentionPolicy(7, 0)
    assert RetentionPolicy.of(load_settings({})) == RetentionPolicy(30, 90)
    with pytest.raises(SettingsError):
        load_settings({"DRAWSTREAM_RETENTION_DELETED_DAYS": "-1"})


@pytest.fixture
async def admin_events(svc: Services) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
    """Events published on the admin channel while the test runs."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    pubsub = svc.redis.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(ADMIN_CHANNEL)

    async def pump() -> None:
        async for message in pubsub.listen():
            await queue.put(msgpack.unpackb(message["data"], raw=False))

    task = asyncio.create_task(pump())
    yield queue
    task.cancel()
    await pubsub.aclose()


async def test_the_daily_job(
    svc: Services, settings: Settings, admin_events: asyncio.Queue[dict[str, Any]]
) -> None:
    ids = await _aged(svc)
    result = await run_retention({"settings": settings, "services": svc})
    assert (result["purged"], result["archived"]) == (1, 1)
    assert ids["old_deleted"] not in await _live_ids(svc)
    event = await asyncio.wait_for(admin_events.get(), 5)
    assert event["type"] == "cleanup" and event["trigger"] == "schedule"
    assert (event["purged"], event["archived"]) == (1, 1)
    [job] = [c for c in CRON_JOBS if c.coroutine is run_retention]
    assert (job.hour, job.minute) == ({3}, {17})


async def test_a_failing_daily_job_tells_the_admins(
    svc: Services, settings: Settings, admin_events: asyncio.Queue[dict[str, Any]]
) -> None:
    class BrokenPool:
        async def execute(self, *args: object) -> str:
            raise OSError("database went away")

    broken = Services(BrokenPool(), svc.redis, svc.objects)
    with pytest.raises(OSError):
        await run_retention({"settings": settings, "services": broken})
    event = await asyncio.wait_for(admin_events.get(), 5)
    assert event == {
        "type": "error",
        "source": "retention",
        "message": "OSError: database went away",
    }
