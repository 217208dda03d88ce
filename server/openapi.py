"""The OpenAPI 3.1 document of the public HTTP API, served at `/api/openapi.json`.

Written by hand rather than generated: the handlers read raw JSON (no schema library), and a
hand-kept document reads like the contract it is. tests/test_inference_api.py fails when a
public route exists that this document does not describe, so the two cannot drift apart
silently. Admin routes (`/api/admin/*`, session cookie and CSRF token) are not part of the
public API and are not listed.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game.limits import Limits
from inference.generation import DEFAULT_TEMPERATURE
from server.routes_generation import (
    MAX_COUNT,
    MAX_SEED,
    MAX_TEMPERATURE,
    MIN_TEMPERATURE,
)
from server.routes_inference import MAX_BATCH_DRAWINGS

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error(description: str, retry_after: bool = False) -> dict[str, Any]:
    out = _json(_ref("Error"), description)
    if retry_after:
        out["headers"] = {
            "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}
        }
    return out


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


def _schemas(limits: Limits) -> dict[str, Any]:
    point = _obj(
        ["x", "y", "timestamp"],
        x={"type": "number", "description": "CSS pixels from the canvas's left edge"},
        y={"type": "number", "description": "CSS pixels from the canvas's top edge"},
        pressure={"type": "number", "minimum": 0, "maximum": 1, "default": 0.5},
        timestamp={"type": "integer", "description": "epoch milliseconds, non-decreasing"},
    )
    stroke = _obj(
        ["points"],
        points={
            "type": "array",
            "items": point,
            "minItems": 1,
            "maxItems": limits.max_points_per_stroke,
        },
        color={"type": "string", "pattern": "^#[0-9a-fA-F]{3,8}$", "default": "#1e1e1e"},
        width={"type": "number", "exclusiveMinimum": 0, "maximum": limits.max_stroke_width},
    )
    side = {"type": "integer", "minimum": limits.min_canvas, "maximum": limits.max_canvas}
    stroke_data = _obj(
        ["canvas", "strokes", "duration_ms"],
        canvas=_obj(["width", "height"], width=side, height=side),
        strokes={
            "type": "array",
            "items": stroke,
            "minItems": 1,
            "maxItems": limits.max_strokes,
            "description": f"at most {limits.max_points} points in all; every point within "
            f"{limits.coord_slack:g} canvas of the canvas",
        },
        duration_ms={"type": "integer", "minimum": 0, "maximum": limits.max_duration_ms},
        device={
            "type": "string",
            "enum": ["mouse", "touch", "pen", "synthetic", "generated", "unknown"],
            "default": "unknown",
        },
    )
    ranked = _obj(["shape", "confidence"], shape={"type": "string"}, confidence={"type": "number"})
    classification = _obj(
        ["shape", "confidence", "allPredictions"],
        shape={"type": "string", "description": "the most likely shape"},
        confidence={"type": "number", "minimum": 0, "maximum": 1},
        allPredictions={"type": "array", "items": ranked, "description": "every class, best first"},
    )
    shape = _obj(
        ["id", "name", "description"],
        id={"type": "integer"},
        name={"type": "string"},
        description={"type": "string"},
    )
    return {
        "Error": _obj(
            ["error", "message", "requestId"],
            error={"type": "string", "description": "stable machine-readable code"},
            message={"type": "string"},
            requestId={"type": "string", "description": "also in the X-Request-Id header"},
            details={
                "type": "array",
                "items": _obj(
                    ["field", "message"], field={"type": "string"}, message={"type": "string"}
                ),
                "description": "every problem found, each with its field path",
            },
        ),
        "StrokeData": stroke_data,
        "Shape": shape,
        "Classification": classification,
        "ClassifyResult": {
            "allOf": [
                classification,
                _obj(
                    ["inferenceTimeMs", "modelVersion"],
                    inferenceTimeMs={
                        "type": "number",
                        "description": "server-side: batching wait, rasterising and the model",
                    },
                    modelVersion={"type": "integer"},
                ),
            ]
        },
        "ModelInfo": _obj(
            ["id", "version", "shapes", "imageSize", "rasterVersion", "loadedAt"],
            id={"type": "string", "format": "uuid"},
            kind={"type": "string", "enum": ["classifier"]},
            version={"type": "integer"},
            shapes={
                "type": "array",
                "items": _obj(["id", "name"], id={"type": "integer"}, name={"type": "string"}),
            },
            accuracy={"type": ["number", "null"], "description": "holdout accuracy"},
            metrics={
                "type": "object",
                "description": "training metrics (accuracy, loss, "
                "per-class precision and recall, confusion matrix)",
            },
            imageSize={"type": "integer"},
            rasterVersion={"type": "integer"},
            createdAt={"type": "string", "format": "date-time"},
            activatedAt={"type": ["string", "null"], "format": "date-time"},
            loadedAt={"type": "string", "format": "date-time"},
            loadMs={"type": "number"},
        ),
    }


def _session_header(required: bool) -> dict[str, Any]:
    return {
        "name": "X-Session-Id",
        "in": "header",
        "required": required,
        "description": "the player's session (8-64 characters of A-Z a-z 0-9 _ -)",
        "schema": {"type": "string"},
    }


def _generate_path(bad: dict[str, Any]) -> dict[str, Any]:
    """`POST /api/inference/generate` (server/routes_generation.py)."""
    number = {"type": "number"}
    return {
        "post": {
            "summary": "New drawings of a shape from the active generator model, as strokes "
            '(device "generated"); the same seed gives the same drawings',
            "requestBody": {
                "required": True,
                "content": {
                    JSON: {
                        "schema": _obj(
                            ["shape"],
                            shape={
                                "type": ["string", "integer"],
                                "description": 'a shape name ("circle") or id',
                            },
                            count={"type": "integer", "minimum": 1, "maximum": MAX_COUNT},
                            temperature={
                                **number,
                                "minimum": MIN_TEMPERATURE,
                                "maximum": MAX_TEMPERATURE,
                                "default": DEFAULT_TEMPERATURE,
                                "description": "spread: low is typical, high is unusual",
                            },
                            seed={"type": "integer", "minimum": 0, "maximum": MAX_SEED},
                        )
                    }
                },
            },
            "responses": {
                "200": _json(
                    _obj(
                        ["drawings", "shape", "seed", "temperature", "modelVersion"],
                        drawings={
                            "type": "array",
                            "items": _obj(["strokeData"], strokeData=_ref("StrokeData")),
                            "description": "timestamps are ms from the drawing's start",
                        },
                        shape={"type": "string"},
                        seed={"type": "integer", "description": "the one used (picked if absent)"},
                        temperature=number,
                        modelVersion={"type": "integer", "description": "the generator's"},
                        generationTimeMs=number,
                        classifier={
                            "type": "array",
                            "items": _obj(
                                ["shape", "confidence"], shape={"type": "string"}, confidence=number
                            ),
                            "description": "the active classifier's top answer for each drawing "
                            "(absent when no classifier is loaded)",
                        },
                        classifierVersion={"type": "integer"},
                    ),
                    "the drawings, each valid as a submission",
                ),
                "400": bad,
                "503": _error("no generator model is active yet", retry_after=True),
            },
        }
    }


def _paths() -> dict[str, Any]:
    bad = _error("invalid input; `details` lists every problem")
    no_model = _error("no model is loaded yet", retry_after=True)
    too_large = _error("body over the size limit")
    stats = _obj(
        ["totalDrawings", "sessionDrawings"],
        nickname={"type": "string"},
        totalDrawings={"type": "integer"},
        sessionDrawings={"type": "integer"},
        todayDrawings={"type": "integer"},
        streak={"type": "integer"},
        bestStreak={"type": "integer"},
        dayStreak={"type": "integer"},
        perShape={
            "type": "object",
            "additionalProperties": _obj(
                ["session", "today"], session={"type": "integer"}, today={"type": "integer"}
            ),
        },
    )
    health = {"type": "object", "additionalProperties": True}
    return {
        "/api/shapes": {
            "get": {
                "summary": "The shape catalogue players draw and models learn",
                "responses": {
                    "200": _json(
                        _obj(
                            ["shapes"],
                            shapes={
                                "type": "array",
                                "items": {
                                    "allOf": [
                                        _ref("Shape"),
                                        _obj(["difficulty"], difficulty={"type": "integer"}),
                                    ]
                                },
                            },
                        ),
                        "the shapes",
                    )
                },
            }
        },
        "/api/drawings": {
            "post": {
                "summary": "Submit a finished drawing (replays with the same key are answered "
                "with the same id)",
                "parameters": [
                    _session_header(True),
                    {
                        "name": "X-Idempotency-Key",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string", "maxLength": 128},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {
                            "schema": _obj(
                                ["shapeId", "strokeData"],
                                shapeId={"type": "integer"},
                                strokeData=_ref("StrokeData"),
                            )
                        }
                    },
                },
                "responses": {
                    "201": _json(
                        _obj(
                            ["id", "shape", "qualityScore", "nextShape", "userStats"],
                            id={"type": "string", "format": "uuid"},
                            shape={"type": "string"},
                            qualityScore={"type": "number"},
                            nextShape=_ref("Shape"),
                            userStats=stats,
                        ),
                        "accepted and durable (header Idempotent-Replayed: true on a replay)",
                    ),
                    "400": bad,
                    "413": too_large,
                    "429": _error("too many drawings; slow down", retry_after=True),
                    "503": _error("storage is unavailable", retry_after=True),
                },
            }
        },
        "/api/user/stats": {
            "get": {
                "summary": "The session's counts, streaks and per-shape progress",
                "parameters": [_session_header(True)],
                "responses": {"200": _json(stats, "the player's statistics"), "400": bad},
            }
        },
        "/api/inference/model/info": {
            "get": {
                "summary": "The classifier this server serves",
                "responses": {"200": _json(_ref("ModelInfo"), "the loaded model"), "503": no_model},
            }
        },
        "/api/inference/classify": {
            "post": {
                "summary": "Classify one drawing (same validation and limits as a submission)",
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {"schema": _obj(["strokeData"], strokeData=_ref("StrokeData"))}
                    },
                },
                "responses": {
                    "200": _json(_ref("ClassifyResult"), "the prediction"),
                    "400": bad,
                    "413": too_large,
                    "503": no_model,
                },
            }
        },
        "/api/inference/classify/batch": {
            "post": {
                "summary": f"Classify 1-{MAX_BATCH_DRAWINGS} drawings with one model in one call",
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {
                            "schema": _obj(
                                ["drawings"],
                                drawings={
                                    "type": "array",
                                    "minItems": 1,
                                    "maxItems": MAX_BATCH_DRAWINGS,
                                    "items": _obj(["strokeData"], strokeData=_ref("StrokeData")),
                                },
                            )
                        }
                    },
                },
                "responses": {
                    "200": _json(
                        _obj(
                            ["predictions", "inferenceTimeMs", "modelVersion"],
                            predictions={
                                "type": "array",
                                "items": _ref("Classification"),
                                "description": "in the order of `drawings`",
                            },
                            inferenceTimeMs={"type": "number"},
                            modelVersion={"type": "integer"},
                        ),
                        "one prediction per drawing",
                    ),
                    "400": _error("invalid input; fields are prefixed with `drawings[i].`"),
                    "413": too_large,
                    "503": no_model,
                },
            }
        },
        "/api/inference/generate": _generate_path(bad),
        "/api/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")},
            }
        },
        "/health": {
            "get": {
                "summary": "Every dependency with its latency, the ingest backlog and the model "
                "(`model.error` names an activated model that failed to load)",
                "responses": {"200": _json(health, "healthy"), "503": _json(health, "degraded")},
            }
        },
        "/health/live": {
            "get": {
                "summary": "The process is up",
                "responses": {"200": _json(health, "alive")},
            }
        },
        "/health/ready": {
            "get": {
                "summary": "PostgreSQL, Redis and the object store all answer",
                "responses": {"200": _json(health, "ready"), "503": _json(health, "not ready")},
            }
        },
        "/metrics": {
            "get": {
                "summary": "Prometheus metrics of this process",
                "responses": {
                    "200": {
                        "description": "text exposition format",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
    }


def document(limits: Limits) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Drawstream",
            "version": "1",
            "description": "Crowdsourced drawings in, shape models out. Errors everywhere are "
            "`{error, message, details?, requestId}`. WebSockets (/ws/play, /ws/watch, "
            "/ws/classify) are described in docs/ws-protocol.md.",
        },
        "paths": _paths(),
        "components": {"schemas": _schemas(limits)},
    }


async def openapi_json(request: Request) -> Response:
    limits: Limits = request.app.state.drawstream.settings.limits
    return JSONResponse(document(limits), headers={"Cache-Control": "public, max-age=300"})
