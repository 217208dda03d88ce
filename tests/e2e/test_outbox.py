"""Never losing a drawing, in real Chromium: a drawing submitted while the server is down waits
in the IndexedDB outbox, survives a reload, and is delivered exactly once when the server is
back, without the player doing anything."""

from __future__ import annotations

import re

from playwright.async_api import WebSocketRoute, expect

from store.settings import Settings
from tests.e2e.conftest import NewTab, ServerProcess
from tests.e2e.pages import PlayPage
from tests.e2e.paths import shape_strokes
from tests.e2e.stored import assert_traced, exported, rows, wait_flushed
from tests.fixtures import LiveServer
from workers.flusher import Flusher

# What Chromium logs while the server is down: the socket's failed connection attempts.
SERVER_DOWN = (r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/ws/play' failed",)
# Reconnection backs off (0.5 s doubling, jittered, capped at 15 s); the server is down for a
# few seconds, so the next attempt comes within about 10 s of its return.
RECONNECT_MS = 30_000


async def test_drawing_submitted_while_the_server_is_down_is_stored_once(
    server_process: ServerProcess, flusher: Flusher, settings: Settings, new_tab: NewTab
) -> None:
    await server_process.start()
    tab = await new_tab()
    play = PlayPage(tab.page)
    shape = await play.start(server_process.url)
    _, (width, height) = await play.canvas_origin()
    strokes = shape_strokes(shape, width, height)

    await server_process.stop()
    await expect(play.connection).not_to_have_attribute("data-state", "online")
    await play.draw_mouse(strokes)
    await play.submit()
    await expect(play.feedback).to_have_attribute("data-kind", "queued")
    await expect(play.page.get_by_test_id("queued-message")).to_be_visible()
    await expect(play.outbox).to_have_attribute("data-count", "1")
    await expect(play.outbox).to_contain_text("1 drawing waiting to be sent")
    await expect(play.canvas).to_have_attribute("data-strokes", "0")

    # Same address, a new process: the page reconnects and resubmits by itself.
    await server_process.start()
    await expect(play.connection).to_have_attribute("data-state", "online", timeout=RECONNECT_MS)
    drawing_id, next_shape = await play.wait_ack()
    await expect(play.ack).to_have_attribute("data-shape", shape)
    await expect(play.prompt).to_have_attribute("data-shape", next_shape)
    await expect(play.outbox).to_have_attribute("data-count", "0")

    await wait_flushed(server_process.url)
    assert [r.id for r in await rows(settings.database_url or "")] == [drawing_id]
    [stored] = await exported(settings)
    assert_traced(stored["drawing"], strokes)
    assert tab.log.unexpected(*SERVER_DOWN) == []


async def test_a_waiting_drawing_survives_a_reload(
    live_server: LiveServer, flusher: Flusher, settings: Settings, new_tab: NewTab
) -> None:
    """The page stays reachable while /ws/play is cut (by Playwright, standing in for a proxy
    or network that drops the socket), so it can be reloaded with a drawing waiting."""
    tab = await new_tab()
    cut = False
    sockets: list[WebSocketRoute] = []

    async def play_socket(ws: WebSocketRoute) -> None:
        sockets.append(ws)
        if cut:
            await ws.close(code=1012, reason="cut by the test")
        else:
            ws.connect_to_server()

    await tab.context.route_web_socket(re.compile(r"/ws/play$"), play_socket)
    play = PlayPage(tab.page)
    shape = await play.start(live_server.url)
    _, (width, height) = await play.canvas_origin()
    strokes = shape_strokes(shape, width, height)

    cut = True
    await sockets[-1].close(code=1012, reason="cut by the test")
    await expect(play.connection).not_to_have_attribute("data-state", "online")
    await play.draw_mouse(strokes)
    await play.submit()
    await expect(play.feedback).to_have_attribute("data-kind", "queued")
    await expect(play.outbox).to_have_attribute("data-count", "1")

    await tab.page.reload()
    await expect(play.outbox).to_have_attribute("data-count", "1")
    await expect(play.outbox).to_contain_text("1 drawing waiting to be sent")
    assert await rows(settings.database_url or "") == []

    cut = False
    await expect(play.page.get_by_test_id("delivered-message")).to_be_visible(timeout=RECONNECT_MS)
    await expect(play.outbox).to_have_attribute("data-count", "0")
    await wait_flushed(live_server.url)
    [row] = await rows(settings.database_url or "")
    assert row.shape == shape
    [stored] = await exported(settings)
    assert stored["key_id"] == row.id
    assert_traced(stored["drawing"], strokes)
    assert tab.log.unexpected() == []
