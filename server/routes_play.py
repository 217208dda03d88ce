"""Public game routes: shapes, REST submission, player stats."""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game.errors import FieldError
from game.identity import is_valid_session_id, nickname, user_id_for
from game.prompts import next_prompt
from game.shapes import SHAPES
from server.drawing_decoder import decode_drawing
from server.errors import BadRequest
from server.http_body import read_body
from server.state import AppState
from store.live import SessionInfo, utc_day


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.drawstream
    return state


async def list_shapes(request: Request) -> Response:
    return JSONResponse(
        {"shapes": [dataclasses.asdict(s) for s in SHAPES]},
        headers={"Cache-Control": "public, max-age=300"},
    )


def _session_id(request: Request) -> str:
    sid = request.headers.get("x-session-id", "")
    if not is_valid_session_id(sid):
        raise BadRequest(
            "X-Session-Id header is required",
            [FieldError("X-Session-Id", "8-64 characters of A-Z a-z 0-9 _ -")],
        )
    return sid


async def _session(app: AppState, session_id: str, device: str) -> SessionInfo:
    """The REST caller's session; created on first use like a socket's hello."""
    found = await app.live.get_session(session_id)
    if found is not None:
        return found
    uid = user_id_for(session_id)
    info = SessionInfo(
        session_id, str(uid), nickname(uid), device, next_prompt({}, None, app.rng.random()).id
    )
    await app.live.open_session(info)
    return info


def _shape(s: Any) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "description": s.description}


async def submit_drawing(request: Request) -> Response:
    app = _state(request)
    session_id = _session_id(request)
    key = request.headers.get("x-idempotency-key", "")
    body = await read_body(request, app.settings.limits.max_payload_bytes)
    drawing = decode_drawing(body, app.settings.limits)
    session = await _session(app, session_id, drawing.device)
    address = request.client.host if request.client else "unknown"
    a = await app.intake.submit(session, key, drawing, address)
    return JSONResponse(
        {
            "id": a.drawing_id,
            "shape": a.shape.name,
            "qualityScore": a.quality,
            "nextShape": _shape(a.next_shape),
            "userStats": {
                "totalDrawings": a.stats.total,
                "sessionDrawings": a.stats.session,
                "todayDrawings": a.stats.today,
                "streak": a.streak.current,
                "bestStreak": a.streak.best,
            },
        },
        status_code=201,
        headers={"Idempotent-Replayed": "true"} if a.replayed else None,
    )


async def user_stats(request: Request) -> Response:
    app = _state(request)
    session = await app.live.get_session(_session_id(request))
    if session is None:
        return JSONResponse(
            {
                "totalDrawings": 0,
                "sessionDrawings": 0,
                "todayDrawings": 0,
                "streak": 0,
                "bestStreak": 0,
                "dayStreak": 0,
                "perShape": {},
            }
        )
    stats = await app.live.stats(session, utc_day())
    streak = await app.live.streak(session.user_id)
    return JSONResponse(
        {
            "nickname": session.nickname,
            "totalDrawings": stats.total,
            "sessionDrawings": stats.session,
            "todayDrawings": stats.today,
            "streak": streak.current,
            "bestStreak": streak.best,
            "dayStreak": streak.days,
            "perShape": {
                s.name: {
                    "session": stats.session_shapes.get(s.id, 0),
                    "today": stats.today_shapes.get(s.id, 0),
                }
                for s in SHAPES
            },
        }
    )
