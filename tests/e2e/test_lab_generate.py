"""/lab in real Chromium: "Generate" draws a generated shape at its pace, and "Another" asks
for a new one, with what the classifier thinks of each."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from tests.e2e.conftest import NewTab
from tests.fixtures import run_server
from tests.generator_fixtures import RegisterGenerator
from tests.model_fixtures import RegisterModel


async def test_generate_draws_a_shape_and_another_asks_again(
    settings: Any,
    register_model: RegisterModel,
    register_generator: RegisterGenerator,
    generator_onnx: bytes,
    new_tab: NewTab,
) -> None:
    await register_model()
    await register_generator(generator_onnx)
    with run_server(settings) as server:
        tab = await new_tab()
        page = tab.page
        await page.goto(f"{server.url}/lab")
        await page.get_by_test_id("lab-generate-shape").select_option("heart")
        await page.get_by_test_id("lab-generate-seed").fill("7")
        await page.get_by_test_id("lab-generate").click()

        await expect(page.get_by_test_id("lab-generate-used-seed")).to_have_text("7")
        canvas = page.get_by_test_id("lab-generated-canvas")
        await expect(canvas).to_have_attribute("data-duration", re.compile(r"^[1-9]\d*$"))
        verdict = page.get_by_test_id("lab-generate-verdict")
        await expect(verdict).to_contain_text("The classifier sees")

        await page.get_by_test_id("lab-generate-another").click()
        await expect(page.get_by_test_id("lab-generate-used-seed")).not_to_have_text("7")
        await expect(page.get_by_test_id("lab-generate-seed")).to_have_value("")
        assert tab.log.unexpected() == []
