"""/play in real Chromium: a drawing made with the mouse or a finger goes through the real
server and flusher, and what is stored is what the player traced."""

from __future__ import annotations

from playwright.async_api import expect

from store.settings import Settings
from tests.e2e.conftest import PHONE, NewTab
from tests.e2e.pages import PlayPage, no_horizontal_scroll
from tests.e2e.paths import shape_strokes
from tests.e2e.stored import assert_traced, exported, rows, wait_flushed
from tests.fixtures import LiveServer
from workers.flusher import Flusher


async def test_mouse_drawing_is_acked_and_stored_as_drawn(
    live_server: LiveServer, flusher: Flusher, settings: Settings, new_tab: NewTab
) -> None:
    tab = await new_tab()
    play = PlayPage(tab.page)
    shape = await play.start(live_server.url)
    await expect(play.prompt).to_contain_text(f"Draw a {shape}")
    _, (width, height) = await play.canvas_origin()
    strokes = shape_strokes(shape, width, height)

    await play.draw_mouse(strokes)
    await expect(play.canvas).to_have_attribute("data-canvas-width", str(round(width)))
    await play.submit()
    drawing_id, next_shape = await play.wait_ack()

    await expect(play.ack).to_have_attribute("data-shape", shape)
    await expect(play.prompt).to_have_attribute("data-shape", next_shape)
    await expect(play.canvas).to_have_attribute("data-strokes", "0")
    await expect(play.page.get_by_test_id("stats-total")).to_contain_text("1")
    await play.assert_toast_clear_of_tools()
    await wait_flushed(live_server.url)
    [row] = await rows(settings.database_url or "")
    assert (row.id, row.device, row.shape) == (drawing_id, "mouse", shape)
    [stored] = await exported(settings)
    assert (stored["key_id"], stored["word"]) == (drawing_id, shape)
    assert_traced(stored["drawing"], strokes)
    assert tab.log.unexpected() == []


async def test_touch_drawing_on_a_phone_is_stored_as_touch(
    live_server: LiveServer, flusher: Flusher, settings: Settings, new_tab: NewTab
) -> None:
    tab = await new_tab(**PHONE)
    # A hybrid device (a tablet with a mouse, a touch-screen laptop) whose last input was the
    # mouse: the session opens as "mouse", yet this drawing is made with a finger, and the
    # dataset must say so.
    await tab.context.add_init_script("localStorage.setItem('drawstream.device', 'mouse')")
    play = PlayPage(tab.page)
    shape = await play.start(live_server.url)
    _, (width, height) = await play.canvas_origin()
    assert width <= 390
    strokes = shape_strokes(shape, width, height)

    scroll_before = await tab.page.evaluate("() => window.scrollY")
    await play.draw_touch(strokes)
    # touch-action: none — dragging a finger over the canvas draws, it does not scroll.
    assert await tab.page.evaluate("() => window.scrollY") == scroll_before
    await play.submit()
    drawing_id, _ = await play.wait_ack()
    assert await no_horizontal_scroll(tab.page)
    await play.assert_toast_clear_of_tools()

    await wait_flushed(live_server.url)
    [row] = await rows(settings.database_url or "")
    assert (row.id, row.device, row.stroke_count) == (drawing_id, "touch", len(strokes))
    [stored] = await exported(settings)
    assert_traced(stored["drawing"], strokes)
    assert tab.log.unexpected() == []
