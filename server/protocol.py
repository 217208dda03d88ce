"""The `/ws/play` frames and their msgpack encoding (documented in docs/ws-protocol.md,
mirrored by client/src/protocol.ts).

Decoding is strict: a frame is a msgpack map with a known `type` and correctly typed fields,
point arrays are little-endian bins of whole elements and equal length. Anything else raises
InvalidFrame naming the field, and the socket answers with an error frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgpack
import numpy as np

from game.errors import FieldError, InvalidFrame
from game.limits import Limits
from game.strokes import Stroke


@dataclass(frozen=True, slots=True)
class Hello:
    session: str | None
    user: str | None
    device: str


@dataclass(frozen=True, slots=True)
class Points:
    stroke: int
    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    p: np.ndarray
    color: str | None
    width: float | None


@dataclass(frozen=True, slots=True)
class End:
    stroke: int


@dataclass(frozen=True, slots=True)
class Undo:
    pass


@dataclass(frozen=True, slots=True)
class Clear:
    pass


@dataclass(frozen=True, slots=True)
class Ping:
    pass


@dataclass(frozen=True, slots=True)
class Submit:
    key: str
    shape: int
    canvas: tuple[int, int]
    duration_ms: int
    started_at: int | None
    strokes: tuple[Stroke, ...] | None
    device: str | None


ClientFrame = Hello | Points | End | Undo | Clear | Ping | Submit


def _bad(field: str, message: str) -> InvalidFrame:
    return InvalidFrame(f"bad frame: {field} {message}", [FieldError(field, message)])


def _get(
    m: dict[str, Any], name: str, kind: type | tuple[type, ...], optional: bool = False
) -> Any:
    if name not in m or m[name] is None:
        if optional:
            return None
        raise _bad(name, "is required")
    v = m[name]
    if (isinstance(v, bool) and kind is not bool) or not isinstance(v, kind):
        raise _bad(name, f"has the wrong type ({type(v).__name__})")
    return v


def _array(m: dict[str, Any], name: str, dtype: str) -> np.ndarray:
    raw = _get(m, name, bytes)
    if len(raw) % 4:
        raise _bad(name, "is not a whole number of 4-byte elements")
    return np.frombuffer(raw, dtype=dtype)


def _points(m: dict[str, Any], where: str = "") -> tuple[np.ndarray, ...]:
    x, y, t = _array(m, "x", "<f4"), _array(m, "y", "<f4"), _array(m, "t", "<u4")
    p = _array(m, "p", "<f4") if m.get("p") is not None else np.full(x.shape, 0.5, "<f4")
    if not (len(x) == len(y) == len(t) == len(p)):
        raise _bad(f"{where}x", "x, y, t and p differ in length")
    return x, y, t, p


def _stroke_of(raw: Any, i: int) -> Stroke:
    if not isinstance(raw, dict):
        raise _bad(f"strokes[{i}]", "must be a map")
    x, y, t, p = _points(raw, f"strokes[{i}].")
    color = _get(raw, "color", str, optional=True) or "#1e1e1e"
    width = _get(raw, "width", (int, float), optional=True)
    return Stroke(x, y, t, p, color, 3.0 if width is None else float(width))


def decode(frame: bytes, limits: Limits) -> ClientFrame:
    try:
        m = msgpack.unpackb(
            frame,
            raw=False,
            max_bin_len=limits.max_payload_bytes,
            max_str_len=4096,
            max_array_len=limits.max_strokes + 8,
            max_map_len=32,
        )
    except (ValueError, msgpack.UnpackException) as exc:
        raise _bad("frame", f"is not valid msgpack ({exc.__class__.__name__})") from None
    if not isinstance(m, dict):
        raise _bad("frame", "must be a map")
    kind = _get(m, "type", str)
    if kind == "points":
        x, y, t, p = _points(m)
        width = _get(m, "width", (int, float), optional=True)
        return Points(
            _get(m, "stroke", int),
            x,
            y,
            t,
            p,
            _get(m, "color", str, optional=True),
            None if width is None else float(width),
        )
    if kind == "end":
        return End(_get(m, "stroke", int))
    if kind == "submit":
        canvas = _get(m, "canvas", list)
        if len(canvas) != 2 or not all(
            isinstance(c, int) and not isinstance(c, bool) for c in canvas
        ):
            raise _bad("canvas", "must be [width, height] integers")
        raw_strokes = _get(m, "strokes", list, optional=True)
        if raw_strokes is not None and len(raw_strokes) > limits.max_strokes:
            raise _bad("strokes", f"at most {limits.max_strokes} strokes")
        return Submit(
            key=_get(m, "key", str),
            shape=_get(m, "shape", int),
            canvas=(canvas[0], canvas[1]),
            duration_ms=_get(m, "duration_ms", int),
            started_at=_get(m, "started_at", int, optional=True),
            device=_get(m, "device", str, optional=True),
            strokes=None
            if raw_strokes is None
            else tuple(_stroke_of(s, i) for i, s in enumerate(raw_strokes)),
        )
    if kind == "hello":
        return Hello(
            _get(m, "session", str, optional=True),
            _get(m, "user", str, optional=True),
            _get(m, "device", str, optional=True) or "unknown",
        )
    if kind == "undo":
        return Undo()
    if kind == "clear":
        return Clear()
    if kind == "ping":
        return Ping()
    raise _bad("type", f"unknown frame type {kind!r}")


def encode(frame: dict[str, Any]) -> bytes:
    packed: bytes = msgpack.packb(frame, use_bin_type=True)
    return packed


def error_frame(
    code: str, message: str, details: list[FieldError] | None = None, key: str | None = None
) -> dict[str, Any]:
    f: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if details:
        f["details"] = [{"field": d.field, "message": d.message} for d in details]
    if key is not None:
        f["key"] = key
    return f
