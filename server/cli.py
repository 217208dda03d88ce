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
                if field == "database_url":
                    # A tool that had to start the database itself may be the first to use it.
                    asyncio.run(_migrate(urls[field]))
        yield dataclasses.replace(
            settings,
            database_url=urls.get("database_url", settings.database_url),
            redis_url=urls.get("redis_url", settings.redis_url),
        )


async def _migrate(dsn: str) -> list[int]:
    import asyncpg

    from store.migrations import migrate

    conn = await asyncpg.connect(dsn)
    try:
        return await migrate(conn)
    finally:
        await conn.close()


def _cmd_up(settings: Settings, args: argparse.Namespace) -> int:
    from server.launcher import run_stack

    return run_stack(settings)


def _cmd_server(settings: Settings, args: argparse.Namespace) -> int:
    from server.logs import configure_logging
    from server.serving import CannotListen, serve

    configure_logging(settings.log_level)
    with service_urls(settings.with_overrides(server_processes=args.processes)) as s:
        try:
            return serve(s)
        except CannotListen as exc:
            print(f"drawstream: {exc}", file=sys.stderr)
            return 1


def _cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from server.logs import configure_logging
    from workers.worker import build_worker

    configure_logging(settings.log_level)
    with service_urls(settings) as s:
        build_worker(s).run()
    return 0


def _cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    with service_urls(settings) as s:
        applied = asyncio.run(_migrate(s.database_url or ""))
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


def _cmd_create_admin(settings: Settings, args: argparse.Namespace) -> int:
    import getpass

    from game.credentials import InvalidAccount, check_new_email
    from server.admin_accounts import create_admin, read_new_password
    from store.admin_users import AdminExists

    try:
        check_new_email(args.email)
        password = read_new_password(sys.stdin, getpass.getpass)
        with service_urls(settings) as s:
            admin_id = asyncio.run(create_admin(s.database_url or "", args.email, password))
    except InvalidAccount as exc:
        rules = "; ".join(f"{d.field}: {d.message}" for d in exc.details)
        print(f"drawstream: {exc.message}{f' ({rules})' if rules else ''}", file=sys.stderr)
        return 2
    except AdminExists:
        print(f"drawstream: an admin with email {args.email} already exists", file=sys.stderr)
        return 1
    print(f"admin {args.email} created (id {admin_id})")
    return 0


def _cmd_seed(settings: Settings, args: argparse.Namespace) -> int:
    from server.seed import seed

    with service_urls(settings) as s:
        result = asyncio.run(seed(s, args.per_shape, args.seed))
    print(
        f"seeded {result.submitted} synthetic drawings in {result.seconds:.1f}s "
        f"({result.flushed} flushed by this command, the rest by a running worker)"
    )
    return 0


COMMANDS: dict[str, tuple[Any, str]] = {
    "up": (_cmd_up, "start the whole product (embedded services unless configured)"),
    "server": (_cmd_server, "run one HTTP/WebSocket server"),
    "worker": (_cmd_worker, "run one worker (ingest flusher and jobs)"),
    "migrate": (_cmd_migrate, "apply database migrations"),
    "export": (_cmd_export, "export every stored drawing (Quick, Draw! raw ndjson)"),
    "seed": (_cmd_seed, "submit synthetic drawings of every shape (for a first model)"),
    "create-admin": (
        _cmd_create_admin,
        "create an admin account (password from a prompt or stdin, never an argument)",
    ),
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
        if name == "seed":
            p.add_argument("--per-shape", type=int, default=1000, help="drawings per shape")
            p.add_argument("--seed", type=int, default=0, help="random seed (reproducible)")
        if name == "server":
            p.add_argument(
                "--processes",
                type=int,
                choices=range(1, 65),
                metavar="N",
                help="server processes sharing the port (default: DRAWSTREAM_SERVER_PROCESSES"
                " or 1)",
            )
        if name == "create-admin":
            p.add_argument("--email", required=True, help="the admin's login email")
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
