"""Every admin endpoint, and the guard around them (server/admin_guard.py).

To add an admin route, add it to `_GUARDED` with its path relative to `/api/admin`; it is
then behind the session check and CSRF check with nothing else to do, and its handler reads
the admin with `current_admin(request)`. Anything routed elsewhere under `/api/admin` or
`/ws/admin` makes create_app refuse to start.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from server import (
    routes_admin_auth,
    routes_admin_cleanup,
    routes_admin_data,
    routes_admin_models_compare,
    routes_admin_stats,
    routes_models,
    routes_training,
)
from server.admin_guard import AdminGuard
from server.ws_admin import admin_endpoint

_GUARDED: list[BaseRoute] = [
    Route("/logout", routes_admin_auth.logout, methods=["POST"]),
    Route("/session", routes_admin_auth.session, methods=["GET"]),
    Route("/training/start", routes_training.start, methods=["POST"]),
    Route("/training", routes_training.list_jobs, methods=["GET"]),
    Route("/training/{job_id:uuid}", routes_training.get_job, methods=["GET"]),
    Route("/training/{job_id:uuid}/cancel", routes_training.cancel, methods=["POST"]),
    Route("/models", routes_models.list_models, methods=["GET"]),
    Route("/models/{model_id:uuid}/activate", routes_models.activate, methods=["POST"]),
    Route("/models/compare", routes_admin_models_compare.compare, methods=["GET"]),
    Route("/stats", routes_admin_stats.stats, methods=["GET"]),
    Route("/drawings", routes_admin_data.list_drawings, methods=["GET"]),
    Route("/drawings/bulk", routes_admin_data.bulk, methods=["POST"]),
    Route("/drawings/{drawing_id:uuid}", routes_admin_data.get_drawing, methods=["GET"]),
    Route(
        "/drawings/{drawing_id:uuid}/thumbnail.png",
        routes_admin_data.thumbnail,
        methods=["GET"],
    ),
    Route("/drawings/{drawing_id:uuid}/flag", routes_admin_data.flag, methods=["POST"]),
    Route("/drawings/{drawing_id:uuid}/delete", routes_admin_data.delete, methods=["POST"]),
    Route("/drawings/{drawing_id:uuid}/restore", routes_admin_data.restore, methods=["POST"]),
    Route("/drawings/{drawing_id:uuid}/quality", routes_admin_data.quality, methods=["POST"]),
    Route("/cleanup/run", routes_admin_cleanup.run_cleanup, methods=["POST"]),
]


def admin_routes() -> list[BaseRoute]:
    return [
        # Before the mount, so it matches first: the one admin path without a session.
        Route("/api/admin/login", routes_admin_auth.login, methods=["POST"]),
        Mount("/api/admin", routes=_GUARDED, middleware=[Middleware(AdminGuard)]),
        WebSocketRoute("/ws/admin", admin_endpoint, middleware=[Middleware(AdminGuard)]),
    ]
