"""Liveness, readiness (each dependency checked, with its latency) and Prometheus metrics."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from inference.registry import LoadFailure, Serving
from server.state import AppState
from store.keys import FLUSHER_STATS
from store.models import ModelRow

_CHECK_TIMEOUT_S = 2.0


async def _timed(name: str, probe: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe, _CHECK_TIMEOUT_S)
        ok, error = True, None
    except Exception as exc:  # a failed probe is a result to report, not a crash
        ok, error = False, f"{type(exc).__name__}: {exc}"
    result: dict[str, Any] = {
        "name": name,
        "ok": ok,
        "latencyMs": round((time.perf_counter() - started) * 1000, 2),
    }
    if error:
        result["error"] = error
    return result


async def _checks(app: AppState) -> list[dict[str, Any]]:
    s = app.services
    return list(
        await asyncio.gather(
            _timed("postgres", s.pool.fetchval("SELECT 1")),
            _timed("redis", s.redis.ping()),
            _timed("objects", s.objects.ping()),
        )
    )


async def live(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> Response:
    app: AppState = request.app.state.drawstream
    checks = await _checks(app)
    ok = all(c["ok"] for c in checks)
    return JSONResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503
    )


def served(model: Serving[ModelRow] | None, failure: LoadFailure | None) -> dict[str, Any]:
    """A model section of /health (the classifier's, the generator's): what is served, and
    why the active model is not."""
    return {
        "loaded": model is not None,
        "id": str(model.record.id) if model else None,
        "version": model.record.version if model else None,
        "loadedAt": model.loaded_at.isoformat() if model else None,
        "error": None
        if failure is None
        else {
            "modelId": failure.model_id,
            "version": failure.version,
            "message": failure.error,
            "at": failure.at.isoformat(),
        },
    }


async def health(request: Request) -> Response:
    app: AppState = request.app.state.drawstream
    checks = await _checks(app)
    backlog, lag_ms = await app.ingest.backlog()
    ok = all(c["ok"] for c in checks)
    return JSONResponse(
        {
            "status": "ok" if ok else "degraded",
            "checks": checks,
            "ingest": {"backlog": backlog, "lagMs": lag_ms},
            "model": served(app.inference.model, app.inference.registry.failure),
            "generator": served(app.generation.model, app.generation.registry.failure),
        },
        status_code=200 if ok else 503,
    )


async def metrics(request: Request) -> Response:
    app: AppState = request.app.state.drawstream
    m = app.metrics
    try:
        backlog, lag_ms = await app.ingest.backlog()
        m.ingest_backlog.set(backlog)
        m.ingest_lag.set(lag_ms / 1000)
        # The flushers run in worker processes; they leave their figures in Redis.
        stats = await app.services.redis.hgetall(FLUSHER_STATS)
        for gauge, field in (
            (m.flush_batches, b"batches"),
            (m.flush_drawings, b"drawings"),
            (m.flush_last_batch, b"last_batch"),
            (m.flush_last_seconds, b"last_seconds"),
        ):
            gauge.set(float(stats.get(field, 0)))
    except app.storage_errors:
        pass
    return Response(app.metrics.render(), media_type="text/plain; version=0.0.4")
