"""Prometheus metrics of one server process.

Each app owns its registry (no module-level collectors), so several apps in one test process
never collide and `/metrics` shows exactly this process.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.http_requests = Counter(
            "http_requests_total", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.http_latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.ws_connections = Gauge(
            "ws_connections", "Open WebSocket connections", ["endpoint"], registry=r
        )
        self.ws_frames = Counter(
            "ws_frames_total", "WebSocket frames received", ["endpoint", "type"], registry=r
        )
        self.ws_errors = Counter(
            "ws_errors_total", "Error frames sent", ["endpoint", "code"], registry=r
        )
        self.ack_latency = Histogram(
            "drawing_ack_duration_seconds",
            "Submit to ack (validation, write-ahead log, live state)",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.drawings = Counter(
            "drawings_total", "Submitted drawings", ["shape", "status"], registry=r
        )
        self.ingest_backlog = Gauge(
            "ingest_stream_backlog", "Drawings in the write-ahead log not yet flushed", registry=r
        )
        self.ingest_lag = Gauge(
            "ingest_stream_lag_seconds", "Age of the oldest unflushed drawing", registry=r
        )

        self.flush_batches = Gauge(
            "flush_batches_total", "Shards written by all flushers", registry=r
        )
        self.flush_drawings = Gauge(
            "flush_drawings_total", "Drawings flushed to shards and PostgreSQL", registry=r
        )
        self.flush_last_batch = Gauge(
            "flush_last_batch_size", "Drawings in the most recent flushed batch", registry=r
        )
        self.flush_last_seconds = Gauge(
            "flush_last_batch_seconds", "Duration of the most recent flush", registry=r
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
