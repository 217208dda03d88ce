"""Cross-site request forgery defence for the admin API: a per-session token plus an Origin
check.

The token is a synchronizer token: a random value stored in the server-side session at login,
handed to the page both in the JSON of login and `GET /api/admin/session` and in the
non-HttpOnly `ds_csrf` cookie, and echoed by the page in the `X-CSRF-Token` header of every
state-changing request. It is compared with the session's copy, not with the cookie, so a
cookie planted by a sibling subdomain (which defeats plain double-submit) does not help an
attacker; and a custom header cannot be sent cross-origin without a CORS preflight, which the
admin API never grants.

The Origin check rejects any browser request that says it comes from another origin. It is
the only defence where no session exists yet: the login form (login CSRF) and the WebSocket
handshake, where browsers always send Origin and cannot add headers.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from server.errors import CsrfFailed

CSRF_HEADER = "x-csrf-token"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WS_SCHEMES = {"ws": "http", "wss": "https"}

Origin = tuple[str, str, int]


def _origin(scheme: str, netloc: str) -> Origin | None:
    """(scheme, host, port) with the default port filled in; None when unusable."""
    if scheme not in _DEFAULT_PORTS:
        return None
    try:
        parts = urlsplit(f"//{netloc}")
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port


def own_origin(conn: HTTPConnection) -> Origin | None:
    """The origin the browser addressed: scheme as the server saw it (https behind a TLS
    proxy once uvicorn trusts its forwarded headers) and the Host header."""
    scheme = _WS_SCHEMES.get(conn.url.scheme, conn.url.scheme)
    return _origin(scheme, conn.headers.get("host", ""))


def claimed_origin(value: str) -> Origin | None:
    parts = urlsplit(value)
    return _origin(parts.scheme, parts.netloc)


def check_origin(conn: HTTPConnection, required: bool) -> None:
    """Refuse a request whose Origin is another site's (or the opaque "null"). A missing
    Origin passes unless `required`: browsers send it on every POST and every WebSocket
    handshake, so only non-browser clients omit it, and they carry no ambient cookies."""
    value = conn.headers.get("origin")
    if value is None:
        if required:
            raise CsrfFailed("an Origin header is required")
        return
    claimed = claimed_origin(value)
    if claimed is None or claimed != own_origin(conn):
        raise CsrfFailed("cross-origin request refused")


def check_token(conn: HTTPConnection, expected: str) -> None:
    sent = conn.headers.get(CSRF_HEADER, "")
    if not secrets.compare_digest(sent.encode(), expected.encode()):
        raise CsrfFailed(f"missing or wrong {CSRF_HEADER} header")


def check_request(conn: HTTPConnection, expected_token: str) -> None:
    """Everything a state-changing admin request must pass."""
    check_origin(conn, required=False)
    check_token(conn, expected_token)
