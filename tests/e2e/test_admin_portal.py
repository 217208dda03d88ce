"""The admin portal in real Chromium against the whole platform (issue 7): `drawstream server`
and `drawstream worker` processes on PostgreSQL, Valkey and an S3 object store.

One admin session walks the curation-to-deployment path: sign in, read the dashboard's
numbers, filter the data browser, flag a drawing, train a classifier without it, follow the
job to the end, compare the new version with the live one, activate it, and see /lab serve it.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import expect

from game.shapes import SHAPES
from server.embedded import free_port
from store import services
from store.feed import Feed
from store.job_status import JobStatus
from store.models import activate_and_announce
from store.settings import Settings
from store.training_jobs import JobRow, job_by_id
from tests.admin_fixtures import Credentials
from tests.e2e.conftest import NewTab
from tests.e2e.pages import AdminPortal
from tests.processes import Proc, drawstream, env_for, wait_ready
from tests.services import S3Endpoint
from tests.training_helpers import seed_shapes, submit, wait_for

# Few drawings and a narrow net for one epoch: each training job takes seconds, and accuracy
# is not what this test is about. 40 drawings fit on the data browser's first page (48).
PER_SHAPE = 8
TINY = {"epochs": 1, "width": 4, "num_threads": 1}
# A job on a loaded two-core machine: starting PyTorch, reading shards, training, exporting.
TRAINING_MS = 90_000


@pytest.fixture
def settings(settings: Settings, s3_endpoint: S3Endpoint) -> Settings:
    """The usual test settings with objects in S3, as a multi-machine deployment keeps them."""
    return dataclasses.replace(settings, s3=s3_endpoint.settings)


@dataclasses.dataclass
class Platform:
    """`drawstream worker` and `drawstream server` processes, configured through the
    environment as an operator would, sharing the test's PostgreSQL, Valkey and bucket."""

    env: dict[str, str]
    port: int = dataclasses.field(default_factory=free_port)
    processes: list[Proc] = dataclasses.field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_worker(self) -> None:
        self._start(drawstream("worker"))

    async def start_server(self) -> None:
        self._start(drawstream("server", "--port", str(self.port)))
        await wait_ready(self.url)

    def _start(self, argv: list[str]) -> None:
        proc = Proc(argv, self.env)
        self.processes.append(proc)
        proc.start()

    def stop(self) -> None:
        for proc in self.processes:
            proc.stop()


@pytest.fixture
def platform(settings: Settings, s3_endpoint: S3Endpoint) -> Iterator[Platform]:
    s3 = s3_endpoint
    env = env_for(
        settings.database_url or "",
        settings.redis_url or "",
        S3_ENDPOINT=s3.endpoint,
        S3_ACCESS_KEY=s3.access_key,
        S3_SECRET_KEY=s3.secret_key,
        S3_BUCKET=s3.bucket,
        S3_REGION=s3.region,
        S3_SECURE=str(s3.secure).lower(),
        DRAWSTREAM_DATA_DIR=str(settings.data_dir),
        DRAWSTREAM_LOG_LEVEL="warning",
    )
    platform = Platform(env)
    yield platform
    platform.stop()


async def _trained(svc: services.Services, config: dict[str, Any]) -> JobRow:
    """Starts a classifier job the way the API does and waits for the worker to finish it."""
    job = await submit(svc, {"kind": "classifier", "config": config})

    async def finished() -> JobRow | None:
        row = await job_by_id(svc.pool, job.id)
        return row if row is not None and row.status.terminal else None

    done = await wait_for(finished, timeout=TRAINING_MS / 1000)
    assert done.status is JobStatus.SUCCEEDED, done.error
    return done


