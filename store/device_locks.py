"""One training job per device: a Redis lock per (machine, device), held with a TTL.

Several workers may run on one machine, and one worker runs several ARQ jobs at once, so
nothing but a shared lock stops two training runs from splitting one GPU's memory or two CPU
cores between them (each then runs at half speed or dies out of memory). The lock is redis-py's
(a token compared in Lua on refresh and release); its token is the job id, so an operator can
see which job holds a device. The holder refreshes it on every heartbeat; a holder that died
loses it after `keys.DEVICE_LOCK_TTL_MS`.
"""

from __future__ import annotations

import redis.asyncio as aioredis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError

from store import keys


class DeviceLock:
    def __init__(self, client: aioredis.Redis, host: str, device: str, job_id: str) -> None:
        self.device = device
        self.name = keys.training_device(host, device)
        self._job_id = job_id
        self._lock = Lock(
            client,
            self.name,
            timeout=keys.DEVICE_LOCK_TTL_MS / 1000,
            thread_local=False,  # one asyncio task acquires, the heartbeat task refreshes
        )

    async def try_acquire(self) -> bool:
        """Take the device if it is free; never waits (the caller polls and reports)."""
        return bool(await self._lock.acquire(blocking=False, token=self._job_id))

    async def refresh(self) -> bool:
        """Restart the TTL; False when the lock was lost (expired and maybe taken since)."""
        try:
            return bool(await self._lock.reacquire())
        except LockError:
            return False

    async def release(self) -> None:
        """Free the device if this job still holds it (an expired lock is left alone)."""
        try:
            await self._lock.release()
        except LockError:
            pass

    async def holder(self) -> str | None:
        """The job id holding this device now, if any."""
        value = await self._lock.redis.get(self.name)
        return None if value is None else bytes(value).decode()
