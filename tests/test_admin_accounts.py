"""`drawstream create-admin`: the password comes from a prompt or stdin, never an argument."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest

from game.credentials import InvalidAccount
from server.admin_accounts import read_new_password
from server.cli import build_parser
from store.settings import Settings
from tests.admin_fixtures import AdminBrowser
from tests.fixtures import LiveServer

PASSWORD = "a long enough passphrase"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _asking(*answers: str) -> Callable[[str], str]:
    replies = iter(answers)
    return lambda prompt: next(replies)


def test_a_terminal_is_asked_twice() -> None:
    assert read_new_password(_Terminal(), _asking(PASSWORD, PASSWORD)) == PASSWORD
    with pytest.raises(InvalidAccount, match="differ"):
        read_new_password(_Terminal(), _asking(PASSWORD, PASSWORD + "!"))


def test_a_pipe_gives_one_line_and_keeps_inner_spaces() -> None:
    assert read_new_password(io.StringIO(f"{PASSWORD}\r\nignored\n"), _asking()) == PASSWORD
    with pytest.raises(InvalidAccount):
        read_new_password(io.StringIO("short\n"), _asking())


def test_there_is_no_password_argument() -> None:
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["create-admin", "--email", "a@b.org", "--password", "x"])
    assert info.value.code == 2


def _create_admin(settings: Settings, email: str, stdin: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": settings.redis_url or "",
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "create-admin",
            "--email",
            email,
            "--data-dir",
            str(settings.data_dir),
        ],
        input=stdin,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_create_admin_then_log_in(settings: Settings, admin_server: LiveServer) -> None:
    done = _create_admin(settings, "grace@example.org", f"{PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert "grace@example.org" in done.stdout and PASSWORD not in done.stdout + done.stderr
    conn = await asyncpg.connect(settings.database_url)
    try:
        stored = await conn.fetchval("SELECT password_hash FROM admin_users")
    finally:
        await conn.close()
    # Production parameters: the CLI process does not share the tests' cheap profile.
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    r = await AdminBrowser(admin_server).login("grace@example.org", PASSWORD)
    assert r.status_code == 200

    again = _create_admin(settings, "GRACE@example.org", f"{PASSWORD}\n")
    assert again.returncode == 1 and "already exists" in again.stderr
    weak = _create_admin(settings, "hopper@example.org", "short\n")
    assert weak.returncode == 2 and "password" in weak.stderr
    bad_email = _create_admin(settings, "not-an-email", f"{PASSWORD}\n")
    assert bad_email.returncode == 2 and "email" in bad_email.stderr
