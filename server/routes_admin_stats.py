"""`GET /api/admin/stats`: the dashboard in one answer.

Dataset numbers come from the counters migration 002 keeps exact (store/admin_stats.py), the
ingest backlog from the Redis stream, the active model from its row: a handful of index
lookups, whatever the size of the dataset.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.state import AppState
from store.admin_stats import QUALITY_BUCKETS, DatasetStats, dataset_stats
from store.models import ModelRow, active_model


def stats_json(s: DatasetStats, backlog: tuple[int, int], model: ModelRow | None) -> dict[str, Any]:
    t = s.totals
    width = 1 / QUALITY_BUCKETS
    return {
        "totals": {
            "drawings": t.drawings,
            "flagged": t.flagged,
            "deleted": t.deleted,
            "synthetic": t.synthetic,
            "generated": t.generated,
        },
        "perShape": [{"shape": name, "count": n} for name, n in s.per_shape],
        "perDay": [{"day": day.isoformat(), "count": n} for day, n in s.per_day],
        "perDevice": [{"device": device, "count": n} for device, n in s.per_device],
        "quality": {
            "buckets": [
                {"from": round(i * width, 2), "to": round((i + 1) * width, 2), "count": n}
                for i, n in enumerate(s.quality)
            ]
        },
        "ingest": {"backlog": backlog[0], "lagMs": backlog[1]},
        "activeModel": None
        if model is None
        else {"id": str(model.id), "version": model.version, "accuracy": model.accuracy},
    }


async def stats(request: Request) -> Response:
    app: AppState = request.app.state.drawstream
    pool = app.admin_pool
    dataset, backlog, model = await asyncio.gather(
        dataset_stats(pool, datetime.now(UTC).date()), app.ingest.backlog(), active_model(pool)
    )
    return JSONResponse(stats_json(dataset, backlog, model))
