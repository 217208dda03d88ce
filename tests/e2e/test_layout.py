"""/play and /watch on the narrowest phone we support (360 px): nothing sticks out sideways,
whatever the page shows, and nothing is logged as an error."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.e2e.conftest import NewTab
from tests.e2e.pages import PlayPage, WatchPage, no_horizontal_scroll
from tests.e2e.paths import shape_strokes
from tests.fixtures import LiveServer

NARROW: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


async def test_play_and_watch_fit_a_360px_phone_without_errors(
    live_server: LiveServer, new_tab: NewTab
) -> None:
    player = await new_tab(**NARROW)
    play = PlayPage(player.page)
    await play.open(live_server.url)
    await expect(player.page.get_by_test_id("instructions")).to_be_visible()
    assert await no_horizontal_scroll(player.page), "first-visit help"
    await player.page.get_by_test_id("instructions-dismiss").click()
    shape = await play.wait_online()
    _, (width, height) = await play.canvas_origin()
    assert width <= 360 and width == height
    await play.draw_touch(shape_strokes(shape, width, height))
    await play.submit()
    await play.wait_ack()
    assert await no_horizontal_scroll(player.page), "after an accepted drawing"
    nickname = await play.nickname()

    spectator = await new_tab(**NARROW)
    watch = WatchPage(spectator.page)
    await watch.open(live_server.url)
    await expect(watch.entry("all", nickname)).to_have_attribute("data-score", "1")
    assert await no_horizontal_scroll(spectator.page), "/watch with a leaderboard"
    # A drawing in progress fills a tile; its caption must not push the grid wider.
    (ox, oy), _ = await play.canvas_origin()
    await player.page.mouse.move(ox + 20, oy + 20)
    await player.page.mouse.down()
    await player.page.mouse.move(ox + 200, oy + 120, steps=8)
    await expect(watch.tile_of(nickname)).to_have_attribute("data-state", "drawing")
    await player.page.mouse.up()
    assert await no_horizontal_scroll(spectator.page), "/watch with a live tile"

    assert player.log.unexpected() == []
    assert spectator.log.unexpected() == []
