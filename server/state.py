"""What the lifespan builds once per process and every handler reads: typed, no globals."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import asyncpg
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from inference.generation_service import GenerationService
from inference.service import InferenceService
from server.admin_auth import AdminAuth
from server.admin_feed import AdminMonitor
from server.intake import Intake
from server.live_relay import LiveRelay
from server.metrics import Metrics
from server.watch_hub import WatchHub
from store.feed import Feed
from store.ingest import IngestLog
from store.live import LiveState
from store.models import ModelRow
from store.objects import ObjectStoreError
from store.services import Services
from store.settings import Settings

# Failures of the outside services: answered 503 + Retry-After, never 500.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    ObjectStoreError,
    OSError,
)


@dataclass(slots=True)
class AppState:
    settings: Settings
    services: Services
    metrics: Metrics
    ingest: IngestLog
    live: LiveState
    feed: Feed
    intake: Intake
    relay: LiveRelay
    watch_hub: WatchHub
    admin: AdminAuth
    inference: InferenceService[ModelRow]
    generation: GenerationService[ModelRow]  # the active generator (inference/generation.py)
    admin_pool: asyncpg.Pool  # reads of the admin portal (store/admin_pool.py)
    monitor: AdminMonitor
    rng: random.Random = field(default_factory=random.Random)
    storage_errors: tuple[type[BaseException], ...] = STORAGE_ERRORS
