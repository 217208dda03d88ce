"""Every admin endpoint, and the guard around them (server/admin_guard.py).

To add an admin route, add it to `_GUARDED` with its path relative to `/api/admin`; it is
then behind the session check and CSRF check with nothing else to do, and its handler reads
the admin with `current_admin(request)`. Anything routed elsewhere under `/api/admin` or
`/ws/admin` makes create_app refuse to start.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from server import routes_admin_auth
from server.admin_guard import AdminGuard
from server.ws_admin import admin_endpoint

_GUARDED: list[BaseRoute] = [
    Route("/logout", routes_admin_auth.logout, methods=["POST"]),
    Route("/session", routes_admin_auth.session, methods=["GET"]),
]


def admin_routes() -> list[BaseRoute]:
    return [
        # Before the mount, so it matches first: the one admin path without a session.
        Route("/api/admin/login", routes_admin_auth.login, methods=["POST"]),
        Mount("/api/admin", routes=_GUARDED, middleware=[Middleware(AdminGuard)]),
        WebSocketRoute("/ws/admin", admin_endpoint, middleware=[Middleware(AdminGuard)]),
    ]
