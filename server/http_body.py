"""Reading a JSON body with a size bound, so a huge or endless upload is refused early."""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.requests import Request

from game.errors import FieldError
from server.errors import BadRequest, PayloadTooLarge


async def read_json(request: Request, max_bytes: int) -> Any:
    return parse_json(await read_body(request, max_bytes))


async def read_body(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"body over {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"body over {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    # The slow parser accepts what some clients emit (NaN, Infinity), so validation can name
    # the exact field instead of rejecting the whole body; anything else is not JSON.
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest("body is not valid JSON", [FieldError("body", str(exc)[:200])]) from None
