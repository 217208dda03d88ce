"""The data browser's keyset cursor: where the next page starts, as an opaque token.

Pages are ordered by (created_at DESC, id DESC), so a position is the last row's pair; the
id breaks ties between drawings stored in the same microsecond. The token is base64url of
a version byte, the timestamp in microseconds since the epoch and the 16 id bytes: short,
URL-safe, and exact (PostgreSQL keeps microseconds, so no rounding can skip or repeat a row).
It is not signed: a forged cursor only moves the caller to another place in data it may read
anyway.
"""

from __future__ import annotations

import base64
import binascii
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_VERSION = 1
_LAYOUT = struct.Struct(">Bq16s")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InvalidCursor(ValueError):
    """Raised when a token is not a cursor this code wrote."""


@dataclass(frozen=True, slots=True)
class Cursor:
    created_at: datetime  # timezone-aware
    id: uuid.UUID


def encode_cursor(cursor: Cursor) -> str:
    delta = cursor.created_at - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    raw = _LAYOUT.pack(_VERSION, micros, cursor.id.bytes)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(token: str) -> Cursor:
    if not 0 < len(token) <= 64:
        raise InvalidCursor("cursor has the wrong length")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        version, micros, id_bytes = _LAYOUT.unpack(raw)
        created_at = _EPOCH + timedelta(microseconds=micros)
    except (binascii.Error, struct.error, ValueError, OverflowError):
        raise InvalidCursor("cursor is not a token this server issued") from None
    if version != _VERSION:
        raise InvalidCursor(f"cursor version {version} is not supported")
    return Cursor(created_at, uuid.UUID(bytes=id_bytes))
