"""Server-side admin sessions in Redis.

The browser holds only a random token (256 bits) in an HttpOnly cookie; everything else
lives here, so logout and expiry take effect at once on every server process, and nothing in
the cookie can be forged or replayed after revocation. The Redis key is the token's SHA-256,
so Redis itself never holds a usable token. Each session also carries its own CSRF token
(see server/csrf.py).

Lifetimes: the idle timer restarts on every admin request (`touch`) and the session dies
`keys.ADMIN_SESSION_MAX_MS` after login whatever the activity. Both are read at call time.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import cast

import redis.asyncio as aioredis

from store import keys

_TOKEN_BYTES = 32
# What secrets.token_urlsafe(32) produces; anything else is refused without a Redis call.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True, slots=True)
class AdminSession:
    token: str  # the cookie value
    admin_id: str
    email: str
    csrf_token: str
    created_ms: int


def _key(token: str) -> str:
    return keys.admin_session(hashlib.sha256(token.encode()).hexdigest())


def _ttl_ms(created_ms: int, now_ms: int) -> int:
    """The idle timeout, cut short by what remains of the absolute lifetime."""
    return min(keys.ADMIN_SESSION_IDLE_MS, created_ms + keys.ADMIN_SESSION_MAX_MS - now_ms)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class AdminSessions:
    def __init__(self, client: aioredis.Redis) -> None:
        self._r = client

    async def create(self, admin_id: str, email: str, now_ms: int) -> AdminSession:
        session = AdminSession(
            secrets.token_urlsafe(_TOKEN_BYTES),
            admin_id,
            email,
            secrets.token_urlsafe(_TOKEN_BYTES),
            now_ms,
        )
        key = _key(session.token)
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.hset(
                key,
                mapping={
                    "admin": admin_id,
                    "email": email,
                    "csrf": session.csrf_token,
                    "created": now_ms,
                },
            )
            pipe.pexpire(key, _ttl_ms(now_ms, now_ms))
            await pipe.execute()
        return session

    async def touch(self, token: str | None, now_ms: int) -> AdminSession | None:
        """The live session for `token` with its idle timer restarted; None when the token
        is malformed, unknown, revoked, idle too long or past its absolute lifetime."""
        if token is None or not _TOKEN.match(token):
            return None
        key = _key(token)
        # redis-py types every command as sync-or-async; this client is async.
        reply = await cast(Awaitable[dict[bytes, bytes]], self._r.hgetall(key))
        raw = {_text(k): _text(v) for k, v in reply.items()}
        if not raw:
            return None
        session = AdminSession(token, raw["admin"], raw["email"], raw["csrf"], int(raw["created"]))
        ttl = _ttl_ms(session.created_ms, now_ms)
        if ttl <= 0:
            await self._r.delete(key)
            return None
        # PEXPIRE on a key that expired since HGETALL is a no-op, never a resurrection.
        if not await self._r.pexpire(key, ttl):
            return None
        return session

    async def alive(self, token: str) -> bool:
        """Whether the session still exists, without counting as activity (an open
        monitoring socket must not keep an abandoned session alive)."""
        return bool(await self._r.exists(_key(token)))

    async def revoke(self, token: str) -> None:
        if _TOKEN.match(token):
            await self._r.delete(_key(token))
