"""The admin data browser over HTTP: listing, keyset paging, one drawing, thumbnails, and
curation of one drawing or many; every route refuses a missing session, every write a
missing CSRF token, and bad input is a 400 naming each field."""

from __future__ import annotations

import struct
import uuid
import zlib
from datetime import UTC, datetime
from typing import Any

import httpx
import numpy as np
import pytest

from game.curation import Curation
from game.drawing_query import DrawingFilter
from server.admin_cookies import SESSION_COOKIE
from store.admin_drawings import curate_filter
from store.selection import Selection, select_locations
from store.services import Services
from tests.admin_fixtures import AdminBrowser
from tests.drawing_factory import T0_MS, Spec, store_drawings
from tests.fixtures import circle_drawing

LIST = "/api/admin/drawings"


def _details(body: dict[str, Any]) -> set[str]:
    return {d["field"] for d in body.get("details", [])}


async def _row(svc: Services, drawing_id: uuid.UUID) -> dict[str, Any]:
    r = await svc.pool.fetchrow("SELECT * FROM drawings WHERE id = $1", drawing_id)
    assert r is not None
    return dict(r)


async def test_every_route_needs_a_session(browser: AdminBrowser, svc: Services) -> None:
    [drawing] = await store_drawings(svc, [Spec()])
    routes = [
        ("GET", LIST),
        ("GET", f"{LIST}/{drawing}"),
        ("GET", f"{LIST}/{drawing}/thumbnail.png"),
        ("POST", f"{LIST}/{drawing}/flag"),
        ("POST", f"{LIST}/{drawing}/delete"),
        ("POST", f"{LIST}/{drawing}/restore"),
        ("POST", f"{LIST}/{drawing}/quality"),
        ("POST", f"{LIST}/bulk"),
        ("GET", "/api/admin/stats"),
        ("POST", "/api/admin/cleanup/run"),
        ("GET", f"/api/admin/models/compare?a={drawing}&b={drawing}"),
    ]
    for method, path in routes:
        r = await browser.request(method, path, json={}, with_session=False)
        assert r.status_code == 401, (method, path)
        assert r.json()["error"] == "unauthorized"


async def test_every_write_needs_the_csrf_token(browser: AdminBrowser, svc: Services) -> None:
    [drawing] = await store_drawings(svc, [Spec()])
    writes = [
        (f"{LIST}/{drawing}/flag", {"flagged": True}),
        (f"{LIST}/{drawing}/delete", None),
        (f"{LIST}/{drawing}/restore", None),
        (f"{LIST}/{drawing}/quality", {"quality": 0.1}),
        (f"{LIST}/bulk", {"action": "delete", "ids": [str(drawing)]}),
        ("/api/admin/cleanup/run", {"dryRun": False}),
    ]
    for path, body in writes:
        r = await browser.request("POST", path, json=body, with_csrf=False)
        assert r.status_code == 403, path
        assert r.json()["error"] == "csrf_failed"
    row = await _row(svc, drawing)
    assert (
        not row["is_flagged"]
        and row["deleted_at"] is None
        and row["quality_score"] == pytest.approx(0.8)
    )


async def test_list_filters_and_orders_newest_first(browser: AdminBrowser, svc: Services) -> None:
    specs = [
        Spec(shape_id=2, at_ms=T0_MS + 1000, device="mouse", quality=0.9),
        Spec(shape_id=3, at_ms=T0_MS + 2000, device="pen", quality=0.3),
        Spec(shape_id=2, at_ms=T0_MS + 3000, device="synthetic", quality=0.95),
        Spec(shape_id=2, at_ms=T0_MS + 4000, device="touch", quality=0.5, session="other-sess"),
    ]
    ids = await store_drawings(svc, specs)
    r = await browser.request("GET", LIST)
    assert r.status_code == 200
    body = r.json()
    assert [i["id"] for i in body["items"]] == [str(i) for i in reversed(ids)]
    assert body["nextCursor"] is None
    first = body["items"][-1]
    assert first == {
        "id": str(ids[0]),
        "shape": "circle",
        "createdAt": "2024-01-01T00:00:01+00:00",
        "quality": 0.9,
        "flagged": False,
        "flagReason": None,
        "deleted": False,
        "deletedAt": None,
        "device": "mouse",
        "synthetic": False,
        "sessionId": "session-0001",
        "strokeCount": 1,
        "pointCount": 40,
        "durationMs": 640,
    }

    async def ids_for(query: str) -> list[str]:
        r = await browser.request("GET", f"{LIST}?{query}")
        assert r.status_code == 200, r.text
        return [i["id"] for i in r.json()["items"]]

    assert await ids_for("shape=square") == [str(ids[1])]
    assert await ids_for("shape=2&qmin=0.9") == [str(ids[2]), str(ids[0])]
    assert await ids_for("qmax=0.5") == [str(ids[3]), str(ids[1])]
    assert await ids_for("synthetic=true") == [str(ids[2])]
    assert await ids_for("synthetic=false&device=pen") == [str(ids[1])]
    assert await ids_for("session=other-sess") == [str(ids[3])]
    assert await ids_for("from=2024-01-01T00:00:02Z&to=2024-01-01T00:00:04Z") == [
        str(ids[2]),
        str(ids[1]),
    ]
    assert await ids_for("to=2024-01-01") == [str(i) for i in reversed(ids)]  # the whole day
    assert await ids_for("from=2024-01-02") == []
    assert await ids_for("flagged=true") == []
    assert await ids_for("deleted=true") == []
    assert await ids_for("shape=&device=") == [str(i) for i in reversed(ids)]  # empty: any


