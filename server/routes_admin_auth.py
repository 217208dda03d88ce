"""`POST /api/admin/login`, `POST /api/admin/logout`, `GET /api/admin/session`.

Login is the one admin endpoint outside the guard; it checks Origin itself (login CSRF) and
rotates the session: any session the browser already had is revoked and a fresh id is set,
so an id planted before login (session fixation) is worthless after it.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game.credentials import MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS
from game.errors import FieldError
from server import csrf
from server.admin_cookies import (
    clear_session_cookies,
    is_secure,
    session_token,
    set_session_cookies,
)
from server.admin_guard import current_admin
from server.errors import BadRequest
from server.http_body import read_json
from server.state import AppState
from store.admin_sessions import AdminSession

_MAX_LOGIN_BODY = 4096


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.drawstream
    return state


def _field(body: dict[str, Any], name: str, max_chars: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not 0 < len(value) <= max_chars:
        raise BadRequest(
            f"{name} is required", [FieldError(name, f"a string of 1 to {max_chars} characters")]
        )
    return value


def _session_body(session: AdminSession) -> dict[str, Any]:
    return {"id": session.admin_id, "email": session.email, "csrfToken": session.csrf_token}


async def login(request: Request) -> Response:
    app = _state(request)
    csrf.check_origin(request, required=False)
    body = await read_json(request, _MAX_LOGIN_BODY)
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object", [FieldError("body", "an object")])
    email = _field(body, "email", MAX_EMAIL_CHARS)
    password = _field(body, "password", MAX_PASSWORD_CHARS)
    address = request.client.host if request.client else "unknown"
    session = await app.admin.login(email, password, address)
    previous = session_token(request)
    if previous is not None:
        await app.admin.logout(previous)
    response = JSONResponse(_session_body(session), headers={"Cache-Control": "no-store"})
    set_session_cookies(response, session, is_secure(request, app.settings))
    return response


async def logout(request: Request) -> Response:
    app = _state(request)
    await app.admin.logout(current_admin(request).token)
    response = Response(status_code=204)
    clear_session_cookies(response, is_secure(request, app.settings))
    return response


async def session(request: Request) -> Response:
    return JSONResponse(_session_body(current_admin(request)))
