"""Admin login, sessions, logout and brute-force limits, against a real server, PostgreSQL and
Valkey."""

from __future__ import annotations

import asyncio
import dataclasses
import statistics
import time
import uuid

import httpx
import pytest
from argon2 import Parameters, Type

from game.login_delay import LoginDelayPolicy
from server import passwords
from server.admin_cookies import CSRF_COOKIE, SESSION_COOKIE
from store import keys
from store.settings import Settings
from tests.admin_fixtures import AdminBrowser, Credentials, create_admin, set_cookies
from tests.fixtures import LiveServer, run_server

WRONG = "not the password at all"


async def test_login_sets_hardened_cookies_and_opens_a_session(
    admin_server: LiveServer, admin: Credentials
) -> None:
    browser = AdminBrowser(admin_server)
    r = await browser.login("  ada@EXAMPLE.org ", admin.password)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["email"] == admin.email and uuid.UUID(body["id"])
    assert r.headers["cache-control"] == "no-store"
    cookies = set_cookies(r)
    sid, token = cookies[SESSION_COOKIE], cookies[CSRF_COOKIE]
    assert len(sid.value) == 43 and body["csrfToken"] == token.value != sid.value
    assert sid["httponly"] and not token["httponly"]
    for c in (sid, token):
        assert c["samesite"].lower() == "lax" and c["path"] == "/"
        assert not c["secure"]  # plain http and secure_cookies off
        assert int(c["max-age"]) == keys.ADMIN_SESSION_MAX_MS // 1000
    r = await browser.request("GET", "/api/admin/session")
    assert r.status_code == 200
    assert r.json() == body
    assert r.headers["cache-control"] == "no-store"


async def test_cookies_are_secure_when_the_deployment_says_tls(
    settings: Settings, cheap_hashing: None, admin: Credentials
) -> None:
    with run_server(dataclasses.replace(settings, secure_cookies=True)) as server:
        r = await AdminBrowser(server).login(admin.email, admin.password)
    assert r.status_code == 200
    cookies = set_cookies(r)
    assert cookies[SESSION_COOKIE]["secure"] and cookies[CSRF_COOKIE]["secure"]


async def test_logout_revokes_the_session_everywhere(
    admin_server: LiveServer, admin: Credentials
) -> None:
    browser = AdminBrowser(admin_server)
    await browser.login(admin.email, admin.password)
    r = await browser.request("POST", "/api/admin/logout")
    assert r.status_code == 204
    cleared = set_cookies(r)
    assert cleared[SESSION_COOKIE]["max-age"] == "0" and cleared[CSRF_COOKIE]["max-age"] == "0"
    # A copy of the cookie kept by an attacker (or another tab) is worthless now.
    r = await browser.request("GET", "/api/admin/session")
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    assert (await browser.request("POST", "/api/admin/logout")).status_code == 401


async def test_login_rotates_the_session_id(admin_server: LiveServer, admin: Credentials) -> None:
    browser = AdminBrowser(admin_server)
    await browser.login(admin.email, admin.password)
    first_session, first_csrf = browser.session, browser.csrf
    r = await browser.login(admin.email, admin.password)  # sends the first session's cookie
    assert r.status_code == 200
    assert browser.session != first_session and browser.csrf != first_csrf
    assert (await browser.request("GET", "/api/admin/session")).status_code == 200
    stale = AdminBrowser(admin_server, first_session, first_csrf)
    assert (await stale.request("GET", "/api/admin/session")).status_code == 401


async def test_a_planted_session_id_never_becomes_valid(
    admin_server: LiveServer, admin: Credentials
) -> None:
    planted = "A" * 43
    browser = AdminBrowser(admin_server, session=planted)
    assert (await browser.request("GET", "/api/admin/session")).status_code == 401
    await browser.login(admin.email, admin.password)
    assert browser.session != planted
    fixed = AdminBrowser(admin_server, session=planted)
    assert (await fixed.request("GET", "/api/admin/session")).status_code == 401


async def test_idle_sessions_expire_and_activity_keeps_them_alive(
    admin_server: LiveServer, admin: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keys, "ADMIN_SESSION_IDLE_MS", 800)
    browser = AdminBrowser(admin_server)
    await browser.login(admin.email, admin.password)
    for _ in range(3):  # 1.2 s in all, past the idle timeout, alive through activity
        await asyncio.sleep(0.4)
        assert (await browser.request("GET", "/api/admin/session")).status_code == 200
    await asyncio.sleep(1.0)
    assert (await browser.request("GET", "/api/admin/session")).status_code == 401


async def test_sessions_end_at_their_absolute_lifetime_however_active(
    admin_server: LiveServer, admin: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keys, "ADMIN_SESSION_MAX_MS", 1000)
    browser = AdminBrowser(admin_server)
    await browser.login(admin.email, admin.password)
    assert (await browser.request("GET", "/api/admin/session")).status_code == 200
    await asyncio.sleep(1.1)
    assert (await browser.request("GET", "/api/admin/session")).status_code == 401


def _comparable(r: httpx.Response) -> tuple[int, dict[str, object], list[str]]:
    body = r.json()
    body.pop("requestId")
    return r.status_code, body, r.headers.get_list("set-cookie")


