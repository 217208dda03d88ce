"""Page objects for /play, /watch and /admin, driven through the data-testid hooks that
client/README.md documents, plus a log of everything a page complained about.

Input goes through the browser's own input pipeline (Playwright's mouse, CDP touch events),
never through injected JavaScript: the point is to test the Pointer Events code as a player
exercises it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from playwright.async_api import (
    CDPSession,
    ConsoleMessage,
    FloatRect,
    Locator,
    Page,
    Request,
    Response,
    expect,
)

from tests.e2e.paths import Point, Polyline, densify

# Most waits end in well under a second; the slack is for a loaded CI machine.
TIMEOUT_MS = 15_000


@dataclass
class PageLog:
    """Console errors, uncaught exceptions and failed requests of one page.

    A page that logs an error is broken for someone even when the test's assertions pass, so
    every test checks its log; the only noise allowed is what a test provokes on purpose (the
    WebSocket failures while the server is stopped).
    """

    errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def _request_failed(self, request: Request) -> None:
        self.errors.append(f"requestfailed: {request.method} {request.url} {request.failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.errors.append(f"http {response.status}: {response.url}")

    def unexpected(self, *allowed: str) -> list[str]:
        """Errors matching none of the `allowed` regular expressions."""
        return [e for e in self.errors if not any(re.search(a, e) for a in allowed)]


def overlap(a: FloatRect | None, b: FloatRect | None) -> bool:
    """Whether two bounding boxes share any area."""
    assert a is not None and b is not None
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


async def no_horizontal_scroll(page: Page) -> bool:
    """True when nothing sticks out past the right edge of the viewport."""
    return bool(
        await page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


class PlayPage:
    """/play as a player sees it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.canvas = page.get_by_test_id("draw-canvas")
        self.prompt = page.get_by_test_id("prompt")
        self.feedback = page.get_by_test_id("feedback")
        self.ack = page.get_by_test_id("ack-message")
        self.next_prompt = page.get_by_test_id("next-prompt")
        self.outbox = page.get_by_test_id("outbox-count")
        self.connection = page.get_by_test_id("connection-status")
        self.submit_button = page.get_by_test_id("submit-button")

    async def open(self, base_url: str) -> None:
        await self.page.goto(f"{base_url}/play")

    async def start(self, base_url: str) -> str:
        """Opens /play, dismisses the first-visit help, waits for the session; the prompt."""
        await self.open(base_url)
        await self.page.get_by_test_id("instructions-dismiss").click()
        await expect(self.page.get_by_test_id("instructions")).to_have_count(0)
        return await self.wait_online()

    async def wait_online(self) -> str:
        await expect(self.connection).to_have_attribute("data-state", "online", timeout=TIMEOUT_MS)
        await expect(self.prompt).not_to_have_attribute("data-shape", "")
        return await self.shape()

    async def shape(self) -> str:
        return await self.prompt.get_attribute("data-shape") or ""

    async def nickname(self) -> str:
        await expect(self.page.get_by_test_id("nickname").locator("strong")).to_be_visible()
        return await self.page.get_by_test_id("nickname").locator("strong").inner_text()

    async def stroke_count(self) -> int:
        return int(await self.canvas.get_attribute("data-strokes") or 0)

    async def canvas_origin(self) -> tuple[Point, Point]:
        """The canvas's top-left corner in viewport coordinates, and its CSS size."""
        await self.canvas.scroll_into_view_if_needed()
        box = await self.canvas.bounding_box()
        assert box is not None, "the canvas is not rendered"
        return (box["x"], box["y"]), (box["width"], box["height"])

    async def draw_mouse(self, strokes: Sequence[Polyline], step: float = 6.0) -> None:
        """Draws each polyline (canvas pixels) as one mouse stroke, a sample every `step` px."""
        before = await self.stroke_count()
        (ox, oy), _ = await self.canvas_origin()
        mouse = self.page.mouse
        for stroke in strokes:
            path = densify(stroke, step)
            await mouse.move(ox + path[0][0], oy + path[0][1])
            await mouse.down()
            for x, y in path[1:]:
                await mouse.move(ox + x, oy + y)
            await mouse.up()
        await expect(self.canvas).to_have_attribute("data-strokes", str(before + len(strokes)))

    async def draw_touch(self, strokes: Sequence[Polyline], step: float = 6.0) -> None:
        """Draws each polyline with one finger, through CDP touch events (touchStart, touchMove
        per sample, touchEnd), as a phone's touch screen delivers them."""
        before = await self.stroke_count()
        cdp: CDPSession = await self.page.context.new_cdp_session(self.page)
        try:
            (ox, oy), _ = await self.canvas_origin()
            for stroke in strokes:
                path = densify(stroke, step)
                for i, (x, y) in enumerate(path):
                    kind = "touchStart" if i == 0 else "touchMove"
                    point = {
                        "x": ox + x,
                        "y": oy + y,
                        "id": 1,
                        "radiusX": 4,
                        "radiusY": 4,
                        "force": 0.6,
                    }
                    await cdp.send(
                        "Input.dispatchTouchEvent", {"type": kind, "touchPoints": [point]}
                    )
                await cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        finally:
            await cdp.detach()
        await expect(self.canvas).to_have_attribute("data-strokes", str(before + len(strokes)))

    async def submit(self) -> None:
        await expect(self.submit_button).to_be_enabled()
        await self.submit_button.click()

    async def wait_ack(self) -> tuple[str, str]:
        """Waits for the acceptance message; the drawing id and the next shape."""
        await expect(self.ack).to_be_visible(timeout=TIMEOUT_MS)
        drawing_id = await self.ack.get_attribute("data-drawing-id") or ""
        next_shape = await self.next_prompt.get_attribute("data-shape") or ""
        return drawing_id, next_shape

    async def assert_toast_clear_of_tools(self) -> None:
        """The first accepted drawing unlocks an achievement; its toast appears just as the
        player reaches for the canvas or Submit again, so it must cover neither."""
        toast = self.page.get_by_test_id("achievement-toast")
        await expect(toast).to_be_visible()
        box = await toast.bounding_box()
        for tool in (self.canvas, self.page.get_by_role("toolbar")):
            assert not overlap(box, await tool.bounding_box()), (
                "the achievement toast covers the tools"
            )


