"""/lab in real Chromium: drawing a shape moves the live model's bars until it is on top."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.e2e.conftest import NewTab
from tests.e2e.pages import PlayPage
from tests.e2e.paths import shape_strokes
from tests.fixtures import run_server
from tests.model_fixtures import RegisterModel


async def test_drawing_a_circle_in_the_lab_puts_circle_on_top(
    settings: Any, register_model: RegisterModel, new_tab: NewTab
) -> None:
    row = await register_model()
    with run_server(settings) as server:
        tab = await new_tab()
        page = tab.page
        await page.goto(f"{server.url}/lab")
        await expect(page.get_by_test_id("lab-model-version")).to_have_text(f"v{row.version}")
        canvas = PlayPage(page)  # the lab reuses the play canvas, so its drawing helpers fit
        _, (width, height) = await canvas.canvas_origin()
        await canvas.draw_mouse(shape_strokes("circle", width, height))

        await expect(page.get_by_test_id("lab-answer")).to_have_attribute("data-shape", "circle")
        bars = page.get_by_test_id("lab-bars")
        await expect(bars.locator(".is-top")).to_have_attribute("data-shape", "circle")
        await expect(page.get_by_test_id("lab-latency")).to_contain_text("ms")

        await page.get_by_test_id("lab-new-try").click()
        await expect(page.get_by_test_id("lab-tries")).to_contain_text("circle")
        await expect(canvas.canvas).to_have_attribute("data-strokes", "0")
        assert tab.log.unexpected() == []
