"""A throwaway Drawstream stack for benchmarks: embedded PostgreSQL and Valkey in a temp
directory, migrated, with the server and worker as separate processes (like production)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from server.embedded import EmbeddedPostgres, EmbeddedValkey, free_port
from store.migrations import migrate

ROOT = Path(__file__).resolve().parents[1]
_TICK = os.sysconf("SC_CLK_TCK")


def _own_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for t in tasks.iterdir() for c in (t / "children").read_text().split()]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children (a multi-process server's
    workers), from /proc."""
    return _own_cpu(pid) + sum(_own_cpu(c) for c in children(pid))


def _own_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and its live children (a multi-process server)."""
    return _own_rss(pid) + sum(_own_rss(c) for c in children(pid))


@dataclass
class Stack:
    dir: Path
    postgres: EmbeddedPostgres
    valkey: EmbeddedValkey
    port: int
    env: dict[str, str]
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def spawn(self, name: str, argv: list[str]) -> int:
        log = open(self.dir / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(
            argv, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        return self.procs[name].pid

    def stop(self) -> None:
        for p in self.procs.values():
            p.terminate()
        for p in self.procs.values():
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        self.valkey.stop()
        self.postgres.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


async def _wait_ready(url: str, path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=url, timeout=2) as c:
        while time.monotonic() < deadline:
            try:
                if (await c.get(path)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(f"{url}{path} did not become ready")


async def start_stack(naive: bool = False, server_processes: int = 1) -> Stack:
    """Start services, migrate, then the real server + worker or the naive baseline server."""
    directory = Path(tempfile.mkdtemp(prefix="drawstream-bench-"))
    os.chmod(directory, 0o711)  # the embedded servers may run as another user
    postgres, valkey = EmbeddedPostgres(directory), EmbeddedValkey(directory)
    dsn, redis_url = postgres.start(), valkey.start()
    conn = await asyncpg.connect(dsn)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "REDIS_URL": redis_url,
        "DRAWSTREAM_LOG_LEVEL": "warning",
        "DRAWSTREAM_RATE_SESSION": "1000000",
        "DRAWSTREAM_RATE_ADDRESS": "1000000",
        "DRAWSTREAM_SERVER_PROCESSES": str(server_processes),
    }
    stack = Stack(directory, postgres, valkey, port, env)
    common = ["--data-dir", str(directory), "--port", str(port)]
    if naive:
        stack.spawn("server", [sys.executable, "-m", "bench.naive_server", *common])
    else:
        stack.spawn("server", [sys.executable, "-m", "server.cli", "server", *common])
        stack.spawn("worker", [sys.executable, "-m", "server.cli", "worker", *common])
    await _wait_ready(stack.url, "/health/live")
    return stack
