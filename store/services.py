"""Connecting to the three outside services at once, for the server, workers and CLI tools."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import redis.asyncio as aioredis

from store.database import create_pool
from store.objects import ObjectStore, object_store_for
from store.redis_client import create_redis
from store.settings import Settings


@dataclass(frozen=True, slots=True)
class Services:
    pool: asyncpg.Pool
    redis: aioredis.Redis
    objects: ObjectStore

    async def close(self) -> None:
        await self.objects.close()
        await self.redis.aclose()
        await self.pool.close()


class ServiceUrlsMissing(RuntimeError):
    """Raised when a process has neither configured nor embedded service URLs."""


async def connect(settings: Settings, pool_size: int = 10) -> Services:
    if not settings.database_url or not settings.redis_url:
        raise ServiceUrlsMissing(
            "DATABASE_URL and REDIS_URL are required (drawstream up sets them for its children)"
        )
    pool = await create_pool(settings.database_url, max_size=pool_size)
    redis = create_redis(settings.redis_url)
    objects = object_store_for(settings.s3, settings.objects_dir)
    try:
        await redis.ping()
        await objects.connect()
    except BaseException:
        await redis.aclose()
        await pool.close()
        raise
    return Services(pool, redis, objects)
