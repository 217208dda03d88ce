"""The two admin cookies: the session token (HttpOnly) and the CSRF token (readable by the
page, see server/csrf.py).

Both are SameSite=Lax (never sent on cross-site subrequests or POSTs) and Secure whenever the
deployment says it runs behind TLS (`secure_cookies`) or the request itself came over https.
They cover `/` because the admin API (`/api/admin`) and socket (`/ws/admin`) share no deeper
prefix. Their Max-Age is the session's absolute lifetime; the server-side session decides
validity, so an expired or revoked session's cookie is worthless.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import Response

from store import keys
from store.admin_sessions import AdminSession
from store.settings import Settings

SESSION_COOKIE = "ds_admin"
CSRF_COOKIE = "ds_csrf"


def session_token(conn: HTTPConnection) -> str | None:
    return conn.cookies.get(SESSION_COOKIE)


def is_secure(conn: HTTPConnection, settings: Settings) -> bool:
    return settings.secure_cookies or conn.url.scheme in ("https", "wss")


def set_session_cookies(response: Response, session: AdminSession, secure: bool) -> None:
    max_age = max(1, keys.ADMIN_SESSION_MAX_MS // 1000)
    response.set_cookie(
        SESSION_COOKIE,
        session.token,
        max_age=max_age,
        httponly=True,
        secure=secure,
        samesite="lax",
    )
    response.set_cookie(
        CSRF_COOKIE, session.csrf_token, max_age=max_age, secure=secure, samesite="lax"
    )


def clear_session_cookies(response: Response, secure: bool) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, secure=secure)
    response.delete_cookie(CSRF_COOKIE, secure=secure)
