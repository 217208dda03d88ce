"""Admin login, sessions and logout: the decisions, apart from HTTP.

A login is throttled before the password is looked at (game/login_delay.py: per account and
per client address), then answered the same way whether the email is unknown or the password
wrong: same error, same argon2 cost (server/passwords.py), same counters touched. Only a
correct password creates a session.
"""

from __future__ import annotations

import hashlib
import time

import asyncpg
import redis.asyncio as aioredis

from game.credentials import normalize_email
from game.login_delay import LoginDelayPolicy, address_bucket
from server.errors import BadCredentials, RateLimited
from server.passwords import Verifier
from store import admin_users, keys
from store.admin_sessions import AdminSession, AdminSessions
from store.login_attempts import LoginAttempts, Throttle


def _now_ms() -> int:
    return int(time.time() * 1000)


class AdminAuth:
    def __init__(
        self,
        pool: asyncpg.Pool,
        redis: aioredis.Redis,
        per_account: LoginDelayPolicy,
        per_address: LoginDelayPolicy,
    ) -> None:
        self._pool = pool
        self._verifier = Verifier()
        self._sessions = AdminSessions(redis)
        self._attempts = LoginAttempts(redis)
        self._per_account = per_account
        self._per_address = per_address

    async def login(self, email: str, password: str, address: str) -> AdminSession:
        """A new session for the right password; BadCredentials for anything else, or
        RateLimited while the account or the address must wait."""
        email = normalize_email(email)
        account = Throttle(
            keys.login_failures("account", hashlib.sha256(email.encode()).hexdigest()),
            self._per_account,
        )
        client = Throttle(
            keys.login_failures("address", address_bucket(address)), self._per_address
        )
        now = _now_ms()
        wait = await self._attempts.begin([account, client], now)
        if wait:
            raise RateLimited("too many failed logins, retry later", wait)
        admin = await admin_users.find_by_email(self._pool, email)
        matches = await self._verifier.verify(admin.password_hash if admin else None, password)
        if admin is None or not matches:
            raise BadCredentials("email or password is incorrect")
        await self._attempts.clear(account)
        await self._attempts.forgive(client)
        await admin_users.record_login(self._pool, admin.id)
        return await self._sessions.create(str(admin.id), admin.email, now)

    async def session(self, token: str | None) -> AdminSession | None:
        """The live session for a cookie value, its idle timer restarted."""
        return await self._sessions.touch(token, _now_ms())

    async def alive(self, session: AdminSession) -> bool:
        return await self._sessions.alive(session.token)

    async def logout(self, token: str) -> None:
        await self._sessions.revoke(token)
