"""`drawstream server --processes N`: N whole servers on one port, stopped together."""

from __future__ import annotations

import asyncio
import gc
import signal
import subprocess
import sys
import weakref

import httpx
import psutil
import pytest

from server.embedded import free_port
from server.heap import freeze_startup_heap
from store.settings import Settings, SettingsError, load_settings
from tests.processes import ROOT, env_for, wait_ready


def _start(settings: Settings, port: int, processes: int) -> subprocess.Popen[bytes]:
    args = ["--port", str(port), "--data-dir", str(settings.data_dir), "--processes"]
    return subprocess.Popen(
        [sys.executable, "-m", "server.cli", "server", *args, str(processes)],
        env=env_for(settings.database_url or "", settings.redis_url or ""),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _children_ready(parent: psutil.Process, n: int) -> list[psutil.Process]:
    for _ in range(100):
        children: list[psutil.Process] = parent.children()
        if len(children) == n:
            return children
        await asyncio.sleep(0.1)
    raise AssertionError(f"expected {n} server processes, got {parent.children()}")


async def test_processes_share_the_port_and_stop_together(settings: Settings) -> None:
    port = free_port()
    server = _start(settings, port, 2)
    try:
        url = f"http://127.0.0.1:{port}"
        await wait_ready(url, 60)
        children = await _children_ready(psutil.Process(server.pid), 2)
        async with httpx.AsyncClient(base_url=url) as c:
            answers = await asyncio.gather(*(c.get("/health/live") for _ in range(20)))
        assert {r.status_code for r in answers} == {200}
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
        assert not [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    finally:
        if server.poll() is None:
            server.kill()


async def test_one_dead_process_stops_the_server(settings: Settings) -> None:
    """Running on with less capacity than configured would hide the failure."""
    port = free_port()
    server = _start(settings, port, 2)
    try:
        await wait_ready(f"http://127.0.0.1:{port}", 60)
        first, second = await _children_ready(psutil.Process(server.pid), 2)
        first.kill()
        assert server.wait(30) == 1
        assert not second.is_running() or second.status() == psutil.STATUS_ZOMBIE
    finally:
        if server.poll() is None:
            server.kill()


async def test_a_taken_port_fails_before_any_process_starts(settings: Settings) -> None:
    port = free_port()
    first = _start(settings, port, 1)
    try:
        await wait_ready(f"http://127.0.0.1:{port}", 60)
        second = _start(settings, port, 2)
        assert second.wait(30) != 0
    finally:
        first.terminate()
        first.wait(30)


def test_the_process_count_comes_from_the_environment() -> None:
    assert load_settings({}).server_processes == 1
    assert load_settings({"DRAWSTREAM_SERVER_PROCESSES": "4"}).server_processes == 4
    for bad in ("0", "65", "two"):
        with pytest.raises(SettingsError):
            load_settings({"DRAWSTREAM_SERVER_PROCESSES": bad})


def test_a_frozen_heap_still_collects_new_garbage() -> None:
    """The startup heap leaves the collector's reach; cycles made afterwards are still freed."""

    class Node:
        peer: object = None

    gc.collect()
    alive = len(gc.get_objects())
    freeze_startup_heap()
    try:
        assert gc.get_freeze_count() > alive // 2
        assert len(gc.get_objects()) < alive // 10  # full collections no longer walk them
        a, b = Node(), Node()
        a.peer, b.peer = b, a
        probe = weakref.ref(a)
        del a, b
        gc.collect()
        assert probe() is None
    finally:
        gc.unfreeze()
