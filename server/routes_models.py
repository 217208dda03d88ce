"""`/api/admin/models*`: the trained versions and which one serves (behind AdminGuard).

- `GET /models?kind=classifier`: every version of the kind, newest first (at most 100), with
  metrics and dataset snapshot as training recorded them (store/models.py, and
  workers/training/documents.py for the documents).
- `POST /models/{id}/activate`: make it the one active model of its kind, in one transaction,
  then tell every server (store/models.py: `activate_and_announce`); servers load it beside
  the old one and swap. Rolling back is activating the older version. Admins see the
  activation on /ws/admin as `{"type": "model_activated", ...}`, then each server's
  `model_loaded` or `model_error`.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game.errors import FieldError
from server.admin_guard import current_admin
from server.errors import BadRequest, NotFound
from server.state import AppState
from store.keys import ADMIN_CHANNEL
from store.models import (
    CLASSIFIER,
    GENERATOR,
    ModelNotFound,
    ModelRow,
    activate_and_announce,
    models_page,
)

log = logging.getLogger("drawstream.models")

_KINDS = (CLASSIFIER, GENERATOR)


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.drawstream
    return state


def model_row_json(row: ModelRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "kind": row.kind,
        "version": row.version,
        "isActive": row.is_active,
        "accuracy": row.accuracy,
        "metrics": row.metrics,
        "dataset": row.dataset,
        "artifactKey": row.artifact_key,
        "metadataKey": row.metadata_key,
        "jobId": str(row.job_id) if row.job_id else None,
        "createdAt": row.created_at.isoformat(),
        "activatedAt": row.activated_at.isoformat() if row.activated_at else None,
    }


async def list_models(request: Request) -> Response:
    kind = request.query_params.get("kind", CLASSIFIER)
    if kind not in _KINDS:
        raise BadRequest("bad kind", [FieldError("kind", f"one of {', '.join(_KINDS)}")])
    rows = await models_page(_state(request).services.pool, kind)
    return JSONResponse({"models": [model_row_json(r) for r in rows]})


async def activate(request: Request) -> Response:
    app = _state(request)
    admin = current_admin(request)
    model_id: uuid.UUID = request.path_params["model_id"]
    try:
        row = await activate_and_announce(app.services.pool, app.feed, model_id)
    except ModelNotFound:
        raise NotFound(f"no model {model_id}") from None
    log.info("model %s v%s activated by %s", row.kind, row.version, admin.email)
    await app.feed.publish(
        ADMIN_CHANNEL,
        {
            "type": "model_activated",
            "kind": row.kind,
            "modelId": str(row.id),
            "version": row.version,
            "by": admin.email,
        },
    )
    return JSONResponse(model_row_json(row))
