"""The application factory: `create_app(settings)` with a lifespan that owns every resource."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route, WebSocketRoute

from inference.generation_service import GenerationService
from inference.service import InferenceService
from server import health, openapi, routes_generation, routes_inference, routes_play
from server.admin_api import admin_routes
from server.admin_auth import AdminAuth
from server.admin_feed import AdminMonitor
from server.admin_guard import require_guarded
from server.errors import exception_handlers
from server.intake import Intake, RatePolicy
from server.live_relay import LiveRelay
from server.metrics import Metrics
from server.middleware import RequestContext
from server.state import AppState
from server.static import client_routes
from server.watch_hub import WatchHub
from server.ws_classify import classify_endpoint
from server.ws_play import play_endpoint
from server.ws_watch import watch_endpoint
from store import services
from store.admin_pool import create_admin_pool
from store.feed import Feed
from store.ingest import IngestLog
from store.live import LiveState
from store.models import GENERATOR, ActiveModelSource
from store.presence import Presence
from store.settings import Settings


def build_state(
    settings: Settings, svc: services.Services, metrics: Metrics, admin_pool: asyncpg.Pool
) -> AppState:
    ingest = IngestLog(svc.redis)
    live = LiveState(svc.redis)
    feed = Feed(svc.redis)
    intake = Intake(
        ingest,
        live,
        feed,
        metrics,
        settings.limits,
        RatePolicy(settings.submit_rate_per_session, settings.submit_rate_per_address),
    )
    return AppState(
        settings=settings,
        services=svc,
        metrics=metrics,
        ingest=ingest,
        live=live,
        feed=feed,
        intake=intake,
        relay=LiveRelay(feed),
        watch_hub=WatchHub(feed, live),
        admin=AdminAuth(
            svc.pool, svc.redis, settings.login_per_account, settings.login_per_address
        ),
        inference=InferenceService(ActiveModelSource(svc.pool, svc.objects, feed)),
        generation=GenerationService(ActiveModelSource(svc.pool, svc.objects, feed, GENERATOR)),
        admin_pool=admin_pool,
        monitor=AdminMonitor(admin_pool, ingest, Presence(svc.redis), metrics),
    )


def create_app(settings: Settings) -> Starlette:
    metrics = Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        svc = await services.connect(settings)
        admin_pool = await create_admin_pool(settings.database_url or "")
        state = build_state(settings, svc, metrics, admin_pool)
        app.state.drawstream = state
        await state.inference.start()  # the active model loaded and warm before traffic
        await state.generation.start()
        hub = asyncio.create_task(state.watch_hub.run(), name="watch-hub")
        inference = asyncio.create_task(state.inference.run(), name="inference")
        monitor = asyncio.create_task(state.monitor.run(), name="admin-monitor")
        generation = asyncio.create_task(state.generation.run(), name="generation")
        try:
            yield
        finally:
            for task in (hub, inference, monitor, generation):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            state.inference.close()
            await admin_pool.close()
            await svc.close()

    routes = [
        Route("/health", health.health),
        Route("/health/live", health.live),
        Route("/health/ready", health.ready),
        Route("/metrics", health.metrics),
        Route("/api/shapes", routes_play.list_shapes),
        Route("/api/drawings", routes_play.submit_drawing, methods=["POST"]),
        Route("/api/user/stats", routes_play.user_stats),
        Route("/api/inference/model/info", routes_inference.model_info),
        Route("/api/inference/classify", routes_inference.classify, methods=["POST"]),
        Route("/api/inference/classify/batch", routes_inference.classify_batch, methods=["POST"]),
        Route("/api/inference/generate", routes_generation.generate, methods=["POST"]),
        Route("/api/openapi.json", openapi.openapi_json),
        WebSocketRoute("/ws/play", play_endpoint),
        WebSocketRoute("/ws/watch", watch_endpoint),
        WebSocketRoute("/ws/classify", classify_endpoint),
        *admin_routes(),
        *client_routes(settings.client_dist),
    ]
    require_guarded(routes)
    middleware = [Middleware(RequestContext, metrics=metrics, hsts=settings.secure_cookies)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["content-type", "x-session-id", "x-idempotency-key"],
            )
        )
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers=exception_handlers(),
        lifespan=lifespan,
    )
