"""`POST /api/inference/generate`: new drawings of a shape from the active generator model.

    {"shape": "circle" | 2, "count": 1-16 (1), "temperature": 0.1-2.0 (1.0), "seed": int?}
    -> {"drawings": [{"strokeData": {...}}], "shape", "seed", "temperature", "modelVersion",
        "generationTimeMs", "classifier"?: [{"shape", "confidence"}], "classifierVersion"?}

Each drawing is a submission's `strokeData` (device "generated", timestamps in ms from the
drawing's start) that passed the submission validation, so a client replays it, and could post
it, like any other. The same seed (with the same model, shape, count and temperature) gives
the same drawings; without one the server picks a seed and returns it, so any drawing can be
asked for again. `classifier` is what the active classifier thinks of each drawing, when one is
loaded. No active generator: 503 with Retry-After. Bad input: 400 naming every field.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game.errors import FieldError
from game.shapes import UnknownShape, shape_by_id, shape_by_name
from game.strokes import Drawing
from inference.batcher import BatcherClosed
from inference.generation import DEFAULT_TEMPERATURE
from inference.generation_service import (
    NoGeneratorLoaded,
    UnknownGeneratorShape,
)
from inference.service import NoModelLoaded
from server.drawing_json import stroke_data_json
from server.errors import BadRequest, Unavailable
from server.http_body import read_json
from server.state import AppState

MAX_COUNT = 16
MIN_TEMPERATURE = 0.1
MAX_TEMPERATURE = 2.0
# Seeds are JSON numbers: keep them exact in JavaScript too.
MAX_SEED = 2**53 - 1
_MAX_BODY = 4096
_FIELDS = frozenset({"shape", "count", "temperature", "seed"})


class NoGenerator(Unavailable):
    code = "no_model"


@dataclass(frozen=True, slots=True)
class GenerateRequest:
    shape_id: int
    count: int
    temperature: float
    seed: int | None


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shape(value: object, errors: list[FieldError]) -> int:
    try:
        if isinstance(value, str):
            return shape_by_name(value).id
        if isinstance(value, int) and not isinstance(value, bool):
            return shape_by_id(value).id
    except UnknownShape as exc:
        errors.append(FieldError("shape", str(exc)))
        return 0
    errors.append(FieldError("shape", 'a shape name (e.g. "circle") or id is required'))
    return 0


def parse_generate_request(body: object) -> GenerateRequest:
    """The request's fields, or a `BadRequest` listing every problem."""
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object", [FieldError("body", "an object")])
    errors = [FieldError(k, "unknown field") for k in sorted(set(body) - _FIELDS)]
    shape_id = _shape(body.get("shape"), errors)
    count = body.get("count", 1)
    if not _int(count) or not 1 <= count <= MAX_COUNT:
        errors.append(FieldError("count", f"an integer from 1 to {MAX_COUNT}"))
    temperature = body.get("temperature", DEFAULT_TEMPERATURE)
    if (
        not isinstance(temperature, int | float)
        or isinstance(temperature, bool)
        or not math.isfinite(temperature)
        or not MIN_TEMPERATURE <= temperature <= MAX_TEMPERATURE
    ):
        errors.append(
            FieldError("temperature", f"a number from {MIN_TEMPERATURE} to {MAX_TEMPERATURE}")
        )
    seed = body.get("seed")
    if seed is not None and (not _int(seed) or not 0 <= seed <= MAX_SEED):
        errors.append(FieldError("seed", f"an integer from 0 to {MAX_SEED}"))
    if errors:
        raise BadRequest("the generation request is invalid", errors)
    return GenerateRequest(shape_id, int(count), float(temperature), seed)


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.drawstream
    return state


async def _opinions(app: AppState, drawings: list[Drawing]) -> dict[str, Any]:
    """What the active classifier makes of each drawing; nothing when none is loaded."""
    if app.inference.model is None:
        return {}
    try:
        predictions = await app.inference.classify_batch(drawings)
    except (NoModelLoaded, BatcherClosed):  # unloaded or shutting down meanwhile
        return {}
    return {
        "classifier": [
            {"shape": shape, "confidence": round(confidence, 6)}
            for shape, confidence in (p.ranked()[0] for p in predictions)
        ],
        "classifierVersion": predictions[0].model.record.version,
    }


async def generate(request: Request) -> Response:
    app = _state(request)
    req = parse_generate_request(await read_json(request, _MAX_BODY))
    seed = req.seed if req.seed is not None else app.rng.randrange(MAX_SEED + 1)
    started = time.perf_counter()
    try:
        result = await app.generation.generate(req.shape_id, req.count, req.temperature, seed)
    except NoGeneratorLoaded as exc:
        raise NoGenerator(str(exc), retry_after_s=10) from None
    except UnknownGeneratorShape as exc:
        raise BadRequest(str(exc), [FieldError("shape", str(exc))]) from None
    elapsed_ms = (time.perf_counter() - started) * 1000
    return JSONResponse(
        {
            "drawings": [{"strokeData": stroke_data_json(d)} for d in result.drawings],
            "shape": shape_by_id(req.shape_id).name,
            "seed": seed,
            "temperature": req.temperature,
            "modelVersion": result.model.record.version,
            "generationTimeMs": round(elapsed_ms, 3),
            **await _opinions(app, result.drawings),
        }
    )
