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
from inference.batcher import BatcherClosed
from inference.service import NoModelLoaded
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


class CsrfFailed(Forbidden):
    """A state-changing admin request without the session's CSRF token, or from a foreign
    Origin (server/csrf.py)."""

    code = "csrf_failed"


class BadCredentials(Unauthorized):
    """The one answer to a failed login, whether the email exists or not."""

    code = "invalid_credentials"


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


async def _no_model(request: Request, exc: Exception) -> Response:
    """No classifier loaded yet (or the process is shutting down its inference thread): a
    model may be activated any moment, and the periodic check picks it up within 10 s."""
    code = "no_model" if isinstance(exc, NoModelLoaded) else "unavailable"
    return JSONResponse(
        error_body(code, str(exc), _rid(request)), status_code=503, headers={"Retry-After": "10"}
    )


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """Also called by the RequestContext middleware, so a 500 carries the security headers
    and request id every other response has."""
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(error_body("internal", "internal error", _rid(request)), status_code=500)


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
        NoModelLoaded: _no_model,
        BatcherClosed: _no_model,
        Exception: unexpected_error,
    }
