"""Real services, started once per test session and shared by every integration test.

Each fixture honours an environment override so CI can point the suite at external services
instead: TEST_DATABASE_URL, TEST_REDIS_URL, and TEST_S3_ENDPOINT (with TEST_S3_ACCESS_KEY,
TEST_S3_SECRET_KEY, and optionally TEST_S3_BUCKET, TEST_S3_REGION, TEST_S3_SECURE).
Sharing a service is cheap; sharing state is not: tests clean what they touch.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from minio import Minio
from moto.server import ThreadedMotoServer

from server.embedded import EmbeddedPostgres, EmbeddedValkey, free_port
from store.objects import S3Settings


@dataclass(frozen=True, slots=True)
class S3Endpoint:
    """Where the test object store listens, in the shapes our settings and the SDK take."""

    endpoint: str  # host:port, as the minio SDK and S3_ENDPOINT want it
    access_key: str
    secret_key: str
    bucket: str
    region: str
    secure: bool = False

    @property
    def url(self) -> str:
        return f"{'https' if self.secure else 'http'}://{self.endpoint}"

    @property
    def settings(self) -> S3Settings:
        return S3Settings(
            endpoint=self.endpoint,
            access_key=self.access_key,
            secret_key=self.secret_key,
            bucket=self.bucket,
            secure=self.secure,
            region=self.region,
        )

    def client(self) -> Minio:
        return Minio(
            self.endpoint,
            access_key=self.access_key,
            secret_key=self.secret_key,
            secure=self.secure,
            region=self.region,
        )


def service_dir() -> Path:
    """A fresh directory the unprivileged service user can reach.

    pytest's own tmp_path lives under a 0700 directory of the invoking user, which PostgreSQL
    running as `drawstream` (when the suite runs as root) cannot traverse.
    """
    path = Path(tempfile.mkdtemp(prefix="drawstream-test-"))
    path.chmod(0o711)
    return path


@pytest.fixture
def embedded_data_dir() -> Iterator[Path]:
    """A data directory for one test that starts its own embedded services or stack."""
    path = service_dir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    """DSN of a PostgreSQL database named `drawstream`, empty when the session starts."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield external
        return
    path = service_dir()
    try:
        with EmbeddedPostgres(path) as postgres:
            yield postgres.dsn
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """URL of a Valkey/Redis server configured for durable acks (appendfsync always)."""
    external = os.environ.get("TEST_REDIS_URL")
    if external:
        yield external
        return
    path = service_dir()
    try:
        with EmbeddedValkey(path) as valkey:
            yield valkey.dsn
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[S3Endpoint]:
    """An S3 HTTP endpoint (moto's server mode unless overridden) with the bucket created."""
    external = os.environ.get("TEST_S3_ENDPOINT")
    if external:
        endpoint = S3Endpoint(
            endpoint=external,
            access_key=_required("TEST_S3_ACCESS_KEY"),
            secret_key=_required("TEST_S3_SECRET_KEY"),
            bucket=os.environ.get("TEST_S3_BUCKET", "drawstream-test"),
            region=os.environ.get("TEST_S3_REGION", "us-east-1"),
            secure=os.environ.get("TEST_S3_SECURE", "").lower() in ("1", "true", "yes"),
        )
        _ensure_bucket(endpoint)
        yield endpoint
        return
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = S3Endpoint(
            endpoint=f"127.0.0.1:{port}",
            access_key="testing",
            secret_key="testing",
            bucket="drawstream-test",
            region="us-east-1",
        )
        _ensure_bucket(endpoint)
        yield endpoint
    finally:
        server.stop()


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise pytest.UsageError(f"TEST_S3_ENDPOINT is set but {name} is not")
    return value


def _ensure_bucket(endpoint: S3Endpoint) -> None:
    client = endpoint.client()
    if not client.bucket_exists(endpoint.bucket):
        client.make_bucket(endpoint.bucket)
