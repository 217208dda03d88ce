"""`POST /api/admin/cleanup/run {dryRun, batchSize}`: retention on demand (store/retention.py).

The same rules and periods as the worker's daily run; a dry run answers what would be purged
and archived without changing anything.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game.cleanup import parse_cleanup
from server.http_body import read_json
from server.state import AppState
from store import retention

_MAX_BODY = 1024


async def run_cleanup(request: Request) -> Response:
    app: AppState = request.app.state.drawstream
    req = parse_cleanup(await read_json(request, _MAX_BODY))
    result = await retention.apply_retention(
        app.services.pool,
        retention.RetentionPolicy.of(app.settings),
        datetime.now(UTC),
        dry_run=req.dry_run,
        batch_size=req.batch_size,
    )
    await retention.announce(app.feed, result, "admin")
    return JSONResponse(retention.result_json(result))
