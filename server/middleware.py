"""Pure ASGI middleware (no per-request task overhead): request ids, access logs, metrics,
security headers.

Every response carries `X-Request-Id` (taken from the client when sane, else generated), and
the same id is on the access log line and in error bodies, so a user's report can be traced.
An unexpected exception is answered here (through server/errors.py) rather than by
Starlette's outermost error middleware, so a 500 carries the request id and security headers
too.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time

from starlette.requests import Request
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import unexpected_error
from server.metrics import Metrics

log = logging.getLogger("drawstream.access")
_RID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# The client is served from this origin; no inline scripts. WebSockets go to the same host.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self' ws: wss:; font-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# Browsers honour it only over https; one year, this host only (a self-hosted instance may
# share its parent domain with sites that still serve plain http).
HSTS = (b"strict-transport-security", b"max-age=31536000")


def _route_name(scope: Scope) -> str:
    """The route template (not the raw path), so metric label sets stay bounded.

    The router notes the route it chose in the scope, and a mount's own router replaces it
    with the inner route, whose template is relative to the mount's `root_path`; a mount
    serving an app without routes (static files) is labelled by its prefix."""
    route = scope.get("route")
    if isinstance(route, Mount):
        return str(scope.get("root_path", "")) or "/"
    path = getattr(route, "path", None)
    return f"{scope.get('root_path', '')}{path}" if path is not None else "unmatched"


class RequestContext:
    def __init__(self, app: ASGIApp, metrics: Metrics, hsts: bool = False) -> None:
        """`hsts`: send HSTS on every response because the deployment declared TLS (its
        proxy may not forward the scheme); https requests get it regardless."""
        self.app = app
        self.metrics = metrics
        self.hsts = hsts
        # Generated ids: a random 64-bit prefix per process and a counter, unique enough to
        # trace a request across servers and far cheaper than a uuid4 each (which reads the
        # kernel's random source: ~2% of the event loop at 1,000 classifications/s).
        self._prefix = os.urandom(8).hex()
        self._ids = itertools.count()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _RID.match(incoming) else f"{self._prefix}{next(self._ids):016x}"
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 500
        responded = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status = message["status"]
                responded = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                if self.hsts or scope.get("scheme") == "https":
                    headers.append(HSTS)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            if responded:  # too late for an error response; only the server can end it now
                raise
            response = await unexpected_error(Request(scope, receive), exc)
            await response(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_name(scope)
            method = scope["method"]
            self.metrics.http_requests.labels(method, route, str(status)).inc()
            self.metrics.http_latency.labels(method, route).observe(elapsed)
            log.info(
                "request",
                extra={
                    "request_id": rid,
                    "method": method,
                    "path": scope["path"],
                    "status": status,
                    "ms": round(elapsed * 1000, 2),
                },
            )
