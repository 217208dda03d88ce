"""Screenshots of /play and /watch for the README, taken from a real run.

    make screenshots            # or: .venv/bin/python -m scripts.screenshots [--out DIR]

Starts a throwaway stack (embedded PostgreSQL and Valkey, `drawstream server` and
`drawstream worker` processes: bench/stack.py), gives it a little history through the REST
API so the leaderboards have people on them, then drives headless Chromium the way players
do: real pointer input on /play, several players drawing at once while spectators look at
/watch. Nothing is mocked, so the pictures show what a visitor would see, and a layout bug
shows up here before someone files it.

Writes docs/screenshots/{play,watch}-{390x844,1440x900}.png. The phone shots use a device
pixel ratio of 2 (crisp on a phone-sized image); the desktop ones 1.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from bench.stack import ROOT, Stack, start_stack
from game.shapes import shape_by_name
from game.strokes import Drawing
from game.synthetic import synth_drawing
from tests.e2e.pages import PlayPage, WatchPage
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


async def main(out: Path) -> None:
    expect.set_options(timeout=15_000)
    rng = np.random.default_rng(7)
    stack: Stack = await start_stack()
    try:
        await seed_history(stack.url, rng)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                # /watch first: a player who leaves mid-drawing keeps a tile for up to 60 s.
                await shoot_watch(browser, stack.url, out, rng)
                await shoot_play(browser, stack.url, out, rng)
            finally:
                await browser.close()
    finally:
        stack.stop()


def run(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Screenshots of /play and /watch for the README")
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
