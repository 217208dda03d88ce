"""argon2id password hashing and verification.

Production uses argon2-cffi's own defaults (RFC 9106's low-memory profile: 64 MiB, 3 passes,
4 lanes); `PARAMETERS` is the one name tests replace with a cheaper profile so the suite
stays fast. Nothing reads it from the environment, so a deployment cannot weaken it by
accident. Each hash records its own parameters, so hashes made under other parameters still
verify.
"""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import get_default_parameters

PARAMETERS = get_default_parameters()

# Each verification holds 64 MiB for ~50 ms; a burst of logins must not exhaust memory or
# starve the event loop's threads, so only this many run at once per process.
_CONCURRENT_VERIFICATIONS = 4


def _hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(PARAMETERS)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


class Verifier:
    """Checks passwords off the event loop, at the same cost whether or not the account
    exists: an unknown email is checked against a dummy hash made with the same parameters,
    so response timing cannot tell which emails are admins."""

    def __init__(self) -> None:
        self._hasher = _hasher()
        self._dummy: str | None = None
        self._slots = asyncio.Semaphore(_CONCURRENT_VERIFICATIONS)

    def _matches(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def verify(self, password_hash: str | None, password: str) -> bool:
        async with self._slots:
            if self._dummy is None:
                # Made by the first attempt, whatever its email, so that one costs the same
                # for real and unknown admins too; a server never asked to log in never pays.
                self._dummy = await asyncio.to_thread(self._hasher.hash, secrets.token_urlsafe(32))
            matches = await asyncio.to_thread(self._matches, password_hash or self._dummy, password)
        return matches and password_hash is not None
