"""One frozen settings object, read once from the environment (and CLI flags).

It lives in store/ because it describes the outside services (PostgreSQL, Redis, object
storage) that both the server and the workers connect to, and workers never import server/.
Every process (server, worker, CLI tools) builds its Settings the same way, so
`drawstream export --data-dir D` reads exactly the stack `drawstream up --data-dir D` runs.
Unset service URLs mean "use the embedded service under the data directory".
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from game.limits import DEFAULT_LIMITS, Limits
from game.login_delay import ACCOUNT_POLICY, ADDRESS_POLICY, LoginDelayPolicy
from store.objects import S3Settings


class SettingsError(ValueError):
    """Raised when an environment variable holds a value that cannot be used."""


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path = Path(".drawstream")
    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str | None = None
    redis_url: str | None = None
    s3: S3Settings | None = None
    # The flusher writes a shard when it has this many drawings or the oldest waited this long.
    flush_batch_size: int = 1000
    flush_block_ms: int = 200
    # Drawings per minute one session / one client address may submit.
    submit_rate_per_session: int = 60
    submit_rate_per_address: int = 600
    cors_origins: tuple[str, ...] = ()
    secure_cookies: bool = False
    log_level: str = "info"
    client_dist: Path | None = None
    limits: Limits = field(default_factory=lambda: DEFAULT_LIMITS)
    # Growing delays after failed admin logins, per account and per client address.
    login_per_account: LoginDelayPolicy = field(default_factory=lambda: ACCOUNT_POLICY)
    login_per_address: LoginDelayPolicy = field(default_factory=lambda: ADDRESS_POLICY)
    # Retention (store/retention.py): soft-deleted drawings are purged, flagged ones archived,
    # this many days later; 0 turns a rule off.
    retention_deleted_days: int = 30
    retention_flagged_days: int = 90
    # Server processes sharing the port (server/serving.py): one event loop uses one core.
    server_processes: int = 1

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None


def _days(env: Mapping[str, str], name: str, default: int) -> int:
    days = _int(env, name, default)
    if not 0 <= days <= 36_500:
        raise SettingsError(f"{name} must be a number of days from 0 (off) to 36500, got {days}")
    return days


def _processes(env: Mapping[str, str]) -> int:
    n = _int(env, "DRAWSTREAM_SERVER_PROCESSES", 1)
    if not 1 <= n <= 64:
        raise SettingsError(f"DRAWSTREAM_SERVER_PROCESSES must be from 1 to 64, got {n}")
    return n


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _s3(env: Mapping[str, str]) -> S3Settings | None:
    endpoint = env.get("S3_ENDPOINT")
    if not endpoint:
        return None
    missing = [n for n in ("S3_ACCESS_KEY", "S3_SECRET_KEY") if not env.get(n)]
    if missing:
        raise SettingsError(f"S3_ENDPOINT is set but {', '.join(missing)} is not")
    return S3Settings(
        endpoint=endpoint,
        access_key=env["S3_ACCESS_KEY"],
        secret_key=env["S3_SECRET_KEY"],
        bucket=env.get("S3_BUCKET") or "drawstream",
        secure=_bool(env, "S3_SECURE", False),
        region=env.get("S3_REGION") or None,
    )


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    dist = env.get("DRAWSTREAM_CLIENT_DIST")
    return Settings(
        data_dir=Path(env.get("DRAWSTREAM_DATA_DIR") or ".drawstream"),
        host=env.get("DRAWSTREAM_HOST") or "127.0.0.1",
        port=_int(env, "DRAWSTREAM_PORT", 8000),
        database_url=env.get("DATABASE_URL") or None,
        redis_url=env.get("REDIS_URL") or None,
        s3=_s3(env),
        flush_batch_size=_int(env, "DRAWSTREAM_FLUSH_BATCH", 1000),
        flush_block_ms=_int(env, "DRAWSTREAM_FLUSH_BLOCK_MS", 200),
        submit_rate_per_session=_int(env, "DRAWSTREAM_RATE_SESSION", 60),
        submit_rate_per_address=_int(env, "DRAWSTREAM_RATE_ADDRESS", 600),
        cors_origins=tuple(o for o in (env.get("DRAWSTREAM_CORS_ORIGINS") or "").split(",") if o),
        secure_cookies=_bool(env, "DRAWSTREAM_SECURE_COOKIES", False),
        log_level=env.get("DRAWSTREAM_LOG_LEVEL") or "info",
        client_dist=Path(dist) if dist else None,
        retention_deleted_days=_days(env, "DRAWSTREAM_RETENTION_DELETED_DAYS", 30),
        retention_flagged_days=_days(env, "DRAWSTREAM_RETENTION_FLAGGED_DAYS", 90),
        server_processes=_processes(env),
    )
