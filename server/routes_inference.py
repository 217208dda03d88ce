"""`/api/inference/*`: the live classifier over HTTP (documented in server/openapi.py).

Input is the `strokeData` of a submission and passes the same parsing, validation and limits,
so a drawing the game would accept is exactly a drawing the API classifies, and a bad one is
a 400 naming every problem. A request while no model is loaded is a 503 with Retry-After.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from game.errors import FieldError, InvalidDrawing
from game.limits import Limits
from game.strokes import Drawing
from game.validation import validate_drawing
from inference.registry import ServingModel
from inference.service import Prediction
from server.drawing_decoder import decode_drawing, decode_drawing_list
from server.drawing_json import parse_drawing
from server.errors import BadRequest
from server.http_body import parse_json, read_body
from server.responses import FastJSONResponse
from server.state import AppState
from store.models import ModelRow

# Drawings per batch request: one request's drawings run as one model call, so this also
# bounds how long one caller can hold the inference thread (~3 ms at 64).
MAX_BATCH_DRAWINGS = 64
# A batch body may be this many times a single drawing's limit (4 MiB by default): room for
# 64 ordinary drawings, while each one still passes the per-drawing limits.
BATCH_BODY_FACTOR = 8


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.drawstream
    return state


def model_json(model: ServingModel[ModelRow]) -> dict[str, Any]:
    row, spec = model.record, model.classifier.spec
    return {
        "id": str(row.id),
        "kind": row.kind,
        "version": row.version,
        "shapes": [
            {"id": i, "name": n} for i, n in zip(spec.shape_ids, spec.shape_names, strict=True)
        ],
        "accuracy": row.accuracy,
        "metrics": row.metrics,
        "imageSize": spec.image_size,
        "rasterVersion": spec.raster_version,
        "createdAt": row.created_at.isoformat(),
        "activatedAt": row.activated_at.isoformat() if row.activated_at else None,
        "loadedAt": model.loaded_at.isoformat(),
        "loadMs": round(model.load_ms, 1),
    }


def prediction_json(p: Prediction[ModelRow]) -> dict[str, Any]:
    ranked = p.ranked()
    return {
        "shape": ranked[0][0],
        "confidence": round(ranked[0][1], 6),
        "allPredictions": [{"shape": n, "confidence": round(c, 6)} for n, c in ranked],
    }


def _parsed(body: Any, limits: Limits, where: str) -> Drawing:
    """One drawing of a batch body that the typed decoder refused, parsed and validated,
    with field paths prefixed by `where`."""
    try:
        drawing = parse_drawing(body, limits, shape_field="")
        validate_drawing(drawing, limits)
    except InvalidDrawing as exc:
        raise InvalidDrawing(
            exc.message, [FieldError(f"{where}{d.field}", d.message) for d in exc.details]
        ) from None
    return drawing


async def model_info(request: Request) -> Response:
    return FastJSONResponse(model_json(_state(request).inference.require_model()))


async def classify(request: Request) -> Response:
    app = _state(request)
    limits = app.settings.limits
    drawing = decode_drawing(await read_body(request, limits.max_payload_bytes), limits, False)
    validate_drawing(drawing, limits)
    started = time.perf_counter()
    [prediction] = await app.inference.classify_batch([drawing])
    return FastJSONResponse(
        {
            **prediction_json(prediction),
            "inferenceTimeMs": round((time.perf_counter() - started) * 1000, 3),
            "modelVersion": prediction.model.record.version,
        }
    )


def _drawings(body: bytes, limits: Limits) -> list[Drawing]:
    """The typed decoder's drawings when all are valid; otherwise the body is parsed again
    the slow way, so the 400 names every problem of every drawing with its index."""
    typed = decode_drawing_list(body, limits, MAX_BATCH_DRAWINGS)
    if typed is not None:
        try:
            for drawing in typed:
                validate_drawing(drawing, limits)
            return typed
        except InvalidDrawing:
            pass
    return _parsed_list(parse_json(body), limits)


def _parsed_list(body: Any, limits: Limits) -> list[Drawing]:
    raw = body.get("drawings") if isinstance(body, dict) else None
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_BATCH_DRAWINGS:
        raise BadRequest(
            "drawings is required",
            [FieldError("drawings", f"must be a list of 1-{MAX_BATCH_DRAWINGS} drawings")],
        )
    drawings: list[Drawing] = []
    problems: list[FieldError] = []
    for i, item in enumerate(raw):
        try:
            drawings.append(_parsed(item, limits, f"drawings[{i}]."))
        except InvalidDrawing as exc:
            problems.extend(exc.details)
    if problems:  # every problem of every drawing, in one answer
        raise InvalidDrawing("some drawings are not valid", problems)
    return drawings


async def classify_batch(request: Request) -> Response:
    app = _state(request)
    limits = app.settings.limits
    body = await read_body(request, limits.max_payload_bytes * BATCH_BODY_FACTOR)
    drawings = _drawings(body, limits)
    started = time.perf_counter()
    predictions = await app.inference.classify_batch(drawings)
    return FastJSONResponse(
        {
            "predictions": [prediction_json(p) for p in predictions],
            "inferenceTimeMs": round((time.perf_counter() - started) * 1000, 3),
            "modelVersion": predictions[0].model.record.version,
        }
    )
