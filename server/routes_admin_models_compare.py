"""`GET /api/admin/models/compare?a=ID&b=ID`: two classifiers side by side.

Each side carries what training recorded in its models row (metrics: accuracy, per-class
precision and recall, confusion matrix; the dataset snapshot) plus its class order, which
labels those per-class lists. Then both models run on the same evaluation sample (up to 500
live, unflagged drawings, store/evaluation.py) and every drawing whose top-1 answer differs
is listed, with each model's answer and confidence; `sampleAccuracy` is each model's share
of the sample answered with the drawing's own shape.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game.errors import FieldError
from game.shapes import shape_by_id
from inference.compare import ModelAnswers, compare_models
from inference.runtime import ModelLoadError
from server.errors import ApiError, BadRequest, NotFound
from server.state import AppState
from store.evaluation import evaluation_sample, read_drawings
from store.models import CLASSIFIER, ModelRow, model_by_id
from store.objects import ObjectNotFound


class ModelUnusable(ApiError):
    """A models row whose artifact does not load as a classifier."""

    status = 409
    code = "model_unusable"


def _model_id(request: Request, name: str, errors: list[FieldError]) -> uuid.UUID | None:
    raw = request.query_params.get(name, "")
    try:
        return uuid.UUID(raw)
    except ValueError:
        errors.append(FieldError(name, "must be a model id (UUID)"))
        return None


async def _row(app: AppState, model_id: uuid.UUID) -> ModelRow:
    row = await model_by_id(app.services.pool, model_id)
    if row is None:
        raise NotFound(f"no model {model_id}")
    if row.kind != CLASSIFIER:
        raise BadRequest(
            "only classifiers can be compared", [FieldError("id", f"{model_id} is a {row.kind}")]
        )
    return row


def _side(row: ModelRow, answers: ModelAnswers, labels: list[str]) -> dict[str, Any]:
    hits = sum(t.shape == label for t, label in zip(answers.top, labels, strict=True))
    return {
        "id": str(row.id),
        "version": row.version,
        "isActive": row.is_active,
        "createdAt": row.created_at.isoformat(),
        "shapes": list(answers.shapes),
        "metrics": row.metrics,
        "dataset": row.dataset,
        "sampleAccuracy": round(hits / len(labels), 4) if labels else None,
    }


async def compare(request: Request) -> Response:
    app: AppState = request.app.state.drawstream
    errors: list[FieldError] = []
    a_id, b_id = _model_id(request, "a", errors), _model_id(request, "b", errors)
    if a_id is None or b_id is None:
        raise BadRequest("two model ids are required", errors)
    a, b = await _row(app, a_id), await _row(app, b_id)
    objects = app.services.objects
    try:
        blob_a, blob_b = await asyncio.gather(
            objects.get(a.artifact_key), objects.get(b.artifact_key)
        )
    except ObjectNotFound as exc:
        raise ModelUnusable(f"a model's artifact is missing: {exc}") from None
    stored = await read_drawings(objects, await evaluation_sample(app.admin_pool))
    drawings = [s.drawing for _, s in stored]
    try:
        ans_a, ans_b = await asyncio.to_thread(compare_models, blob_a, blob_b, drawings)
    except ModelLoadError as exc:
        raise ModelUnusable(f"a model cannot be loaded: {exc}") from None
    labels = [shape_by_id(d.shape_id).name for d in drawings]
    changed = [
        {
            "drawingId": str(loc.id),
            "shape": label,
            "a": {"shape": ta.shape, "confidence": round(ta.confidence, 4)},
            "b": {"shape": tb.shape, "confidence": round(tb.confidence, 4)},
        }
        for (loc, _), label, ta, tb in zip(stored, labels, ans_a.top, ans_b.top, strict=True)
        if ta.shape != tb.shape
    ]
    return JSONResponse(
        {
            "a": _side(a, ans_a, labels),
            "b": _side(b, ans_b, labels),
            "changed": changed,
            "evaluated": len(drawings),
        }
    )
