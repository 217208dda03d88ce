"""Serving the app from one process, or from several accepting on one port.

One Python process runs its event loop on one core. At ~1,000 classifications/s that loop
is busy (HTTP parsing, JSON, validation) while other cores idle, so `server_processes` > 1
forks that many children. Each child is a whole server: it loads its own models
(activations reach every process through Redis), runs its own micro-batcher and keeps its
own connections. Each binds its own SO_REUSEPORT socket, so the kernel spreads new
connections evenly; with one shared socket the first process to wake took most of them
(83% and 58% busy at 1,000 requests/s, and the busier one set the p99).

The parent binds the port first, so a taken port fails once, clearly, before any child
starts; it then only forwards SIGTERM/SIGINT and waits. If one child dies the others are
stopped and the parent exits non-zero, so whoever supervises the server (`drawstream up`,
compose) restarts it whole rather than running on with less capacity than configured.
Children are forked before the app is imported, so no thread or event loop crosses a fork.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import traceback
from typing import NoReturn

import uvicorn

from server.embedded import die_with_parent
from server.heap import freeze_startup_heap
from store.settings import Settings

# Exit code of a child whose app did not start (uvicorn's own code for it).
STARTUP_FAILURE = 3


class CannotListen(RuntimeError):
    """Raised when the server's address cannot be bound (taken, or not this machine's)."""


def _listen(host: str, port: int, shared: bool = False) -> socket.socket:
    """A listening socket; `shared`: one of several (SO_REUSEPORT) the kernel balances."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise CannotListen(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)
    return sock


def _run_app(settings: Settings, sock: socket.socket) -> int:
    """Serve on `sock` until told to stop; 0, or STARTUP_FAILURE if the app never started."""
    from server.app import create_app

    app = create_app(settings)
    freeze_startup_heap()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            ws="websockets-sansio",
            ws_per_message_deflate=False,
            log_config=None,
            access_log=False,
            lifespan="on",
        )
    )
    server.run(sockets=[sock])
    return 0 if server.started else STARTUP_FAILURE


def _child(settings: Settings, parent: int) -> NoReturn:
    """A forked server; it must never return into the parent's loop."""
    try:
        die_with_parent(parent)
        code = _run_app(settings, _listen(settings.host, settings.port, shared=True))
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _supervise(children: set[int]) -> int:
    stopping = False

    def stop(signum: int = signal.SIGTERM, frame: object = None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while children:
        pid, status = os.wait()
        children.discard(pid)
        if os.waitstatus_to_exitcode(status) != 0 and not stopping:
            code = 1
            stop()
    return code


def serve(settings: Settings) -> int:
    """Run the server with `settings.server_processes` processes; the exit code."""
    sock = _listen(settings.host, settings.port)
    if settings.server_processes == 1:
        return _run_app(settings, sock)
    sock.close()  # it only proved the port free; a shared socket cannot join a plain one
    parent = os.getpid()
    children: set[int] = set()
    for _ in range(settings.server_processes):
        pid = os.fork()
        if pid == 0:
            _child(settings, parent)
        children.add(pid)
    return _supervise(children)
