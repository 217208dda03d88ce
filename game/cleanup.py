"""An admin's request to run retention now: `{dryRun: bool, batchSize?: int}`.

`dryRun` is required, with no default: a request that forgot it must not delete anything,
and must not silently report a preview as if it had.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.errors import DomainError, FieldError

DEFAULT_BATCH = 1000
MAX_BATCH = 10_000


class InvalidCleanup(DomainError):
    code = "invalid_request"


@dataclass(frozen=True, slots=True)
class CleanupRequest:
    dry_run: bool
    batch_size: int  # rows per transaction


def parse_cleanup(body: object) -> CleanupRequest:
    if not isinstance(body, dict):
        raise InvalidCleanup("body must be a JSON object", [FieldError("body", "an object")])
    errors = [
        FieldError(k, "is not a known field") for k in sorted(set(body) - {"dryRun", "batchSize"})
    ]
    dry_run = body.get("dryRun")
    if not isinstance(dry_run, bool):
        errors.append(FieldError("dryRun", "must be true or false"))
    batch = body.get("batchSize", DEFAULT_BATCH)
    if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= MAX_BATCH:
        errors.append(FieldError("batchSize", f"must be an integer from 1 to {MAX_BATCH}"))
    if errors:
        raise InvalidCleanup("invalid cleanup request", errors)
    return CleanupRequest(bool(dry_run), int(batch))