async def test_unknown_email_and_wrong_password_get_the_same_answer(
    admin_server: LiveServer, admin: Credentials
) -> None:
    browser = AdminBrowser(admin_server)
    wrong = await browser.login(admin.email, WRONG)
    unknown = await browser.login("nobody@example.org", WRONG)
    assert _comparable(wrong) == _comparable(unknown)
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_credentials"
    assert set(wrong.headers) == set(unknown.headers)


async def test_unknown_email_costs_as_much_as_a_wrong_password(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Costly enough (~50 ms) that a skipped hash would stand out from the HTTP round trip.
    monkeypatch.setattr(
        passwords,
        "PARAMETERS",
        Parameters(
            type=Type.ID,
            version=19,
            salt_len=16,
            hash_len=32,
            time_cost=2,
            memory_cost=32768,
            parallelism=1,
        ),
    )
    lenient = LoginDelayPolicy(free_failures=1000, base_delay_s=1, max_delay_s=1, window_s=1)
    admin = await create_admin(settings.database_url or "", "timing@example.org")
    tuned = dataclasses.replace(settings, login_per_account=lenient, login_per_address=lenient)
    with run_server(tuned) as server:
        async with httpx.AsyncClient(base_url=server.url) as client:

            async def timed(email: str) -> float:
                started = time.perf_counter()
                r = await client.post("/api/admin/login", json={"email": email, "password": WRONG})
                assert r.status_code == 401
                return time.perf_counter() - started

            await timed(admin.email)
            await timed("warmup@example.org")
            wrong, unknown = [], []
            for i in range(7):  # interleaved, so both see the same background noise
                wrong.append(await timed(admin.email))
                unknown.append(await timed(f"nobody{i}@example.org"))
    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert 0.6 < ratio < 1.6, (ratio, wrong, unknown)


async def test_account_waits_after_repeated_failures_even_for_the_right_password(
    admin_server: LiveServer, admin: Credentials, settings: Settings
) -> None:
    browser = AdminBrowser(admin_server)
    policy = settings.login_per_account
    for _ in range(policy.free_failures):
        assert (await browser.login(admin.email, WRONG)).status_code == 401
    locked = await browser.login(admin.email, admin.password)
    assert locked.status_code == 429, locked.text
    assert locked.json()["error"] == "rate_limited"
    assert int(locked.headers["retry-after"]) == policy.base_delay_s
    assert "set-cookie" not in locked.headers
    await asyncio.sleep(int(locked.headers["retry-after"]) + 0.1)
    assert (await browser.login(admin.email, admin.password)).status_code == 200
    # Success clears the account's failures: the next mistake is free again.
    assert (await browser.login(admin.email, WRONG)).status_code == 401


async def test_unknown_emails_are_locked_exactly_like_real_ones(
    admin_server: LiveServer, settings: Settings
) -> None:
    browser = AdminBrowser(admin_server)
    answers = [
        (await browser.login("nobody@example.org", WRONG)).status_code
        for _ in range(settings.login_per_account.free_failures + 1)
    ]
    assert answers == [401] * settings.login_per_account.free_failures + [429]


async def test_one_address_is_limited_across_accounts(
    settings: Settings, cheap_hashing: None, admin: Credentials
) -> None:
    per_address = LoginDelayPolicy(free_failures=4, base_delay_s=30, max_delay_s=60, window_s=60)
    with run_server(dataclasses.replace(settings, login_per_address=per_address)) as server:
        browser = AdminBrowser(server)
        for i in range(per_address.free_failures):
            assert (await browser.login(f"spray{i}@example.org", WRONG)).status_code == 401
        locked = await browser.login(admin.email, admin.password)
    assert locked.status_code == 429
    assert 29 <= int(locked.headers["retry-after"]) <= 30


async def test_parallel_guesses_cannot_outrun_the_limit(
    settings: Settings, cheap_hashing: None, admin: Credentials
) -> None:
    # A long first delay, so the burst cannot straddle its end on a slow machine.
    per_account = LoginDelayPolicy(free_failures=5, base_delay_s=60, max_delay_s=60, window_s=60)
    with run_server(dataclasses.replace(settings, login_per_account=per_account)) as server:
        browser = AdminBrowser(server)
        answers = await asyncio.gather(*(browser.login(admin.email, WRONG) for _ in range(20)))
    codes = [r.status_code for r in answers]
    assert codes.count(401) == per_account.free_failures, codes
    assert codes.count(429) == 20 - per_account.free_failures


async def test_login_refuses_foreign_origins_and_malformed_bodies(
    admin_server: LiveServer, admin: Credentials
) -> None:
    browser = AdminBrowser(admin_server)
    for origin in ("https://evil.example", "null", f"{admin_server.url}.evil.example"):
        r = await browser.login(admin.email, admin.password, origin=origin)
        assert r.status_code == 403 and r.json()["error"] == "csrf_failed", origin
    r = await browser.login(admin.email, admin.password, origin=admin_server.url)
    assert r.status_code == 200
    for body in (
        [1],
        {"email": admin.email},
        {"email": 3, "password": "x"},
        {"email": admin.email, "password": "x" * 5000},
    ):
        r = await browser.request("POST", "/api/admin/login", json=body)
        assert r.status_code in (400, 413) and r.json()["error"] in ("bad_request", "too_large")
