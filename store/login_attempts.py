"""Failed admin logins, counted in Redis so every server process enforces one limit.

Each counter is a hash `{n: failures, last: ms of the latest}` that expires after its
policy's window. `begin` checks every counter and, in the same optimistic transaction
(WATCH/MULTI), counts the attempt as a failure before the password is even checked. Counting
first is what makes the limit hold against many parallel attempts: with check-then-count, a
guesser firing a hundred requests at once would have all of them checked before any failure
was recorded. A successful login then takes its provisional failure back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import cast

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from game.login_delay import LoginDelayPolicy

# Concurrent attempts on one counter retry the transaction; past this many they are told to
# wait a second, which is the right answer under such a burst anyway.
_TRANSACTION_TRIES = 8
_BUSY_RETRY_AFTER_S = 1


@dataclass(frozen=True, slots=True)
class Throttle:
    key: str
    policy: LoginDelayPolicy


def _int(value: bytes | str | None) -> int:
    return int(value) if value is not None else 0


class LoginAttempts:
    def __init__(self, client: aioredis.Redis) -> None:
        self._r = client

    async def begin(self, throttles: Sequence[Throttle], now_ms: int) -> int:
        """Seconds to wait when any throttle is in its delay (nothing is counted then);
        otherwise 0, with this attempt counted as a failure in every throttle."""
        names = [t.key for t in throttles]
        async with self._r.pipeline(transaction=True) as pipe:
            for _ in range(_TRANSACTION_TRIES):
                try:
                    await pipe.watch(*names)
                    wait = 0
                    for t in throttles:
                        # redis-py types every command as sync-or-async; this is async.
                        reply = cast(
                            Awaitable[list[bytes | None]], pipe.hmget(t.key, ["n", "last"])
                        )
                        failures, last_ms = await reply
                        wait = max(
                            wait, t.policy.retry_after_s(_int(failures), _int(last_ms), now_ms)
                        )
                    if wait:
                        return wait
                    pipe.multi()
                    for t in throttles:
                        pipe.hincrby(t.key, "n", 1)
                        pipe.hset(t.key, "last", str(now_ms))
                        pipe.expire(t.key, t.policy.window_s)
                    await pipe.execute()
                    return 0
                except WatchError:
                    continue
        return _BUSY_RETRY_AFTER_S

    async def clear(self, throttle: Throttle) -> None:
        """Forget every failure (the account's owner just proved the password)."""
        await self._r.delete(throttle.key)

    async def forgive(self, throttle: Throttle) -> None:
        """Take back the failure `begin` counted for an attempt that succeeded."""
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.hincrby(throttle.key, "n", -1)
            pipe.expire(throttle.key, throttle.policy.window_s)
            await pipe.execute()
