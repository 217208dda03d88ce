"""The Redis client used for live state, the ingest log and pub/sub."""

from __future__ import annotations

import redis.asyncio as aioredis


def create_redis(url: str) -> aioredis.Redis:
    # Health checks keep idle pooled connections honest after a Redis restart.
    return aioredis.Redis.from_url(url, health_check_interval=30, socket_connect_timeout=5)
