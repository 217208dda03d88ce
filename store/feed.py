"""Pub/sub events for spectators, admins and model activation, over Redis channels.

Events are msgpack maps. Publishing is fire-and-forget (a spectator missing an event is
harmless); every server process subscribes once per channel and fans events out to its own
sockets, so any number of processes share one stream of events.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgpack
import redis.asyncio as aioredis


class Feed:
    def __init__(self, client: aioredis.Redis) -> None:
        self._r = client

    @staticmethod
    def encode(event: dict[str, Any]) -> bytes:
        packed: bytes = msgpack.packb(event, use_bin_type=True)
        return packed

    async def publish(self, channel: str, event: dict[str, Any]) -> None:
        await self._r.publish(channel, self.encode(event))

    async def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:
        pubsub = self._r.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(channel)
        try:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    yield msgpack.unpackb(message["data"], raw=False)
        finally:
            await pubsub.aclose()
