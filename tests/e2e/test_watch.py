"""/watch in real Chromium: a spectator on one server sees a player on another server draw,
live, then the drawing accepted and the leaderboards updated."""

from __future__ import annotations

from playwright.async_api import expect

from tests.e2e.conftest import NewTab
from tests.e2e.pages import PlayPage, WatchPage
from tests.e2e.paths import densify, shape_strokes
from tests.fixtures import LiveServer


async def test_spectator_on_server_b_watches_a_drawing_made_on_server_a(
    live_server: LiveServer, second_server: LiveServer, new_tab: NewTab
) -> None:
    spectator = await new_tab()
    watch = WatchPage(spectator.page)
    await watch.open(second_server.url)
    await expect(watch.tiles).to_have_count(6)
    await expect(spectator.page.get_by_test_id("live-count")).to_have_attribute("data-count", "0")

    player = await new_tab()
    play = PlayPage(player.page)
    shape = await play.start(live_server.url)
    nickname = await play.nickname()
    (ox, oy), (width, height) = await play.canvas_origin()
    first, *rest = shape_strokes(shape, width, height)
    path = densify(first, 6.0)

    # Half of the first stroke, the pointer still down: the spectator sees it being drawn.
    mouse = player.page.mouse
    await mouse.move(ox + path[0][0], oy + path[0][1])
    await mouse.down()
    half = len(path) // 2
    for x, y in path[1:half]:
        await mouse.move(ox + x, oy + y)
    tile = watch.tile_of(nickname)
    await expect(tile).to_have_attribute("data-state", "drawing")
    await expect(tile).to_have_attribute("data-shape", shape)
    await expect(spectator.page.get_by_test_id("live-count")).to_have_attribute("data-count", "1")
    for x, y in path[half:]:
        await mouse.move(ox + x, oy + y)
    await mouse.up()
    if rest:
        await play.draw_mouse(rest)
    await play.submit()
    drawing_id, _ = await play.wait_ack()

    await expect(tile).to_have_attribute("data-state", "done")
    await expect(tile).to_have_attribute("data-drawing-id", drawing_id)
    await expect(tile.get_by_test_id("tile-done")).to_be_visible()
    # Done, drawing and empty tiles keep one grid: same size, side by side, never on top of
    # each other (a state class once collided with the badge's and pulled tiles out of it).
    boxes = await watch.tile_boxes()
    assert len({(round(w), round(h)) for _, _, w, h in boxes}) == 1, boxes
    assert len({(round(x), round(y)) for x, y, _, _ in boxes}) == len(boxes), boxes
    for board in ("today", "all"):
        entry = watch.entry(board, nickname)
        await expect(entry).to_have_attribute("data-score", "1")
        await expect(entry).to_have_attribute("data-rank", "1")
    await expect(watch.entry("streak", nickname)).to_have_attribute("data-score", "1")
    assert spectator.log.unexpected() == []
    assert player.log.unexpected() == []