async def test_keyset_pages_never_repeat_or_skip_equal_timestamps(
    browser: AdminBrowser, svc: Services
) -> None:
    # 23 drawings in 5 groups sharing a millisecond: pages of 4 cut through the groups.
    specs = [Spec(at_ms=T0_MS + (i // 5) * 10) for i in range(23)]
    ids = await store_drawings(svc, specs)
    expected = [
        str(i)
        for _, i in sorted(((s.at_ms, i) for s, i in zip(specs, ids, strict=True)), reverse=True)
    ]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = "limit=4" + (f"&cursor={cursor}" if cursor else "")
        r = await browser.request("GET", f"{LIST}?{query}")
        assert r.status_code == 200
        body = r.json()
        seen.extend(i["id"] for i in body["items"])
        pages += 1
        cursor = body["nextCursor"]
        if cursor is None:
            break
    assert seen == expected  # each once, in (created_at DESC, id DESC) order
    assert pages == 6
    # A drawing arriving meanwhile (newer) does not shift the pages already being read.
    r = await browser.request("GET", f"{LIST}?limit=4")
    await store_drawings(svc, [Spec(at_ms=T0_MS + 999_999)])
    r2 = await browser.request("GET", f"{LIST}?limit=4&cursor={r.json()['nextCursor']}")
    assert [i["id"] for i in r2.json()["items"]] == expected[4:8]


async def test_bad_list_queries_name_every_field(browser: AdminBrowser) -> None:
    query = (
        "shape=blob&qmin=2&qmax=x&flagged=maybe&deleted=1&device=mouse2&limit=500"
        "&cursor=!!&from=yesterday&bogus=1&synthetic=TRUE"
    )
    r = await browser.request("GET", f"{LIST}?{query}")
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "invalid_query" and body["requestId"]
    assert _details(body) == {
        "shape", "qmin", "qmax", "flagged", "deleted", "device", "limit", "cursor", "from",
        "bogus", "synthetic",
    }  # fmt: skip
    r = await browser.request("GET", f"{LIST}?qmin=0.8&qmax=0.2&from=2024-02-01&to=2024-01-01")
    assert r.status_code == 400 and _details(r.json()) == {"qmax", "to"}


async def test_one_drawing_with_its_strokes(browser: AdminBrowser, svc: Services) -> None:
    [drawing_id] = await store_drawings(svc, [Spec(quality=0.7)])
    r = await browser.request("GET", f"{LIST}/{drawing_id}")
    assert r.status_code == 200
    body = r.json()
    original = circle_drawing(2, seed=0)
    assert body["id"] == str(drawing_id) and body["quality"] == 0.7
    assert body["canvas"] == {"width": 400, "height": 400}
    assert body["metadata"]["synthetic"] is False
    [stroke] = body["strokes"]
    assert stroke["t"] == original.strokes[0].t.tolist()
    assert np.allclose(stroke["x"], original.strokes[0].x, atol=0.006)
    assert np.allclose(stroke["p"], original.strokes[0].p, atol=0.0006)
    assert len(stroke["y"]) == len(stroke["p"]) == 40
    assert stroke["color"] == "#1e1e1e" and stroke["width"] == 3.0
    missing = await browser.request("GET", f"{LIST}/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert (await browser.request("GET", f"{LIST}/not-a-uuid")).status_code == 404


def _png_pixels(data: bytes) -> np.ndarray:
    """Decode our greyscale PNG (IHDR, IDAT with 'up' filters, IEND), checking CRCs."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        tag, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(tag + body)
        chunks[tag] = body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 0)
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, width + 1)
    assert (rows[:, 0] == 2).all()  # "up" filter on every row
    return np.cumsum(rows[:, 1:].astype(np.uint64), axis=0).astype(np.uint8)


async def test_thumbnail_is_a_cacheable_png(browser: AdminBrowser, svc: Services) -> None:
    [drawing_id] = await store_drawings(svc, [Spec()])
    path = f"{LIST}/{drawing_id}/thumbnail.png"
    r = await browser.request("GET", path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png"
    assert r.headers["cache-control"] == "private, max-age=31536000, immutable"
    pixels = _png_pixels(r.content)
    assert pixels.shape == (96, 96)
    assert pixels.min() < 64 and np.median(pixels) == 255  # dark strokes on white
    small = await browser.request("GET", f"{path}?size=32")
    assert _png_pixels(small.content).shape == (32, 32)
    assert small.headers["etag"] != r.headers["etag"]
    headers = {"Cookie": f"{SESSION_COOKIE}={browser.session}", "If-None-Match": r.headers["etag"]}
    async with httpx.AsyncClient(base_url=browser.server.url) as http:
        again = await http.get(path, headers=headers)
    assert again.status_code == 304 and again.content == b""
    for size in ("8", "1000", "big"):
        bad = await browser.request("GET", f"{path}?size={size}")
        assert bad.status_code == 400 and _details(bad.json()) == {"size"}
    assert (await browser.request("GET", f"{LIST}/{uuid.uuid4()}/thumbnail.png")).status_code == 404
    # Other admin answers stay out of every cache.
    assert (await browser.request("GET", LIST)).headers["cache-control"] == "no-store"


async def test_flag_delete_restore_and_quality(browser: AdminBrowser, svc: Services) -> None:
    [drawing_id] = await store_drawings(svc, [Spec()])
    base = f"{LIST}/{drawing_id}"
    r = await browser.request("POST", f"{base}/flag", json={"flagged": True, "reason": "spam"})
    assert r.status_code == 200
    assert r.json()["flagged"] is True and r.json()["flagReason"] == "spam"
    flagged_at = (await _row(svc, drawing_id))["flagged_at"]
    assert flagged_at is not None
    r = await browser.request("POST", f"{base}/flag", json={"flagged": True, "reason": "rude"})
    assert r.json()["flagReason"] == "rude"
    assert (await _row(svc, drawing_id))["flagged_at"] == flagged_at  # first flagging counts
    r = await browser.request("POST", f"{base}/flag", json={"flagged": False})
    assert r.json()["flagged"] is False and r.json()["flagReason"] is None
    assert (await _row(svc, drawing_id))["flagged_at"] is None

    r = await browser.request("POST", f"{base}/delete")
    assert r.status_code == 200 and r.json()["deleted"] is True and r.json()["deletedAt"]
    r = await browser.request("POST", f"{base}/restore")
    assert r.status_code == 200 and r.json()["deleted"] is False

    r = await browser.request("POST", f"{base}/quality", json={"quality": 0.25})
    assert r.status_code == 200 and r.json()["quality"] == 0.25
    assert (await _row(svc, drawing_id))["quality_score"] == pytest.approx(0.25)


async def test_bad_writes(browser: AdminBrowser, svc: Services) -> None:
    [drawing_id] = await store_drawings(svc, [Spec()])
    base = f"{LIST}/{drawing_id}"
    cases = [
        (f"{base}/flag", {"flagged": "yes"}, {"flagged"}),
        (f"{base}/flag", {"flagged": True, "reason": "x" * 501}, {"reason"}),
        (f"{base}/flag", {"flagged": False, "reason": "why"}, {"reason"}),
        (f"{base}/quality", {"quality": 1.5}, {"quality"}),
        (f"{base}/quality", {"quality": True, "extra": 1}, {"quality", "extra"}),
        (f"{base}/quality", [0.5], {"body"}),
    ]
    for path, body, fields in cases:
        r = await browser.request("POST", path, json=body)
        assert r.status_code == 400, (path, body)
        assert _details(r.json()) == fields, (path, body)
    unknown = f"{LIST}/{uuid.uuid4()}"
    assert (await browser.request("POST", f"{unknown}/delete")).status_code == 404
    assert (
        await browser.request("POST", f"{unknown}/flag", json={"flagged": True})
    ).status_code == 404


async def test_bulk_by_ids_and_by_filter(browser: AdminBrowser, svc: Services) -> None:
    ids = await store_drawings(svc, [Spec(shape_id=1 + i % 2, at_ms=T0_MS + i) for i in range(10)])
    bulk = f"{LIST}/bulk"
    r = await browser.request(
        "POST", bulk, json={"action": "flag", "ids": [str(i) for i in ids[:3]], "reason": "dup"}
    )
    assert r.status_code == 200 and r.json() == {"affected": 3}
    r = await browser.request(
        "POST", bulk, json={"action": "flag", "ids": [str(ids[0])], "reason": "dup"}
    )
    assert r.json() == {"affected": 0}  # already so: nothing rewritten
    r = await browser.request(
        "POST", bulk, json={"action": "delete", "filter": {"shape": "line", "flagged": "false"}}
    )
    lines = {i for n, i in enumerate(ids) if n % 2 == 0}
    assert r.json() == {"affected": len(lines - set(ids[:3]))}
    r = await browser.request(
        "POST", bulk, json={"action": "quality", "quality": 0.1, "filter": {"deleted": True}}
    )
    assert r.json() == {"affected": 3}
    rows = {r["id"]: r for r in await svc.pool.fetch("SELECT * FROM drawings")}
    for n, i in enumerate(ids):
        deleted = i in lines and i not in ids[:3]
        assert (rows[i]["deleted_at"] is not None) == deleted
        assert rows[i]["is_flagged"] == (n < 3)
        assert rows[i]["quality_score"] == pytest.approx(0.1 if deleted else 0.8)
    r = await browser.request("POST", bulk, json={"action": "restore", "filter": {}})
    assert r.json() == {"affected": 3}


async def test_a_filter_wide_action_runs_in_batches(svc: Services) -> None:
    ids = await store_drawings(svc, [Spec(at_ms=T0_MS + i) for i in range(7)])
    upto = datetime.fromtimestamp((T0_MS + 4) / 1000, UTC)
    done = await curate_filter(svc.pool, DrawingFilter(), Curation("flag"), upto, batch_size=2)
    assert done == 5  # three batches (2, 2, 1); the two newer than `upto` untouched
    flagged = {r[0] for r in await svc.pool.fetch("SELECT id FROM drawings WHERE is_flagged")}
    assert flagged == set(ids[:5])


async def test_bad_bulk_requests(browser: AdminBrowser) -> None:
    some = str(uuid.uuid4())
    cases = [
        ({"action": "flag"}, {"ids"}),
        ({"action": "flag", "ids": [some], "filter": {}}, {"ids"}),
        ({"action": "explode", "ids": [some]}, {"action"}),
        ({"action": "quality", "ids": [some]}, {"quality"}),
        ({"action": "delete", "ids": [some], "quality": 0.5}, {"quality"}),
        ({"action": "delete", "ids": [some], "reason": "x"}, {"reason"}),
        ({"action": "delete", "ids": []}, {"ids"}),
        ({"action": "delete", "ids": [some] * 1001}, {"ids"}),
        ({"action": "delete", "ids": ["nope", 3]}, {"ids[0]", "ids[1]"}),
        ({"action": "delete", "filter": {"bogus": 1, "qmin": 9}}, {"filter.bogus", "filter.qmin"}),
        ({"action": "delete", "filter": "all"}, {"filter"}),
        ({"action": "delete", "ids": [some], "more": 1}, {"more"}),
    ]
    for body, fields in cases:
        r = await browser.request("POST", f"{LIST}/bulk", json=body)
        assert r.status_code == 400, body
        assert r.json()["error"] == "invalid_request"
        assert _details(r.json()) == fields, body


async def test_flagged_and_deleted_drawings_leave_the_training_selection(
    browser: AdminBrowser, svc: Services
) -> None:
    ids = await store_drawings(svc, [Spec(at_ms=T0_MS + i, quality=0.9) for i in range(4)])
    selection = Selection(shape_ids=(2,))
    assert {loc.id for loc in await select_locations(svc.pool, selection)} == set(ids)
    await browser.request("POST", f"{LIST}/{ids[0]}/flag", json={"flagged": True})
    await browser.request("POST", f"{LIST}/{ids[1]}/delete")
    await browser.request("POST", f"{LIST}/{ids[2]}/quality", json={"quality": 0.1})
    assert {loc.id for loc in await select_locations(svc.pool, selection)} == {ids[3]}
    await browser.request("POST", f"{LIST}/{ids[0]}/flag", json={"flagged": False})
    await browser.request("POST", f"{LIST}/{ids[1]}/restore")
    assert {loc.id for loc in await select_locations(svc.pool, selection)} == {
        ids[0],
        ids[1],
        ids[3],
    }
