"""`GET /api/admin/stats`, and migration 002's counters it reads: exact after every kind of
write (flush inserts, curation, bulk actions, purges, TRUNCATE)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from game.curation import Curation
from game.drawing_query import DrawingFilter
from store.admin_drawings import curate_filter, curate_ids
from store.services import Services
from tests.admin_fixtures import AdminBrowser
from tests.drawing_factory import Spec, store_drawings
from tests.model_fixtures import RegisterModel

_RECOUNT = """
SELECT shape_id, device, drawing_quality_bucket(quality_score) AS quality_bucket, is_flagged,
       deleted_at IS NOT NULL AS is_deleted, count(*) AS n
FROM drawings GROUP BY 1, 2, 3, 4, 5
"""
_COUNTERS = """
SELECT shape_id, device, quality_bucket, is_flagged, is_deleted, n
FROM drawing_counts WHERE n <> 0
"""
_DAYS_RECOUNT = """
SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
FROM drawings WHERE deleted_at IS NULL GROUP BY 1
"""


def _now_ms(days_ago: float = 0.0) -> int:
    return int((datetime.now(UTC) - timedelta(days=days_ago)).timestamp() * 1000)


async def _assert_counters_exact(svc: Services) -> None:
    def rows(records: list[Any]) -> set[tuple[Any, ...]]:
        return {tuple(r) for r in records}

    assert rows(await svc.pool.fetch(_COUNTERS)) == rows(await svc.pool.fetch(_RECOUNT))
    days = "SELECT day, n FROM drawing_days WHERE n <> 0"
    assert rows(await svc.pool.fetch(days)) == rows(await svc.pool.fetch(_DAYS_RECOUNT))


async def test_stats_summarise_the_dataset(browser: AdminBrowser, svc: Services) -> None:
    specs = [
        Spec(shape_id=1, at_ms=_now_ms(), device="mouse", quality=0.05),
        Spec(shape_id=2, at_ms=_now_ms(), device="touch", quality=0.7),
        Spec(shape_id=2, at_ms=_now_ms(1), device="synthetic", quality=0.95),
        Spec(shape_id=5, at_ms=_now_ms(2), device="generated", quality=1.0),
        Spec(shape_id=3, at_ms=_now_ms(40), device="pen", quality=0.5),
    ]
    ids = await store_drawings(svc, specs)
    await browser.request("POST", f"/api/admin/drawings/{ids[1]}/flag", json={"flagged": True})
    await browser.request("POST", f"/api/admin/drawings/{ids[0]}/delete")
    r = await browser.request("GET", "/api/admin/stats")
    assert r.status_code == 200
    body = r.json()
    assert body["totals"] == {
        "drawings": 4,
        "flagged": 1,
        "deleted": 1,
        "synthetic": 1,
        "generated": 1,
    }
    assert body["perShape"] == [
        {"shape": "line", "count": 0},
        {"shape": "circle", "count": 2},
        {"shape": "square", "count": 1},
        {"shape": "triangle", "count": 0},
        {"shape": "heart", "count": 1},
    ]
    per_day = body["perDay"]
    assert len(per_day) == 30
    assert per_day[-1] == {"day": datetime.now(UTC).date().isoformat(), "count": 1}
    assert sum(d["count"] for d in per_day) == 3  # the 40-day-old drawing is outside
    assert {d["device"]: d["count"] for d in body["perDevice"]} == {
        "touch": 1,
        "synthetic": 1,
        "generated": 1,
        "pen": 1,
    }
    buckets = body["quality"]["buckets"]
    assert [(b["from"], b["to"]) for b in buckets][:2] == [(0.0, 0.1), (0.1, 0.2)]
    assert buckets[-1]["to"] == 1.0
    assert {i: b["count"] for i, b in enumerate(buckets) if b["count"]} == {5: 1, 7: 1, 9: 2}
    assert body["ingest"] == {"backlog": 0, "lagMs": 0}
    assert body["activeModel"] is None


async def test_stats_show_the_active_model(
    browser: AdminBrowser, register_model: RegisterModel
) -> None:
    row = await register_model()
    body = (await browser.request("GET", "/api/admin/stats")).json()
    assert body["activeModel"] == {
        "id": str(row.id),
        "version": row.version,
        "accuracy": row.accuracy,
    }


async def test_counters_stay_exact_through_every_kind_of_write(svc: Services) -> None:
    ids = await store_drawings(
        svc,
        [
            Spec(
                shape_id=1 + i % 5,
                at_ms=_now_ms(i % 3),
                device=("mouse", "pen")[i % 2],
                quality=(i % 11) / 10,
            )
            for i in range(30)
        ],
    )
    await _assert_counters_exact(svc)
    await curate_ids(svc.pool, ids[:5], Curation("flag", reason="x"))
    await curate_ids(svc.pool, ids[3:9], Curation("delete"))
    await curate_ids(svc.pool, ids[10:20], Curation("quality", quality=0.33))
    await _assert_counters_exact(svc)
    upto = datetime.now(UTC)
    await curate_filter(svc.pool, DrawingFilter(shape_id=2), Curation("unflag"), upto, 2)
    await curate_filter(svc.pool, DrawingFilter(deleted=True), Curation("restore"), upto, 2)
    await svc.pool.execute("DELETE FROM drawings WHERE id = ANY($1::uuid[])", ids[25:])
    await _assert_counters_exact(svc)
    await svc.pool.execute("TRUNCATE drawings CASCADE")
    assert await svc.pool.fetchval("SELECT count(*) FROM drawing_counts") == 0
    assert await svc.pool.fetchval("SELECT count(*) FROM drawing_days") == 0


@pytest.mark.parametrize(
    ("score", "bucket"), [(0.0, 0), (0.0999, 0), (0.1, 1), (0.7, 7), (0.95, 9), (1.0, 9)]
)
async def test_quality_buckets_agree_with_the_qmin_filter(
    svc: Services, score: float, bucket: int
) -> None:
    """A score on a bucket edge sits in the bucket that `qmin=edge` selects."""
    got = await svc.pool.fetchval("SELECT drawing_quality_bucket($1::real)", score)
    assert got == bucket
