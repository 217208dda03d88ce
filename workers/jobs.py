"""The jobs the worker runs, each a thin function of `ctx`."""

from __future__ import annotations

from typing import Any

from workers.flusher import Flusher


async def flush_backlog(ctx: dict[str, Any]) -> int:
    """Drain the ingest stream now (before a backup or an export); returns drawings flushed."""
    flusher: Flusher = ctx["flusher"]
    return await flusher.drain()


FUNCTIONS: list[Any] = [flush_backlog]
