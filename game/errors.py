"""Typed domain errors; the server maps each to one response shape in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    """Base of errors caused by what a client sent."""

    code = "bad_request"

    def __init__(self, message: str, details: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class InvalidDrawing(DomainError):
    code = "invalid_drawing"


class InvalidFrame(DomainError):
    code = "invalid_frame"
