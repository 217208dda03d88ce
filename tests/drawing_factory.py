"""Stored drawings for admin tests, written the way the flusher writes them: the records
concatenated into one shard object, the rows inserted by store/drawings.py (so migration 002's
counters see them), then any per-test adjustment by plain SQL. And a logged-in admin."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pytest

from store.drawings import PlayerTotals, insert_shard_rows
from store.records import StoredDrawing, encode_record
from store.services import Services
from tests.admin_fixtures import AdminBrowser, Credentials
from tests.fixtures import LiveServer, circle_drawing

# 2024-01-01T00:00:00Z, a fixed clock for timestamps tests compare.
T0_MS = 1_704_067_200_000


@dataclass(frozen=True, slots=True)
class Spec:
    shape_id: int = 2
    at_ms: int = T0_MS
    device: str = "mouse"
    quality: float = 0.8
    session: str = "session-0001"


async def store_drawings(svc: Services, specs: Sequence[Spec]) -> list[uuid.UUID]:
    """One shard holding a drawing per spec; their ids, in the specs' order."""
    user = str(uuid.uuid4())
    records = [
        StoredDrawing(
            str(uuid.uuid4()),
            spec.session,
            user,
            spec.at_ms,
            spec.quality,
            replace(circle_drawing(spec.shape_id, seed=i), device=spec.device),
        )
        for i, spec in enumerate(specs)
    ]
    blobs = [encode_record(r) for r in records]
    key = f"shards/test/{uuid.uuid4().hex}.dsh"
    await svc.objects.put(key, b"".join(blobs))
    rows = []
    offset = 0
    for record, blob in zip(records, blobs, strict=True):
        rows.append((offset, len(blob), record))
        offset += len(blob)
    async with svc.pool.acquire() as conn:
        await insert_shard_rows(conn, key, rows, [PlayerTotals(user, "Tester", len(rows), 1)])
    return [uuid.UUID(r.id) for r in records]


@pytest.fixture
async def browser(admin_server: LiveServer, admin: Credentials) -> AdminBrowser:
    """An admin logged in to `admin_server`, holding its session and CSRF token."""
    b = AdminBrowser(admin_server)
    assert (await b.login(admin.email, admin.password)).status_code == 200
    return b
