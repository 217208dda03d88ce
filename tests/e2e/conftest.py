"""End-to-end fixtures: the built client, one headless Chromium for the whole session, and
fresh browser contexts (each with its own storage, so each test is a new visitor).

The browser is Debian's `chromium`, installed by scripts/setup.sh; Playwright only drives
it (its bundled driver works offline), so nothing is downloaded at test time.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from server.embedded import free_port
from store.settings import Settings
from tests.e2e.pages import TIMEOUT_MS, PageLog
from tests.fixtures import LiveServer, run_server
from tests.processes import ROOT, Proc, drawstream, env_for, wait_ready

CHROMIUM = os.environ.get("DRAWSTREAM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CLIENT = ROOT / "client"


def _stale(dist_index: Path) -> bool:
    """Whether any client source is newer than the last build (the rule of scripts/setup.sh)."""
    if not dist_index.exists():
        return True
    built = dist_index.stat().st_mtime
    for top in CLIENT.iterdir():
        if top.name in ("node_modules", "dist"):
            continue
        for path in [top, *top.rglob("*")] if top.is_dir() else [top]:
            if path.is_file() and path.stat().st_mtime > built:
                return True
    return False


@pytest.fixture(scope="session", autouse=True)
def client_dist() -> Path:
    """client/dist, rebuilt when missing or stale: the server under test serves these files,
    and testing an old build would test code nobody is changing."""
    index = CLIENT / "dist" / "index.html"
    if _stale(index):
        if shutil.which("npm") is None:
            pytest.fail("client/dist is missing or stale and npm is not installed to build it")
        subprocess.run(["npm", "--prefix", str(CLIENT), "run", "build"], check=True, cwd=ROOT)
    return index.parent


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/setup.sh (it installs Debian's chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    """One Chromium for every test: launching costs a second or two, contexts cost little."""
    expect.set_options(timeout=TIMEOUT_MS)
    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield b
        await b.close()


@dataclass
class Tab:
    """A page in its own browser context, with the log of what went wrong in it."""

    context: BrowserContext
    page: Page
    log: PageLog


NewTab = Callable[..., Awaitable[Tab]]

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
async def new_tab(browser: Browser) -> AsyncIterator[NewTab]:
    """Factory of fresh contexts (DESKTOP unless options are given); all closed afterwards."""
    contexts: list[BrowserContext] = []

    async def make(**options: Any) -> Tab:
        context = await browser.new_context(**(options or DESKTOP))
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = await context.new_page()
        log = PageLog()
        log.attach(page)
        return Tab(context, page, log)

    yield make
    for context in contexts:
        await context.close()


@pytest.fixture
def second_server(live_server: LiveServer) -> Iterator[LiveServer]:
    """Another server on the same PostgreSQL and Redis, sharing nothing else with
    `live_server`: its own app, watch hub and connections, so whatever reaches a spectator
    on it went through Redis pub/sub."""
    with run_server(live_server.settings) as server:
        yield server


@dataclass
class ServerProcess:
    """`drawstream server` as an operator runs it, on a port that survives restarts: the
    browser reconnects to the same address, as it would behind a load balancer."""

    proc: Proc
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.proc.start()
        await wait_ready(self.url)

    async def stop(self) -> None:
        """SIGTERM and wait for the exit, off the event loop that drives the browser."""
        await asyncio.to_thread(self.proc.stop)


@pytest.fixture
def server_process(settings: Settings) -> Iterator[ServerProcess]:
    port = free_port()
    argv = drawstream("server", "--port", str(port), "--data-dir", str(settings.data_dir))
    env = env_for(
        settings.database_url or "", settings.redis_url or "", DRAWSTREAM_LOG_LEVEL="warning"
    )
    server = ServerProcess(Proc(argv, env), port)
    yield server
    server.proc.stop()
