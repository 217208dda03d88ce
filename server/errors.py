"""HTTP errors and the one place where every exception becomes a response.

Every error body has the same shape: `{"error": CODE, "message", "details"?, "requestId"}`.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game.errors import DomainError, FieldError
from store.objects import ObjectStoreError

log = logging.getLogger("drawstream.errors")


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        details: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers = headers or {}


class BadRequest(ApiError):
    pass


class PayloadTooLarge(ApiError):
    status = 413
    code = "too_large"


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Conflict(ApiError):
    status = 409
    code = "conflict"


class RateLimited(ApiError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after_s)})


class Unavailable(ApiError):
    status = 503
    code = "unavailable"

    def __init__(self, message: str, retry_after_s: int = 5) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after_s)})


def error_body(
    code: str, message: str, request_id: str, details: list[FieldError] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"error": code, "message": message, "requestId": request_id}
    if details:
        body["details"] = [{"field": d.field, "message": d.message} for d in details]
    return body


def _rid(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        error_body(exc.code, exc.message, _rid(request), exc.details),
        status_code=exc.status,
        headers=exc.headers,
    )


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return JSONResponse(
        error_body(exc.code, exc.message, _rid(request), exc.details), status_code=400
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    return JSONResponse(
        error_body(codes.get(exc.status_code, "http_error"), str(exc.detail), _rid(request)),
        status_code=exc.status_code,
        headers=exc.headers,
    )


async def _storage_error(request: Request, exc: Exception) -> Response:
    log.error("storage unavailable: %s", exc)
    return JSONResponse(
        error_body("unavailable", "storage is unavailable, retry later", _rid(request)),
        status_code=503,
        headers={"Retry-After": "5"},
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(
        error_body("internal", "internal error", _rid(request)), status_code=500
    )


def exception_handlers() -> dict[Any, Any]:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return {
        ApiError: _api_error,
        DomainError: _domain_error,
        HTTPException: _http_error,
        ObjectStoreError: _storage_error,
        RedisConnectionError: _storage_error,
        RedisTimeoutError: _storage_error,
        OSError: _storage_error,
        Exception: _unexpected,
    }
