"""docker-compose.yml stays in step with the settings every Drawstream process reads.

No Docker engine runs here, so the topology is checked as data: the variables it sets are
the ones `load_settings` reads, they point at the compose services, Redis acks are fsynced,
and the proxy carries WebSockets to several servers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from store.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
# Read by uvicorn itself rather than by our settings.
RUNTIME_VARIABLES = {"FORWARDED_ALLOW_IPS"}
DRAWSTREAM_SERVICES = ("migrate", "server", "worker")


class RecordingEnv(Mapping[str, str]):
    """An environment that remembers which names were looked up."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> str:  # Mapping.get goes through here too
        self.read.add(name)
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _interpolate(value: str) -> str:
    """Compose's `${NAME:-default}` with nothing set, as on a machine without a .env file."""
    value = re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", value)
    return value.replace("$$", "$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def _env(compose: dict[str, Any], service: str) -> dict[str, str]:
    raw = compose["services"][service].get("environment", {})
    return {name: _interpolate(str(value)) for name, value in raw.items()}


@pytest.mark.parametrize("service", DRAWSTREAM_SERVICES)
def test_every_variable_is_read_by_the_settings(compose: dict[str, Any], service: str) -> None:
    env = _env(compose, service)
    recording = RecordingEnv(env)
    settings = load_settings(recording)
    assert set(env) - RUNTIME_VARIABLES - recording.read == set()
    assert settings.database_url == env["DATABASE_URL"]
    assert settings.redis_url == env["REDIS_URL"]
    assert settings.s3 is not None
    assert (settings.s3.endpoint, settings.s3.bucket) == (env["S3_ENDPOINT"], env["S3_BUCKET"])
    assert settings.port == int(env["DRAWSTREAM_PORT"])


@pytest.mark.parametrize("service", DRAWSTREAM_SERVICES)
def test_processes_use_the_compose_services(compose: dict[str, Any], service: str) -> None:
    env = _env(compose, service)
    postgres = _env(compose, "postgres")
    database = urlparse(env["DATABASE_URL"])
    assert (database.hostname, database.port) == ("postgres", 5432)
    assert (database.username, database.password, database.path) == (
        postgres["POSTGRES_USER"],
        postgres["POSTGRES_PASSWORD"],
        f"/{postgres['POSTGRES_DB']}",
    )
    cache = urlparse(env["REDIS_URL"])
    assert (cache.hostname, cache.port) == ("redis", 6379)
    assert cache.password == _env(compose, "redis")["REDIS_PASSWORD"]
    minio = _env(compose, "minio")
    assert env["S3_ENDPOINT"] == "minio:9000"
    assert (env["S3_ACCESS_KEY"], env["S3_SECRET_KEY"]) == (
        minio["MINIO_ROOT_USER"],
        minio["MINIO_ROOT_PASSWORD"],
    )


def test_redis_fsyncs_every_write(compose: dict[str, Any]) -> None:
    command = [_interpolate(str(arg)) for arg in compose["services"]["redis"]["command"]]
    pairs = dict(zip(command[1::2], command[2::2], strict=False))
    assert pairs["--appendonly"] == "yes"
    assert pairs["--appendfsync"] == "always"
    assert pairs["--requirepass"] == _env(compose, "redis")["REDIS_PASSWORD"]


def test_the_bucket_is_created(compose: dict[str, Any]) -> None:
    bucket = _env(compose, "server")["S3_BUCKET"]
    script = " ".join(compose["services"]["minio-init"]["entrypoint"])
    assert f"mc mb --ignore-existing store/{bucket}" in script


def test_servers_and_workers_scale_out(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["server"]["deploy"]["replicas"] >= 2
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert "ports" not in services["server"], "servers are reached through the proxy only"


def _block(text: str, header: str) -> str:
    """The body of the first `header { ... }` block without nested blocks."""
    match = re.search(re.escape(header) + r"\s*\{([^{}]*)\}", text)
    assert match, f"no `{header}` block"
    return match.group(1)


def _headers(directives: str) -> dict[str, str]:
    return dict(re.findall(r"proxy_set_header\s+(\S+)\s+([^;]+);", directives))


def test_the_proxy_carries_websockets_to_the_servers(compose: dict[str, Any]) -> None:
    proxy = compose["services"]["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert "server" in proxy["depends_on"]
    conf = re.sub(r"#[^\n]*", "", (ROOT / "deploy" / "nginx.conf").read_text())
    port = _env(compose, "server")["DRAWSTREAM_PORT"]
    assert re.search(rf"server\s+server:{port}\b", _block(conf, "upstream drawstream"))
    ws = _block(conf, "location /ws/")
    assert "proxy_pass http://drawstream;" in ws
    # nginx inherits proxy_set_header only into locations that set none of their own.
    server_level = re.sub(r"location[^{]*\{[^{}]*\}", "", conf)
    headers = _headers(ws) or _headers(server_level)
    assert headers["Upgrade"] == "$http_upgrade"
    assert headers["Connection"] == "$connection_upgrade"
    assert re.search(r"map \$http_upgrade \$connection_upgrade\s*\{[^}]*default\s+upgrade;", conf)
    assert re.search(r"proxy_http_version\s+1\.1;", server_level + ws)
