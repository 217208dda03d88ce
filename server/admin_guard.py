"""The one gate in front of every admin endpoint.

`AdminGuard` is ASGI middleware. server/admin_api.py mounts every admin route except login
under `/api/admin` with the guard wrapped around the whole mount, and puts the same guard on
`/ws/admin`, so a route added to that mount is protected without doing anything else. For
every request it passes through, the guard:

1. finds the server-side session named by the session cookie and restarts its idle timer,
   else raises Unauthorized (401, or a refused WebSocket handshake);
2. for a state-changing method, requires the session's CSRF token and no foreign Origin;
   for the WebSocket handshake, requires a same-origin Origin (server/csrf.py), else
   raises CsrfFailed (403);
3. hands the session to the endpoint, which reads it with `current_admin`, and marks the
   response `Cache-Control: no-store`.

Two backstops: `current_admin` raises Unauthorized when the guard did not run, so an admin
handler mounted in the wrong place fails closed; and `require_guarded`, called by create_app,
refuses to build an app with an admin path outside the guard.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import HTTPConnection
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import csrf
from server.admin_cookies import session_token
from server.errors import Unauthorized
from server.state import AppState
from store.admin_sessions import AdminSession

ADMIN_PREFIXES = ("/api/admin", "/ws/admin")
# Paths under the admin prefixes that must answer without a session.
PUBLIC_ADMIN_PATHS = frozenset({"/api/admin/login"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SCOPE_KEY = "drawstream.admin"


class UnguardedAdminRoute(RuntimeError):
    """Raised at start-up when an admin path is routed around the guard."""


class AdminGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        state: AppState = conn.app.state.drawstream
        session = await state.admin.session(session_token(conn))
        if session is None:
            raise Unauthorized("an admin session is required")
        if scope["type"] == "websocket":
            csrf.check_origin(conn, required=True)
        elif scope["method"] not in SAFE_METHODS:
            csrf.check_request(conn, session.csrf_token)
        scope.setdefault("state", {})[_SCOPE_KEY] = session
        await self.app(scope, receive, _no_store(send) if scope["type"] == "http" else send)


def _no_store(send: Send) -> Send:
    """Admin answers (sessions, CSRF tokens, dataset rows) must not sit in any cache.

    One exception: an answer that declares itself `Cache-Control: private, ...` (immutable
    drawing thumbnails) may stay in the admin's own browser cache, never a shared one.
    """

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start" and not _private(message):
            message["headers"] = [
                *(h for h in message.get("headers", []) if h[0].lower() != b"cache-control"),
                (b"cache-control", b"no-store"),
            ]
        await send(message)

    return wrapped


def _private(message: Message) -> bool:
    return any(
        k.lower() == b"cache-control" and v.startswith(b"private")
        for k, v in message.get("headers", [])
    )


def current_admin(conn: HTTPConnection) -> AdminSession:
    """The session the guard admitted; Unauthorized if this endpoint is not behind it."""
    session = conn.scope.get("state", {}).get(_SCOPE_KEY)
    if not isinstance(session, AdminSession):
        raise Unauthorized("an admin session is required")
    return session


def _is_admin_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in ADMIN_PREFIXES)


def unguarded_admin_paths(routes: Iterable[BaseRoute], prefix: str = "") -> list[str]:
    """Every admin path in `routes` (searched through mounts) that the guard does not wrap."""
    found: list[str] = []
    for route in routes:
        path = prefix + str(getattr(route, "path", ""))
        if isinstance(getattr(route, "app", None), AdminGuard) or path in PUBLIC_ADMIN_PATHS:
            continue
        if _is_admin_path(path):
            found.append(path)
        elif isinstance(route, Mount):
            found.extend(unguarded_admin_paths(route.routes, path))
    return found


def require_guarded(routes: Iterable[BaseRoute]) -> None:
    unguarded = unguarded_admin_paths(routes)
    if unguarded:
        raise UnguardedAdminRoute(f"admin paths outside AdminGuard: {', '.join(unguarded)}")
