"""The `drawstream` command: one entry point for every process and tool.

Every subcommand takes the same `--data-dir`, `--host` and `--port` and reads the same
environment, so tools always talk to the stack that `drawstream up` runs on that directory.
Without DATABASE_URL / REDIS_URL, a tool uses the embedded services of the data directory:
the running ones when `up` is running there, else it starts them for its own lifetime.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from store.settings import Settings, SettingsError, load_settings


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 0), 0.5):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def service_urls(settings: Settings) -> Iterator[Settings]:
    """Settings with both service URLs filled in, starting embedded services if needed."""
    from server.embedded import EmbeddedPostgres, EmbeddedValkey

    with contextlib.ExitStack() as stack:
        urls: dict[str, str] = {}
        for field, cls in (("database_url", EmbeddedPostgres), ("redis_url", EmbeddedValkey)):
            if getattr(settings, field):
                continue
            service = cls(settings.data_dir)
            running = service.state.port is not None and _reachable(service.dsn)
            if running:
                urls[field] = service.dsn
            else:
                urls[field] = service.start()
                stack.callback(service.stop)
        yield dataclasses.replace(settings, **urls)


def _cmd_up(settings: Settings, args: argparse.Namespace) -> int:
    from server.launcher import run_stack

    return run_stack(settings)


def _cmd_server(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app
    from server.logs import configure_logging

    configure_logging(settings.log_level)
    with service_urls(settings) as s:
        uvicorn.run(
            create_app(s),
            host=s.host,
            port=s.port,
            ws="websockets-sansio",
            ws_per_message_deflate=False,
            log_config=None,
            access_log=False,
            lifespan="on",
        )
    return 0


def _cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from server.logs import configure_logging
    from workers.worker import build_worker

    configure_logging(settings.log_level)
    with service_urls(settings) as s:
        build_worker(s).run()
    return 0


def _cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    import asyncpg

    from store.migrations import migrate

    async def run(dsn: str) -> list[int]:
        conn = await asyncpg.connect(dsn)
        try:
            return await migrate(conn)
        finally:
            await conn.close()

    with service_urls(settings) as s:
        assert s.database_url is not None
        applied = asyncio.run(run(s.database_url))
    print(f"migrations applied: {applied or 'none (up to date)'}")
    return 0


def _cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    from server.export import export_ndjson

    with service_urls(settings) as s:
        if args.out:
            with open(args.out, "w") as out:
                count = asyncio.run(export_ndjson(s, out))
        else:
            count = asyncio.run(export_ndjson(s, sys.stdout))
    print(f"exported {count} drawings", file=sys.stderr)
    return 0


COMMANDS: dict[str, tuple[Any, str]] = {
    "up": (_cmd_up, "start the whole product (embedded services unless configured)"),
    "server": (_cmd_server, "run one HTTP/WebSocket server"),
    "worker": (_cmd_worker, "run one worker (ingest flusher and jobs)"),
    "migrate": (_cmd_migrate, "apply database migrations"),
    "export": (_cmd_export, "export every stored drawing (Quick, Draw! raw ndjson)"),
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="where embedded services keep data")
    common.add_argument("--host", help="address the server listens on")
    common.add_argument("--port", type=int, help="port the server listens on")
    parser = argparse.ArgumentParser(prog="drawstream", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        if name == "export":
            p.add_argument("--format", choices=["ndjson"], default="ndjson")
            p.add_argument("--out", type=Path, help="file to write (default: stdout)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings().with_overrides(
            data_dir=args.data_dir, host=args.host, port=args.port
        )
    except SettingsError as exc:
        print(f"drawstream: {exc}", file=sys.stderr)
        return 2
    handler = COMMANDS[args.command][0]
    try:
        return int(handler(settings, args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
