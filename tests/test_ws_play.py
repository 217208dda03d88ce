"""The /ws/play socket against a real server: the game flow and every error frame."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from dataclasses import replace
from typing import Any

import msgpack
import pytest

from game.identity import drawing_id
from server.export import export_ndjson
from store import keys
from tests.fixtures import LiveServer, circle_drawing, two_strokes, wait_for_rows
from tests.wsclient import PlayClient, nan_stroke, points_frame, submit_frame
from workers.flusher import Flusher


async def test_hello_draw_submit_ack_and_replay(live_server: LiveServer) -> None:
    c = await PlayClient.open(live_server.ws_url)
    welcome = await c.hello()
    assert welcome["prompt"]["name"] in {"line", "circle", "square", "triangle", "heart"}
    session = welcome["session"]
    d = circle_drawing()
    await c.draw(d)
    ack = await c.submit(d, "key-1")
    assert ack["type"] == "ack", ack
    assert ack["id"] == str(drawing_id(session, "key-1"))
    assert ack["shape"] == "circle"
    assert ack["next"]["name"] != "circle"
    assert ack["stats"] == {"total": 1, "session": 1, "today": 1}
    assert ack["streak"]["current"] == 1 and ack["streak"]["days"] == 1
    replay = await c.submit(d, "key-1", with_strokes=True)
    assert replay["id"] == ack["id"] and replay["stats"]["total"] == 1
    await c.close()

    resumed = await PlayClient.open(live_server.ws_url)
    again = await resumed.hello(session=session)
    assert again["session"] == session and again["stats"]["total"] == 1
    outbox = await resumed.submit(d, "key-1", with_strokes=True)
    assert outbox["id"] == ack["id"]
    await resumed.close()


async def test_an_expired_session_is_recreated_under_the_same_id(
    live_server: LiveServer, svc: Any
) -> None:
    c = await PlayClient.open(live_server.ws_url)
    session = (await c.hello())["session"]
    d = circle_drawing()
    first = await c.submit(d, "offline-1", with_strokes=True)
    await c.close()
    await svc.redis.delete(keys.session(session))
    back = await PlayClient.open(live_server.ws_url)
    assert (await back.hello(session=session))["session"] == session
    assert (await back.submit(d, "offline-1", with_strokes=True))["id"] == first["id"]
    await back.close()


async def test_streamed_undo_and_outbox_strokes_are_what_gets_stored(
    live_server: LiveServer, flusher: Flusher
) -> None:
    c = await PlayClient.open(live_server.ws_url)
    await c.hello()
    d = two_strokes()
    await c.draw(d)
    await c.send({"type": "undo"})
    kept = replace(d, strokes=d.strokes[:1])
    streamed = await c.submit(kept, "streamed")
    outboxed = await c.submit(d, "outbox", with_strokes=True)
    await c.close()
    assert await wait_for_rows(live_server.settings.database_url or "", 2) == 2
    out = io.StringIO()
    await export_ndjson(live_server.settings, out)
    rows = {r["key_id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert len(rows[streamed["id"]]["drawing"]) == 1
    assert len(rows[outboxed["id"]]["drawing"]) == 2
    assert rows[outboxed["id"]]["drawing"][1][2] == [int(t) for t in d.strokes[1].t]


async def _error_for(c: PlayClient, frame: Any, raw: bytes | str | None = None) -> dict[str, Any]:
    if raw is not None:
        await c.ws.send(raw)
    else:
        await c.send(frame)
    reply = await c.recv_type("never")
    assert reply["type"] == "error"
    return reply


@pytest.mark.parametrize(
    ("raw", "frame", "code", "field"),
    [
        ("hello", None, "text_frame", None),
        (b"\xc1\xff\x00", None, "bad_frame", "frame"),
        (msgpack.packb([1, 2]), None, "bad_frame", "frame"),
        (None, {"type": "dance"}, "bad_frame", "type"),
        (None, {"kind": "points"}, "bad_frame", "type"),
        (None, {"type": "points", "stroke": 0}, "bad_frame", "x"),
        (
            None,
            {"type": "points", "stroke": "0", "x": b"", "y": b"", "t": b""},
            "bad_frame",
            "stroke",
        ),
        (None, {"type": "points", "stroke": 0, "x": b"abc", "y": b"", "t": b""}, "bad_frame", "x"),
        (
            None,
            {"type": "points", "stroke": 0, "x": b"\0" * 8, "y": b"\0" * 4, "t": b"\0" * 8},
            "bad_frame",
            "x",
        ),
        (
            None,
            {"type": "points", "stroke": 5, "x": b"\0" * 4, "y": b"\0" * 4, "t": b"\0" * 4},
            "bad_frame",
            "stroke",
        ),
        (
            None,
            {"type": "submit", "key": "k", "shape": 2, "canvas": [400], "duration_ms": 5},
            "bad_frame",
            "canvas",
        ),
        (
            None,
            {"type": "submit", "key": "k", "shape": 2, "canvas": [400, 400], "duration_ms": 5},
            "invalid_drawing",
            "strokes",
        ),
        (
            None,
            {
                "type": "submit",
                "key": "",
                "shape": 2,
                "canvas": [400, 400],
                "duration_ms": 5,
                "strokes": [],
            },
            "invalid_drawing",
            "X-Idempotency-Key",
        ),
    ],
)
async def test_bad_frames_get_precise_errors_and_the_socket_stays_up(
    live_server: LiveServer, raw: Any, frame: Any, code: str, field: str | None
) -> None:
    c = await PlayClient.open(live_server.ws_url)
    await c.hello()
    err = await _error_for(c, frame, raw)
    assert err["code"] == code, err
    if field:
        assert any(d["field"] == field for d in err.get("details", [])), err
    await c.send({"type": "ping"})
    assert (await c.recv())["type"] == "pong"
    d = circle_drawing()
    await c.draw(d)
    assert (await c.submit(d, "after-error"))["type"] == "ack"
    await c.close()


async def test_frames_before_hello_and_invalid_submissions(live_server: LiveServer) -> None:
    c = await PlayClient.open(live_server.ws_url)
    s = circle_drawing().strokes[0]
    err = await _error_for(c, points_frame(0, s, 0, 4))
    assert err["code"] == "no_session"
    await c.hello()
    bad = replace(circle_drawing(), strokes=(nan_stroke(s),))
    err = await _error_for(c, submit_frame(bad, "nan", with_strokes=True))
    assert err["code"] == "invalid_drawing" and err["key"] == "nan"
    assert err["details"][0]["field"] == "strokes[0].points.x"
    wrong_shape = replace(circle_drawing(), shape_id=42)
    err = await _error_for(c, submit_frame(wrong_shape, "shape", with_strokes=True))
    assert err["details"][0]["field"] == "shapeId"
    await c.close()


async def test_point_limits_and_frame_rate(live_server: LiveServer) -> None:
    limits = live_server.settings.limits
    c = await PlayClient.open(live_server.ws_url)
    await c.hello()
    n = limits.max_points_per_stroke + 1
    big = {
        "type": "points",
        "stroke": 0,
        "x": b"\0" * 4 * n,
        "y": b"\0" * 4 * n,
        "t": b"\0" * 4 * n,
    }
    assert (await _error_for(c, big))["code"] == "too_large"
    huge = b"\x00" * (limits.max_payload_bytes + 1)
    assert (await _error_for(c, None, huge))["code"] == "too_large"
    codes: set[str] = set()
    for _ in range(limits.max_frames_per_second + 20):
        await c.send({"type": "ping"})
    # Every ping gets one reply, pong or rate_limited; read them all so the close is prompt.
    with contextlib.suppress(TimeoutError):
        while True:
            codes.add((await asyncio.wait_for(c.recv(), 1)).get("code", "pong"))
    assert codes == {"pong", "rate_limited"}
    await c.close()
