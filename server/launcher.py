"""`drawstream up`: the whole stack as one foreground process.

It owns everything it starts: embedded services (unless the settings name external ones), the
migration, one server and one worker, each a child in its own process group with a parent
death signal (see `server.embedded`). Signals only set an event; the main loop notices it and
unwinds the exit stack, so shutdown is always the reverse of start-up whatever moment the
signal arrives at, and a half-started stack is torn down the same way as a running one.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from types import FrameType
from typing import TextIO

from server.embedded import (
    EmbeddedPostgres,
    EmbeddedServiceError,
    EmbeddedValkey,
    spawn,
    stop_process,
    wait_until,
)
from store.settings import Settings

_WILDCARDS = {"", "0.0.0.0", "::"}


class LauncherError(RuntimeError):
    """The stack could not be started as configured."""


@dataclass(frozen=True, slots=True)
class Commands:
    """The argv of each piece `run_stack` runs, injectable so tests can stand in dummies.

    Each command receives DATABASE_URL, REDIS_URL, DRAWSTREAM_DATA_DIR, DRAWSTREAM_HOST and
    DRAWSTREAM_PORT in its environment; `server` must end up listening on that host and port.
    """

    migrate: tuple[str, ...]
    server: tuple[str, ...]
    worker: tuple[str, ...]

    @classmethod
    def for_settings(cls, settings: Settings) -> Commands:
        def cli(subcommand: str) -> tuple[str, ...]:
            return (
                sys.executable,
                "-m",
                "server.cli",
                subcommand,
                "--data-dir",
                str(settings.data_dir.absolute()),
            )

        return cls(migrate=cli("migrate"), server=cli("server"), worker=cli("worker"))


def run_stack(
    settings: Settings,
    commands: Commands | None = None,
    *,
    out: TextIO | None = None,
    ready_timeout: float = 60.0,
) -> int:
    """Run the stack until SIGINT/SIGTERM or until a piece dies; return the exit status.

    Must be called from the main thread: that is where signal handlers live, and the children's
    parent death signal is bound to the thread that spawned them.
    """
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with ExitStack() as stack:
            return _run(
                settings,
                commands or Commands.for_settings(settings),
                stop,
                stack,
                out or sys.stdout,
                ready_timeout,
            )
    except (EmbeddedServiceError, LauncherError) as error:
        print(f"drawstream up: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(
    settings: Settings,
    commands: Commands,
    stop: threading.Event,
    stack: ExitStack,
    out: TextIO,
    ready_timeout: float,
) -> int:
    _check_port_free(settings.host, settings.port)
    data_dir = settings.data_dir.absolute()
    database_url = settings.database_url or stack.enter_context(EmbeddedPostgres(data_dir)).dsn
    if stop.is_set():
        return 0
    redis_url = settings.redis_url or stack.enter_context(EmbeddedValkey(data_dir)).dsn
    if stop.is_set():
        return 0
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DRAWSTREAM_DATA_DIR": str(data_dir),
        "DRAWSTREAM_HOST": settings.host,
        "DRAWSTREAM_PORT": str(settings.port),
    }

    def start(argv: tuple[str, ...]) -> subprocess.Popen[bytes]:
        proc = spawn(argv, env=env)
        stack.callback(stop_process, proc)
        return proc

    migrate = start(commands.migrate)
    _wait_for(stop, lambda: migrate.poll() is not None)
    if stop.is_set():
        return 0
    if migrate.returncode != 0:
        raise LauncherError(f"migration failed with exit status {migrate.returncode}")
    server = start(commands.server)
    worker = start(commands.worker)
    probe = _probe_host(settings.host)
    wait_until(
        lambda: stop.is_set() or _accepts(probe, settings.port), server, "server", ready_timeout
    )
    if stop.is_set():
        return 0
    print(
        f"Drawstream is running at http://{_url_host(probe)}:{settings.port}/", file=out, flush=True
    )
    _wait_for(stop, lambda: server.poll() is not None or worker.poll() is not None)
    for name, proc in (("server", server), ("worker", worker)):
        if proc.poll() is not None:
            print(
                f"drawstream up: {name} exited with status {proc.returncode}; stopping",
                file=sys.stderr,
                flush=True,
            )
            return 1
    return 0


def _wait_for(stop: threading.Event, done: Callable[[], bool]) -> None:
    """Block until `done` or a stop request; child exits have no event to await, so poll."""
    while not done() and not stop.wait(0.1):
        pass


def _probe_host(host: str) -> str:
    """A wildcard bind is reached through loopback."""
    if host in _WILDCARDS:
        return "::1" if host == "::" else "127.0.0.1"
    return host


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _check_port_free(host: str, port: int) -> None:
    """A port already taken would make the readiness probe succeed against a stranger."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            raise LauncherError(
                f"cannot listen on {host}:{port}: {error.strerror}; choose another --port"
            ) from None


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False
