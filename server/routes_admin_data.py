"""The admin data browser: pages of drawings, one drawing with its strokes, its thumbnail,
and curation (flag, soft delete, restore, quality override; singly or in bulk).

Every route here sits behind the admin guard (server/admin_api.py). Filters and bodies are
validated by game/drawing_query.py and game/curation.py, which report every bad field.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game.curation import Curation, parse_bulk, parse_flag, parse_quality
from game.cursor import encode_cursor
from game.drawing_query import DrawingFilter, parse_page
from game.errors import FieldError
from game.shapes import shape_by_id
from game.strokes import Stroke
from server.errors import BadRequest, NotFound
from server.http_body import read_json
from server.state import AppState
from server.thumbnails import (
    DEFAULT_SIZE,
    MAX_SIZE,
    MIN_SIZE,
    render_thumbnail,
    thumbnail_etag,
)
from store import admin_drawings
from store.admin_drawings import DrawingDetail, DrawingRow
from store.objects import ObjectNotFound
from store.records import CorruptRecord, StoredDrawing, decode_record

_MAX_SMALL_BODY = 4096
_MAX_BULK_BODY = 128 * 1024  # 1,000 ids of 38 characters, with room for the rest
_THUMBNAIL_CACHE = "private, max-age=31536000, immutable"


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.drawstream
    return state


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def item_json(r: DrawingRow) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "shape": shape_by_id(r.shape_id).name,
        "createdAt": _iso(r.created_at),
        "quality": round(r.quality, 4),
        "flagged": r.flagged,
        "flagReason": r.flag_reason,
        "deleted": r.deleted_at is not None,
        "deletedAt": _iso(r.deleted_at),
        "device": r.device,
        "synthetic": r.device == "synthetic",
        "sessionId": r.session_id,
        "strokeCount": r.stroke_count,
        "pointCount": r.point_count,
        "durationMs": r.duration_ms,
    }


def _rounded(values: npt.NDArray[np.float32], decimals: int) -> list[float]:
    """float32 values as short JSON numbers (0.01 px is far below what a screen shows)."""
    out: list[float] = np.round(values.astype(np.float64), decimals).tolist()
    return out


def stroke_json(s: Stroke) -> dict[str, Any]:
    return {
        "x": _rounded(s.x, 2),
        "y": _rounded(s.y, 2),
        "t": s.t.tolist(),  # ms since the drawing began: replay at the recorded pace
        "p": _rounded(s.p, 3),
        "color": s.color,
        "width": s.width,
    }


def _drawing_id(request: Request) -> uuid.UUID:
    value: uuid.UUID = request.path_params["drawing_id"]
    return value


async def _stored(app: AppState, drawing_id: uuid.UUID) -> tuple[DrawingDetail, StoredDrawing]:
    """The row and the decoded record, read with one ranged GET from its shard."""
    detail = await admin_drawings.drawing(app.admin_pool, drawing_id)
    if detail is None:
        raise NotFound(f"no drawing {drawing_id}")
    loc = detail.location
    try:
        blob = await app.services.objects.get_range(loc.shard_key, loc.offset, loc.length)
        return detail, decode_record(blob)
    except (ObjectNotFound, CorruptRecord) as exc:
        raise NotFound(f"the strokes of drawing {drawing_id} cannot be read: {exc}") from None


async def list_drawings(request: Request) -> Response:
    page_request = parse_page(request.query_params)
    page = await admin_drawings.browse(_state(request).admin_pool, page_request)
    return JSONResponse(
        {
            "items": [item_json(r) for r in page.rows],
            "nextCursor": None if page.next is None else encode_cursor(page.next),
        }
    )


async def get_drawing(request: Request) -> Response:
    detail, stored = await _stored(_state(request), _drawing_id(request))
    d = stored.drawing
    return JSONResponse(
        {
            **item_json(detail.row),
            "userId": str(detail.user_id),
            "flaggedAt": _iso(detail.flagged_at),
            "metadata": detail.metadata,
            "canvas": {"width": d.canvas_width, "height": d.canvas_height},
            "strokes": [stroke_json(s) for s in d.strokes],
        }
    )


def _size(request: Request) -> int:
    raw = request.query_params.get("size", str(DEFAULT_SIZE))
    if not raw.isdigit() or not MIN_SIZE <= int(raw) <= MAX_SIZE:
        raise BadRequest(
            "invalid thumbnail size",
            [FieldError("size", f"must be an integer from {MIN_SIZE} to {MAX_SIZE}")],
        )
    return int(raw)


async def thumbnail(request: Request) -> Response:
    drawing_id = _drawing_id(request)
    size = _size(request)
    etag = thumbnail_etag(str(drawing_id), size)
    headers = {"ETag": etag, "Cache-Control": _THUMBNAIL_CACHE}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    _, stored = await _stored(_state(request), drawing_id)
    return Response(render_thumbnail(stored.drawing, size), media_type="image/png", headers=headers)


async def _curate(request: Request, change: Curation) -> Response:
    drawing_id = _drawing_id(request)
    row = await admin_drawings.curate_one(_state(request).services.pool, drawing_id, change)
    if row is None:
        raise NotFound(f"no drawing {drawing_id}")
    return JSONResponse(item_json(row))


async def flag(request: Request) -> Response:
    return await _curate(request, parse_flag(await read_json(request, _MAX_SMALL_BODY)))


async def delete(request: Request) -> Response:
    return await _curate(request, Curation("delete"))


async def restore(request: Request) -> Response:
    return await _curate(request, Curation("restore"))


async def quality(request: Request) -> Response:
    return await _curate(request, parse_quality(await read_json(request, _MAX_SMALL_BODY)))


async def bulk(request: Request) -> Response:
    req = parse_bulk(await read_json(request, _MAX_BULK_BODY))
    pool = _state(request).services.pool
    if isinstance(req.target, DrawingFilter):
        # Drawings arriving while it runs are not swept in: the filter ends at "now".
        affected = await admin_drawings.curate_filter(
            pool, req.target, req.change, upto=datetime.now(UTC)
        )
    else:
        affected = await admin_drawings.curate_ids(pool, req.target, req.change)
    return JSONResponse({"affected": affected})
