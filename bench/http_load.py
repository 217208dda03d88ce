"""A small HTTP/1.1 load generator: keep-alive connections, open-loop and closed-loop runs.

A general client (httpx) spends ~0.3 ms of CPU per request, which on a 2-core machine is CPU
taken from the server under test. This one writes pre-built request bytes and reads just the
status line, headers and Content-Length body: a few microseconds per request.

Open loop: requests start on a fixed schedule whether or not earlier ones finished, and each
latency is measured from its *scheduled* start, so a server that stalls is charged for the
requests queued behind the stall (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    started: list[float] = field(default_factory=list)  # monotonic scheduled start of each
    errors: dict[str, int] = field(default_factory=dict)  # status or exception -> count
    completed: int = 0

    def fail(self, reason: str) -> None:
        self.errors[reason] = self.errors.get(reason, 0) + 1


def post(path: str, body: bytes, host: str = "127.0.0.1") -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Connection:
    """One keep-alive connection; one request at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port, limit=2**20)
        return cls(reader, writer)

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        self._writer.write(raw)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        at = lower.find(b"content-length:")
        length = int(lower[at + 15 : lower.index(b"\r\n", at)]) if at >= 0 else 0
        return status, await self._reader.readexactly(length)

    async def close(self) -> None:
        self._writer.close()
        await self._writer.wait_closed()


async def open_pool(host: str, port: int, size: int) -> list[Connection]:
    return list(await asyncio.gather(*(Connection.open(host, port) for _ in range(size))))


async def open_loop(
    conns: list[Connection], requests: Sequence[bytes], rate: float, seconds: float
) -> Outcome:
    """`rate` requests/s for `seconds`, each on a free connection (waiting for one counts)."""
    free: asyncio.Queue[Connection] = asyncio.Queue()
    for c in conns:
        free.put_nowait(c)
    out = Outcome()
    clock = time.monotonic  # not loop.time(): uvloop's ticks in whole milliseconds
    start = clock() + 0.05
    total = int(rate * seconds)
    payloads = itertools.cycle(requests)
    tasks: set[asyncio.Task[None]] = set()

    async def one(scheduled: float, raw: bytes) -> None:
        conn = await free.get()
        try:
            status, _ = await conn.request(raw)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            out.fail(type(exc).__name__)
            return  # the connection is unusable: it is not returned to the pool
        free.put_nowait(conn)
        out.completed += 1
        if status == 200:
            out.latencies.append(clock() - scheduled)
            out.started.append(scheduled)
        else:
            out.fail(str(status))

    for k in range(total):
        scheduled = start + k / rate
        delay = scheduled - clock()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(scheduled, next(payloads)))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:  # a saturated server gets 30 s to drain; what is left counts as failed
        _, unfinished = await asyncio.wait(tasks, timeout=30)
        for task in unfinished:
            task.cancel()
            out.fail("unfinished after 30 s")
        await asyncio.gather(*unfinished, return_exceptions=True)
    return out


async def closed_loop(
    conns: list[Connection], requests: Sequence[bytes], seconds: float
) -> tuple[Outcome, float]:
    """Every connection sends back to back for `seconds`; returns outcomes and elapsed s."""
    out = Outcome()
    deadline = time.monotonic() + seconds

    async def worker(conn: Connection, offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            raw = requests[i % len(requests)]
            i += 1
            began = time.monotonic()
            status, _ = await conn.request(raw)
            out.completed += 1
            if status == 200:
                out.latencies.append(time.monotonic() - began)
            else:
                out.fail(str(status))

    began = time.monotonic()
    await asyncio.gather(*(worker(c, i * 7) for i, c in enumerate(conns)))
    return out, time.monotonic() - began
