"""Screenshots of /play, /watch, /lab and /admin for the README, taken from a real run.

    make screenshots            # or: .venv/bin/python -m scripts.screenshots [--out DIR]

Starts a throwaway stack (embedded PostgreSQL and Valkey, `drawstream server` and
`drawstream worker` processes: bench/stack.py), gives it a little history through the REST
API so the leaderboards have people on them, then drives headless Chromium the way players
do: real pointer input on /play, several players drawing at once while spectators look at
/watch. Then an admin (created as `drawstream create-admin` does) signs in while
`drawstream seed` adds synthetic drawings and the worker trains two classifiers and a generator
through the admin API; the better classifier and the generator are activated, a circle is
drawn on /lab, and the dashboard and the two classifiers' comparison are photographed.
Nothing is mocked, so the pictures show what a visitor would see, and a layout bug shows up
here before someone files it.

Writes docs/screenshots/{play,watch}-{390x844,1440x900}.png and
{lab,admin,admin-models}-1440x900.png. The phone shots use a device pixel ratio of 2 (crisp on
a phone-sized image); the desktop ones 1. The /lab and /admin pages are taller than their
1440x900 viewport: those shots run from the top of the page to the end of what they show.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from playwright.async_api import (
    Browser,
    BrowserContext,
    FloatRect,
    Locator,
    Page,
    async_playwright,
    expect,
)

from bench.stack import ROOT, Stack, start_stack
from game.shapes import shape_by_name
from game.strokes import Drawing
from game.synthetic import synth_drawing
from server.admin_accounts import create_admin
from server.admin_cookies import CSRF_COOKIE
from server.csrf import CSRF_HEADER
from tests.e2e.pages import AdminPortal, PlayPage, WatchPage
from tests.e2e.paths import Polyline
from tests.fixtures import drawing_json

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1440, "height": 900}, "device_scale_factor": 1}
# Players who only drive the live tiles: small and cheap, never photographed.
BACKGROUND: dict[str, Any] = {"viewport": {"width": 700, "height": 800}}
# Earlier activity: drawings per REST player, so the boards have a spread of scores.
HISTORY = (9, 7, 6, 5, 3, 2, 1)
# The admin shots: the lab and the admin portal, with charts drawn once (no animation).
STILL: dict[str, Any] = {**DESKTOP, "reduced_motion": "reduce"}
ADMIN_EMAIL = "ada@example.org"
ADMIN_PASSWORD = "correct horse battery staple"
# `drawstream seed` after the /play and /watch shots (its players would top the boards):
# a dataset to train on and to chart. Three epochs of a 4-wide net still confuse shapes (about
# 60% right), five of an 8-wide one do not: a comparison with something to show. The generator
# draws recognisable shapes after 40 epochs; each job takes seconds on a laptop's CPU.
SEED_PER_SHAPE = 120
JOBS: tuple[dict[str, Any], ...] = (
    {"kind": "classifier", "config": {"epochs": 3, "width": 4, "batch_size": 64, "num_threads": 1}},
    {"kind": "classifier", "config": {"epochs": 5, "width": 8, "batch_size": 32, "num_threads": 1}},
    {
        "kind": "generator",
        "config": {
            "epochs": 40,
            "batch_size": 32,
            "hidden": 128,
            "latent_dim": 8,
            "seq_len": 32,
            "prior_components": 4,
            "num_threads": 1,
        },
    },
)


def fitted(d: Drawing, width: float, height: float, fill: float = 0.62) -> list[Polyline]:
    """A synthetic drawing's strokes, centred on a canvas of this size and `fill` of its side:
    human-looking input, sized as a player would draw it."""
    xs = np.concatenate([s.x for s in d.strokes])
    ys = np.concatenate([s.y for s in d.strokes])
    span = max(float(xs.max() - xs.min()), float(ys.max() - ys.min()), 1.0)
    scale = min(width, height) * fill / span
    cx, cy = float(xs.min() + xs.max()) / 2, float(ys.min() + ys.max()) / 2
    return [
        [
            (width / 2 + (float(x) - cx) * scale, height / 2 + (float(y) - cy) * scale)
            for x, y in zip(s.x, s.y, strict=True)
        ]
        for s in d.strokes
    ]


async def seed_history(url: str, rng: np.random.Generator) -> None:
    """Past players, through the same REST ingestion path a third-party client uses."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as c:
        for count in HISTORY:
            session = uuid.uuid4().hex
            for i in range(count):
                shape = int(rng.integers(1, 6))
                r = await c.post(
                    "/api/drawings",
                    json=drawing_json(synth_drawing(shape, rng)),
                    headers={"X-Session-Id": session, "X-Idempotency-Key": f"history-{i}"},
                )
                r.raise_for_status()


