"""The application factory: `create_app(settings)` with a lifespan that owns every resource."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route, WebSocketRoute

from server import health, routes_play
from server.errors import exception_handlers
from server.intake import Intake, RatePolicy
from server.live_relay import LiveRelay
from server.metrics import Metrics
from server.middleware import RequestContext
from server.state import AppState
from server.static import client_routes
from server.watch_hub import WatchHub
from server.ws_play import play_endpoint
from server.ws_watch import watch_endpoint
from store import services
from store.feed import Feed
from store.ingest import IngestLog
from store.live import LiveState
from store.settings import Settings


def build_state(settings: Settings, svc: services.Services, metrics: Metrics) -> AppState:
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
    )


def create_app(settings: Settings) -> Starlette:
    metrics = Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        svc = await services.connect(settings)
        state = build_state(settings, svc, metrics)
        app.state.drawstream = state
        hub = asyncio.create_task(state.watch_hub.run(), name="watch-hub")
        try:
            yield
        finally:
            hub.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await hub
            await svc.close()

    routes = [
        Route("/health", health.health),
        Route("/health/live", health.live),
        Route("/health/ready", health.ready),
        Route("/metrics", health.metrics),
        Route("/api/shapes", routes_play.list_shapes),
        Route("/api/drawings", routes_play.submit_drawing, methods=["POST"]),
        Route("/api/user/stats", routes_play.user_stats),
        WebSocketRoute("/ws/play", play_endpoint),
        WebSocketRoute("/ws/watch", watch_endpoint),
        *client_routes(settings.client_dist),
    ]
    middleware = [Middleware(RequestContext, metrics=metrics)]
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
