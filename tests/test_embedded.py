"""Embedded services keep their data across restarts and never outlive their owner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import psutil
import pytest
import redis

from server.embedded import (
    SERVICE_USER,
    EmbeddedPostgres,
    EmbeddedServiceError,
    EmbeddedValkey,
    free_port,
)

ROOT = Path(__file__).resolve().parent.parent

# Runs `run_stack` against real embedded services, with stand-ins for the CLI's pieces: the
# migration records the DSNs it was given, the server listens on its port, the worker idles
# (or exits at once when asked to crash).
LAUNCHER = """
import sys
from pathlib import Path
from server.launcher import Commands, run_stack
from store.settings import Settings

data_dir, port, record, worker = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
py = sys.executable
commands = Commands(
    migrate=(py, "-c", "import os, sys; open(sys.argv[1], 'w').write("
             "os.environ['DATABASE_URL'] + ' ' + os.environ['REDIS_URL'])", record),
    server=(py, "-c", "import os, signal, socket; s = socket.create_server(('127.0.0.1', "
            "int(os.environ['DRAWSTREAM_PORT']))); signal.pause()"),
    worker=(py, "-c", "import signal, sys; sys.exit(3) if sys.argv[1] == 'crash' "
            "else signal.pause()", worker),
)
sys.exit(run_stack(Settings(data_dir=data_dir, port=port), commands))
"""


def _alive(proc: psutil.Process) -> bool:
    try:
        return bool(proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def _survivors(procs: list[psutil.Process], timeout: float = 0.0) -> list[psutil.Process]:
    """Processes still alive once `timeout` has passed (zombies count as dead)."""
    deadline = time.monotonic() + timeout
    while (alive := [p for p in procs if _alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def _using(data_dir: Path) -> list[psutil.Process]:
    """Every live process working inside the data directory, as PostgreSQL and Valkey do
    (their command lines are rewritten into status lines, so those cannot tell)."""
    return [
        p
        for p in psutil.process_iter(["cwd"])
        if p.info["cwd"] and Path(p.info["cwd"]).is_relative_to(data_dir) and _alive(p)
    ]


async def _query(dsn: str, sql: str) -> object:
    """The first value of the last statement in `sql`."""
    conn = await asyncpg.connect(dsn)
    try:
        *setup, last = sql.split(";")
        for statement in setup:
            await conn.execute(statement)
        return await conn.fetchval(last)
    finally:
        await conn.close()


async def test_postgres_keeps_rows_and_port_across_restart(embedded_data_dir: Path) -> None:
    with EmbeddedPostgres(embedded_data_dir) as postgres:
        port = postgres.port
        await _query(postgres.dsn, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('x')")
    with EmbeddedPostgres(embedded_data_dir) as postgres:
        assert postgres.port == port
        assert await _query(postgres.dsn, "SELECT v FROM kept") == "x"
        assert await _query(postgres.dsn, "SELECT current_database()") == "drawstream"


async def test_postgres_requires_its_password(embedded_data_dir: Path) -> None:
    with EmbeddedPostgres(embedded_data_dir) as postgres:
        wrong = postgres.dsn.replace(postgres.state.password, "wrong")
        with pytest.raises(asyncpg.InvalidPasswordError):
            await _query(wrong, "SELECT 1")


@pytest.fixture
def stranger() -> Iterator[subprocess.Popen[bytes]]:
    """A live process of the user PostgreSQL runs as."""
    user = SERVICE_USER if os.geteuid() == 0 else None
    with subprocess.Popen(["sleep", "60"], user=user) as proc:
        yield proc
        proc.kill()


async def test_postgres_restarts_over_a_stale_pid_file(
    embedded_data_dir: Path, stranger: subprocess.Popen[bytes]
) -> None:
    postgres = EmbeddedPostgres(embedded_data_dir)
    postgres.start()
    assert postgres.pid is not None
    backends = psutil.Process(postgres.pid).children()
    os.kill(postgres.pid, signal.SIGKILL)
    postgres.stop()
    assert _survivors(backends, timeout=10) == []
    # A crash leaves postmaster.pid behind. After a reboot its pid may belong to another
    # process of the same user, which PostgreSQL alone would take for a live postmaster.
    pidfile = postgres.pgdata / "postmaster.pid"
    pidfile.write_text(f"{stranger.pid}\n" + pidfile.read_text().split("\n", 1)[1])
    with EmbeddedPostgres(embedded_data_dir) as again:
        assert await _query(again.dsn, "SELECT 1") == 1


def test_postgres_refuses_a_second_instance(embedded_data_dir: Path) -> None:
    with EmbeddedPostgres(embedded_data_dir) as postgres:
        port = postgres.port
        with pytest.raises(EmbeddedServiceError, match="already runs"):
            EmbeddedPostgres(embedded_data_dir).start()
        assert EmbeddedPostgres(embedded_data_dir).state.port == port


def test_valkey_fsyncs_every_write_and_keeps_keys(embedded_data_dir: Path) -> None:
    with EmbeddedValkey(embedded_data_dir) as valkey:
        port = valkey.port
        client = redis.Redis.from_url(valkey.dsn)
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("appendfsync") == {"appendfsync": "always"}
        client.set("kept", "x")
        client.close()
    with EmbeddedValkey(embedded_data_dir) as valkey:
        assert valkey.port == port
        client = redis.Redis.from_url(valkey.dsn)
        assert client.get("kept") == b"x"
        client.close()


def test_valkey_refuses_a_second_instance(embedded_data_dir: Path) -> None:
    with EmbeddedValkey(embedded_data_dir), pytest.raises(EmbeddedServiceError):
        EmbeddedValkey(embedded_data_dir).start()


def test_valkey_requires_its_password(embedded_data_dir: Path) -> None:
    with EmbeddedValkey(embedded_data_dir) as valkey:
        client = redis.Redis(port=valkey.port)
        with pytest.raises(redis.AuthenticationError):
            client.set("k", "v")
        client.close()


def _launch(data_dir: Path, worker: str = "idle") -> tuple[subprocess.Popen[str], int, Path]:
    port = free_port()
    record = data_dir / "migrate-env"
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(data_dir), str(port), str(record), worker],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    return proc, port, record


def _launch_running(data_dir: Path) -> tuple[subprocess.Popen[str], list[psutil.Process]]:
    proc, port, record = _launch(data_dir)
    assert proc.stdout is not None
    assert proc.stdout.readline() == f"Drawstream is running at http://127.0.0.1:{port}/\n"
    dsns = record.read_text().split()
    assert dsns[0].startswith("postgresql://") and dsns[1].startswith("redis://")
    descendants = psutil.Process(proc.pid).children(recursive=True)
    names = {p.name() for p in descendants}
    assert {"postgres", "valkey-server"} <= names
    return proc, descendants


def test_sigterm_stops_the_whole_stack(embedded_data_dir: Path) -> None:
    proc, descendants = _launch_running(embedded_data_dir)
    with proc:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    # The launcher waits for each child, so nothing may linger once it has exited.
    assert _survivors(descendants) == []
    assert _using(embedded_data_dir) == []


def test_sigkill_of_the_launcher_orphans_nothing(embedded_data_dir: Path) -> None:
    proc, descendants = _launch_running(embedded_data_dir)
    with proc:
        proc.kill()
    assert _survivors(descendants, timeout=30) == []
    assert _using(embedded_data_dir) == []
    # Postgres got its fast-shutdown signal from the kernel, so the data dir restarts cleanly.
    with EmbeddedPostgres(embedded_data_dir) as postgres:
        assert postgres.pid is not None


def test_a_dying_worker_stops_the_stack(embedded_data_dir: Path) -> None:
    proc, _, _ = _launch(embedded_data_dir, worker="crash")
    with proc:
        assert proc.wait(timeout=60) == 1
    assert _using(embedded_data_dir) == []