async def until(probe: Callable[[], Awaitable[Any]], what: str, timeout: float = 120.0) -> Any:
    """Polls `probe` (a server-side condition, with no page to watch) until it is truthy."""
    deadline = time.monotonic() + timeout
    while not (value := await probe()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        await asyncio.sleep(0.25)
    return value


class AdminApi:
    """The admin API as the portal calls it: a session cookie, and the CSRF token on writes."""

    def __init__(self, url: str) -> None:
        self.http = httpx.AsyncClient(base_url=url, timeout=30)

    async def login(self, email: str, password: str) -> None:
        r = await self.http.post("/api/admin/login", json={"email": email, "password": password})
        r.raise_for_status()

    async def get(self, path: str) -> Any:
        r = await self.http.get(f"/api/admin{path}")
        r.raise_for_status()
        return r.json()

    async def post(self, path: str, body: Any = None) -> Any:
        token = self.http.cookies[CSRF_COOKIE]
        r = await self.http.post(f"/api/admin{path}", json=body, headers={CSRF_HEADER: token})
        r.raise_for_status()
        return r.json()

    async def train(self, body: dict[str, Any]) -> dict[str, Any]:
        """Starts a job and waits for the worker to finish it; the models row it made."""
        job = await self.post("/training/start", body)

        async def finished() -> dict[str, Any] | None:
            row: dict[str, Any] = await self.get(f"/training/{job['id']}")
            return row if row["status"] in ("succeeded", "failed", "cancelled") else None

        done = await until(finished, f"training job {job['id']}")
        if done["status"] != "succeeded":
            raise RuntimeError(f"training job {job['id']} {done['status']}: {done.get('error')}")
        models = (await self.get(f"/models?kind={body['kind']}"))["models"]
        return next(m for m in models if m["jobId"] == job["id"])


def seed_dataset(stack: Stack) -> None:
    """`drawstream seed`, as an operator runs it against the stack's services."""
    done = subprocess.run(
        [
            *(sys.executable, "-m", "server.cli", "seed", "--data-dir", str(stack.dir)),
            *("--per-shape", str(SEED_PER_SHAPE)),
        ],
        env=stack.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"drawstream seed failed:\n{done.stdout}{done.stderr}")


async def prepare_models(stack: Stack, api: AdminApi) -> int:
    """Seeds, trains two classifiers and a generator, activates the better classifier and the
    generator, and waits until the server serves both; the number of stored drawings."""
    await asyncio.to_thread(seed_dataset, stack)

    async def classifiers() -> dict[str, Any]:
        await api.train(JOBS[0])  # v1: one after the other, so the versions keep this order
        return await api.train(JOBS[1])

    second, generator = await asyncio.gather(classifiers(), api.train(JOBS[2]))
    for row in (second, generator):
        await api.post(f"/models/{row['id']}/activate")
    async with httpx.AsyncClient(base_url=stack.url, timeout=10) as c:

        async def serving() -> bool:
            r = await c.get("/api/inference/model/info")
            return r.status_code == 200 and r.json()["version"] == second["version"]

        async def generating() -> bool:
            r = await c.post("/api/inference/generate", json={"shape": "circle", "seed": 1})
            return r.status_code == 200

        await until(serving, f"classifier v{second['version']} served")
        await until(generating, "the generator served")

    async def stored() -> int:
        stats = await api.get("/stats")
        done = stats["ingest"]["backlog"] == 0 and stats["totals"]["synthetic"] > 0
        return int(stats["totals"]["drawings"]) if done else 0

    total: int = await until(stored, "every drawing stored")
    return total


async def new_player(
    browser: Browser, url: str, options: dict[str, Any]
) -> tuple[BrowserContext, PlayPage]:
    context = await browser.new_context(**options)
    page = await context.new_page()
    play = PlayPage(page)
    await play.start(url)
    return context, play


async def draw_prompt(play: PlayPage, rng: np.random.Generator, touch: bool = False) -> None:
    """Draws whatever the prompt asks for, whole, with human-looking strokes."""
    _, (width, height) = await play.canvas_origin()
    strokes = fitted(synth_drawing(shape_by_name(await play.shape()).id, rng), width, height)
    if touch:
        await play.draw_touch(strokes, step=12)
    else:
        await play.draw_mouse(strokes, step=12)


async def draw_and_hold(play: PlayPage, rng: np.random.Generator, fraction: float) -> None:
    """Draws the first `fraction` of the prompted shape and keeps the pointer down: a drawing
    in progress, frozen for the camera."""
    (ox, oy), (width, height) = await play.canvas_origin()
    strokes = fitted(synth_drawing(shape_by_name(await play.shape()).id, rng), width, height)
    total = sum(len(s) for s in strokes)
    budget = max(2, int(total * fraction))
    mouse = play.page.mouse
    for stroke in strokes:
        take = stroke[: max(2, budget)]
        budget -= len(take)
        await mouse.move(ox + take[0][0], oy + take[0][1])
        await mouse.down()
        for x, y in take[1:]:
            await mouse.move(ox + x, oy + y)
        if budget <= 0:
            return
        await mouse.up()


async def shoot_play(browser: Browser, url: str, out: Path, rng: np.random.Generator) -> None:
    """A player two drawings into a streak, part-way through the third."""
    for name, options in (("play-390x844", PHONE), ("play-1440x900", DESKTOP)):
        context, play = await new_player(browser, url, options)
        touch = bool(options.get("has_touch"))
        for _ in range(2):
            await draw_prompt(play, rng, touch)
            await play.submit()
            await play.wait_ack()
        # The "achievement unlocked" toast of the first drawing would hide the prompt on a
        # phone; it leaves by itself after a few seconds.
        await expect(play.page.get_by_test_id("achievement-toast")).to_have_count(0)
        await draw_prompt(play, rng, touch)
        await play.page.screenshot(path=out / f"{name}.png")
        await context.close()


async def shoot_watch(browser: Browser, url: str, out: Path, rng: np.random.Generator) -> None:
    """Four players mid-drawing and one just accepted, seen from a phone and a desktop."""
    spectators: list[tuple[str, Page]] = []
    contexts: list[BrowserContext] = []
    for name, options in (("watch-390x844", PHONE), ("watch-1440x900", DESKTOP)):
        context = await browser.new_context(**options)
        contexts.append(context)
        page = await context.new_page()
        await WatchPage(page).open(url)
        spectators.append((name, page))
    players = [await new_player(browser, url, BACKGROUND) for _ in range(5)]
    contexts.extend(c for c, _ in players)
    try:
        await asyncio.gather(
            *(
                draw_and_hold(play, rng, f)
                for (_, play), f in zip(players, (0.5, 0.7, 0.85, 0.6), strict=False)
            )
        )
        finisher = players[-1][1]
        await draw_prompt(finisher, rng)
        await finisher.submit()
        await finisher.wait_ack()
        nickname = await finisher.nickname()
        for _, page in spectators:
            watch = WatchPage(page)
            await expect(page.get_by_test_id("live-count")).to_have_attribute("data-count", "4")
            await expect(watch.tile_of(nickname)).to_have_attribute("data-state", "done")
            await expect(watch.entry("today", nickname)).to_be_visible()
        # Points reach spectators in relay batches (every 100 ms) and are painted on the next
        # animation frame; no DOM event marks "painted", so give the tiles a moment.
        await spectators[0][1].wait_for_timeout(400)
        for name, page in spectators:
            await page.screenshot(path=out / f"{name}.png")
    finally:
        for context in contexts:
            await context.close()


async def shoot_down_to(page: Page, path: Path, *ends: Locator) -> None:
    """The page from its top down to the lowest of `ends`: the viewport's width, and as tall
    as the section needs, so nothing is cut off at the fold."""
    bottoms = [
        await e.evaluate("e => e.getBoundingClientRect().bottom + window.scrollY") for e in ends
    ]
    width = page.viewport_size["width"] if page.viewport_size else 1440
    # From the top: scrolled, the sticky header would be captured half-way down the page.
    await page.evaluate("window.scrollTo(0, 0)")
    clip: FloatRect = {"x": 0, "y": 0, "width": width, "height": max(bottoms) + 16}
    await page.screenshot(path=path, full_page=True, clip=clip)


async def shoot_lab(browser: Browser, url: str, out: Path, rng: np.random.Generator) -> None:
    """A circle drawn with the mouse, the live model's bars with circle on top, and a
    generated circle beside it."""
    context = await browser.new_context(**STILL)
    page = await context.new_page()
    try:
        await page.goto(f"{url}/lab")
        await expect(page.get_by_test_id("lab-model-version")).to_have_text("v2")
        canvas = PlayPage(page)  # the lab reuses the play canvas, so its drawing helpers fit
        _, (width, height) = await canvas.canvas_origin()
        circle = fitted(synth_drawing(shape_by_name("circle").id, rng), width, height)
        await canvas.draw_mouse(circle, step=12)
        await expect(page.get_by_test_id("lab-answer")).to_have_attribute("data-shape", "circle")
        bars = page.get_by_test_id("lab-bars")
        await expect(bars.locator(".is-top")).to_have_attribute("data-shape", "circle")
        await expect(page.get_by_test_id("lab-latency")).to_contain_text("ms")
        await page.get_by_test_id("lab-generate-seed").fill("3")
        await page.get_by_test_id("lab-generate").click()
        await expect(page.get_by_test_id("lab-generate-used-seed")).to_have_text("3")
        await expect(page.get_by_test_id("lab-generate-verdict")).to_contain_text("classifier")
        # Reduced motion draws the generated drawing at once, and the bars' transitions are
        # off; the canvas paint itself has no DOM signal.
        await page.wait_for_timeout(300)
        await shoot_down_to(
            page,
            out / "lab-1440x900.png",
            page.get_by_role("toolbar", name="Drawing tools"),
            page.get_by_test_id("lab-generation"),
        )
    finally:
        await context.close()


async def shoot_admin(admin: AdminPortal, total: int, out: Path) -> None:
    """The dashboard with every drawing counted, then the two classifiers compared."""
    page = admin.page
    await admin.open_section("dashboard")
    await page.get_by_test_id("stats-refresh").click()
    await expect(admin.stat("total")).to_have_attribute("data-value", str(total))
    await expect(admin.stat("active-model")).to_have_attribute("data-value", "2")
    await expect(page.get_by_test_id("live-monitor")).to_have_attribute("data-fresh", "true")
    await page.wait_for_timeout(300)  # Chart.js paints its canvases after the data lands
    await shoot_down_to(page, out / "admin-1440x900.png", page.get_by_test_id("dashboard"))

    await admin.open_section("models")
    await expect(page.get_by_test_id("model-row")).to_have_count(2)
    for version in (2, 1):
        await admin.model(version).get_by_test_id("compare-select").check()
    await page.get_by_test_id("compare-button").click()
    compare = page.get_by_test_id("model-compare")
    await expect(compare).to_have_attribute("data-a", "1")
    await expect(compare).to_have_attribute("data-b", "2")
    await expect(compare.get_by_test_id("compare-summary")).to_have_attribute(
        "data-evaluated", re.compile(r"^[1-9]")
    )
    await shoot_down_to(
        page, out / "admin-models-1440x900.png", compare.get_by_test_id("confusion-b")
    )


async def main(out: Path) -> None:
    expect.set_options(timeout=15_000)
    rng = np.random.default_rng(7)
    stack: Stack = await start_stack()
    api = AdminApi(stack.url)
    try:
        await seed_history(stack.url, rng)
        await create_admin(stack.env["DATABASE_URL"], ADMIN_EMAIL, ADMIN_PASSWORD)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                # /watch first: a player who leaves mid-drawing keeps a tile for up to 60 s.
                await shoot_watch(browser, stack.url, out, rng)
                await shoot_play(browser, stack.url, out, rng)
                # The admin watches the dashboard while the dataset grows and models train,
                # so its live panel has the seeding burst and the model loads to show.
                context = await browser.new_context(**STILL)
                admin = AdminPortal(await context.new_page())
                await admin.login(stack.url, ADMIN_EMAIL, ADMIN_PASSWORD)
                await api.login(ADMIN_EMAIL, ADMIN_PASSWORD)
                total = await prepare_models(stack, api)
                await shoot_lab(browser, stack.url, out, rng)
                await shoot_admin(admin, total, out)
                await context.close()
            finally:
                await browser.close()
    finally:
        await api.http.aclose()
        stack.stop()


def run(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Screenshots of /play, /watch, /lab and /admin for the README"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out: Path = parser.parse_args(argv).out
    if not (ROOT / "client" / "dist" / "index.html").exists():
        raise SystemExit("client/dist is missing: run `make setup` (or npm run build in client/)")
    out.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(out))
    for png in sorted(out.glob("*.png")):
        print(png.relative_to(ROOT) if png.is_relative_to(ROOT) else png)


if __name__ == "__main__":
    run()