class WatchPage:
    """/watch as a spectator sees it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.tiles = page.get_by_test_id("live-tile")

    async def open(self, base_url: str) -> None:
        await self.page.goto(f"{base_url}/watch")
        await expect(self.page.get_by_test_id("watch-connection")).to_have_attribute(
            "data-state", "live", timeout=TIMEOUT_MS
        )

    async def tile_boxes(self) -> list[tuple[float, float, float, float]]:
        """Every tile's (x, y, width, height), in page order."""
        boxes = []
        for tile in await self.tiles.all():
            box = await tile.bounding_box()
            assert box is not None
            boxes.append((box["x"], box["y"], box["width"], box["height"]))
        return boxes

    def tile_of(self, nickname: str) -> Locator:
        return self.page.locator(f'[data-testid="live-tile"][data-nickname="{nickname}"]')

    def entry(self, board: str, nickname: str) -> Locator:
        return self.page.get_by_test_id(f"leaderboard-{board}").locator(
            f'[data-testid="leaderboard-entry"][data-nickname="{nickname}"]'
        )


class AdminPortal:
    """/admin as an admin uses it: the login form, then one section per tab."""

    def __init__(self, page: Page) -> None:
        self.page = page

    async def login(self, base_url: str, email: str, password: str) -> None:
        """Opens /admin (no session yet: the login form) and signs in."""
        await self.page.goto(f"{base_url}/admin")
        root = self.page.get_by_test_id("admin-page")
        await expect(root).to_have_attribute("data-session", "signedOut")
        await self.page.get_by_test_id("login-email").fill(email)
        await self.page.get_by_test_id("login-password").fill(password)
        await self.page.get_by_test_id("login-submit").click()
        await expect(root).to_have_attribute("data-session", "signedIn")

    async def open_section(self, key: str) -> None:
        tab = self.page.get_by_test_id(f"admin-tab-{key}")
        await tab.click()
        await expect(tab).to_have_attribute("aria-current", "page")

    def stat(self, name: str) -> Locator:
        return self.page.get_by_test_id(f"stat-{name}")

    def card(self, drawing_id: str) -> Locator:
        return self.page.locator(f'[data-testid="drawing-card"][data-drawing-id="{drawing_id}"]')

    def job(self, job_id: str) -> Locator:
        return self.page.locator(f'[data-testid="training-job"][data-job-id="{job_id}"]')

    def model(self, version: int) -> Locator:
        return self.page.locator(f'[data-testid="model-row"][data-version="{version}"]')

    async def confirm(self, dialog_test_id: str) -> None:
        dialog = self.page.get_by_test_id(dialog_test_id)
        await expect(dialog).to_be_visible()
        await dialog.get_by_test_id("confirm-ok").click()
        await expect(dialog).to_be_hidden()