async def test_an_admin_curates_trains_compares_and_deploys_a_model(
    settings: Settings,
    svc: services.Services,
    admin: Credentials,
    platform: Platform,
    new_tab: NewTab,
) -> None:
    total = PER_SHAPE * len(SHAPES)
    # Seeded before the worker starts, so the seed's own flush stores every drawing.
    await seed_shapes(settings, per_shape=PER_SHAPE)
    platform.start_worker()
    # Version 1 was trained on every drawing and serves: what the admin is about to replace.
    first = await _trained(svc, TINY)
    assert first.model_id is not None
    await activate_and_announce(svc.pool, Feed(svc.redis), first.model_id)
    await platform.start_server()

    tab = await new_tab()
    page = tab.page
    admin_ui = AdminPortal(page)
    await page.goto(f"{platform.url}/lab")
    await expect(page.get_by_test_id("lab-model-version")).to_have_text("v1")

    # Sign in; the dashboard counts the seeded drawings.
    await admin_ui.login(platform.url, admin.email, admin.password)
    await expect(admin_ui.stat("total")).to_have_attribute("data-value", str(total))
    await expect(admin_ui.stat("flagged")).to_have_attribute("data-value", "0")
    await expect(admin_ui.stat("active-model")).to_have_attribute("data-value", "1")

    # The data browser, filtered to circles.
    await admin_ui.open_section("data")
    cards = page.get_by_test_id("drawing-card")
    await expect(cards).to_have_count(total)
    await page.get_by_test_id("filter-shape").select_option("circle")
    await expect(page).to_have_url(re.compile(r"[?&]shape=circle\b"))
    await expect(cards).to_have_count(PER_SHAPE)
    circles = page.locator('[data-testid="drawing-card"][data-shape="circle"]')
    await expect(circles).to_have_count(PER_SHAPE)

    # Flag one circle from its detail drawer.
    drawing_id = await cards.first.get_attribute("data-drawing-id") or ""
    assert drawing_id
    await cards.first.get_by_test_id("drawing-open").click()
    drawer = page.get_by_test_id("detail-drawer")
    await expect(drawer).to_be_visible()
    await drawer.get_by_test_id("flag-reason").fill("a scribble, not a circle")
    await drawer.get_by_test_id("flag-button").click()
    await expect(drawer.get_by_test_id("flag-button")).to_have_attribute("data-action", "unflag")
    await expect(admin_ui.card(drawing_id)).to_have_attribute("data-flagged", "true")
    await drawer.get_by_test_id("detail-close").click()
    await expect(drawer).to_be_hidden()

    # Flagged circles: just that one; unflagged circles: all the others.
    await page.get_by_test_id("filter-flagged").select_option("true")
    await expect(cards).to_have_count(1)
    await expect(admin_ui.card(drawing_id)).to_have_attribute("data-flagged", "true")
    await page.get_by_test_id("filter-flagged").select_option("false")
    await expect(cards).to_have_count(PER_SHAPE - 1)
    await expect(admin_ui.card(drawing_id)).to_have_count(0)

    # Train a tiny classifier from the form and follow it to the end.
    await admin_ui.open_section("training")
    await page.get_by_test_id("training-kind-classifier").check()
    await page.get_by_test_id("training-epochs").fill("1")
    await page.get_by_test_id("training-width").fill("4")
    await page.get_by_test_id("training-start").click()
    progress = page.get_by_test_id("training-progress")
    await expect(progress).not_to_have_attribute("data-job-id", str(first.id))
    job_id = await progress.get_attribute("data-job-id") or ""
    assert uuid.UUID(job_id)
    await expect(progress).to_have_attribute("data-kind", "classifier")
    await expect(progress).to_have_attribute("data-status", "succeeded", timeout=TRAINING_MS)
    await expect(page.get_by_test_id("training-job-error")).to_have_count(0)
    row = admin_ui.job(job_id)
    await expect(row).to_have_attribute("data-status", "succeeded")
    await expect(row.get_by_test_id("job-kind")).to_have_text("classifier")

    # The new version learnt from every drawing but the flagged one.
    await admin_ui.open_section("models")
    await expect(page.get_by_test_id("model-row")).to_have_count(2)
    old, new = admin_ui.model(1), admin_ui.model(2)
    await expect(old).to_have_attribute("data-active", "true")
    await expect(new).to_have_attribute("data-active", "false")
    await expect(old.get_by_test_id("model-dataset")).to_have_attribute("data-value", str(total))
    await expect(new.get_by_test_id("model-dataset")).to_have_attribute(
        "data-value", str(total - 1)
    )

    # Compare the two: both versions, run on the live unflagged drawings.
    await new.get_by_test_id("compare-select").check()
    await old.get_by_test_id("compare-select").check()
    await page.get_by_test_id("compare-button").click()
    compare = page.get_by_test_id("model-compare")
    await expect(compare).to_have_attribute("data-a", "1")
    await expect(compare).to_have_attribute("data-b", "2")
    await expect(compare.get_by_test_id("compare-summary")).to_have_attribute(
        "data-evaluated", str(total - 1)
    )
    await expect(compare.get_by_test_id("compare-dataset")).to_have_count(2)

    # Activate version 2.
    await new.get_by_test_id("activate-button").click()
    await admin_ui.confirm("activate-confirm")
    await expect(page.get_by_test_id("models-status")).to_contain_text("Activated version 2")
    await expect(new).to_have_attribute("data-active", "true")
    await expect(old).to_have_attribute("data-active", "false")
    await expect(page.get_by_test_id("active-model")).to_contain_text("version 2")

    # The dashboard hears the server load it, and counts the flag.
    await admin_ui.open_section("dashboard")
    loaded = page.get_by_test_id("monitor-model-event").filter(has_text="Model v2 loaded")
    await expect(loaded).to_have_attribute("data-event", "loaded")
    await expect(admin_ui.stat("flagged")).to_have_attribute("data-value", "1")
    await expect(admin_ui.stat("active-model")).to_have_attribute("data-value", "2")

    # /lab serves the new version.
    await page.goto(f"{platform.url}/lab")
    await expect(page.get_by_test_id("lab-model-version")).to_have_text("v2")

    # Loading /admin before signing in asks for the session and is told there is none; a read
    # the page no longer needs (a newer reload, thumbnails of a filtered-out page) is
    # cancelled on purpose.
    assert (
        tab.log.unexpected(
            r"^http 401: .*/api/admin/session$",
            r"^console: Failed to load resource: the server responded with a status of 401",
            r"^requestfailed: GET .*/api/admin/\S+ net::ERR_ABORTED$",
        )
        == []
    )
