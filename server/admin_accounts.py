"""Creating admin accounts: what `drawstream create-admin` does.

The password never travels as a command-line argument (visible in `ps` and shell history):
it is typed twice at a hidden prompt, or read as one line from stdin when stdin is not a
terminal (`printf %s "$PW" | drawstream create-admin --email E` in provisioning scripts).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import TextIO

import asyncpg

from game.credentials import InvalidAccount, check_new_email, check_new_password
from server.passwords import hash_password
from store import admin_users
from store.migrations import migrate


def read_new_password(stdin: TextIO, ask: Callable[[str], str]) -> str:
    """The new password: asked twice through `ask` (getpass) on a terminal, else the first
    line of stdin without its line ending."""
    if stdin.isatty():
        password = ask("Password: ")
        if ask("Repeat the password: ") != password:
            raise InvalidAccount("the two passwords differ")
    else:
        password = stdin.readline().rstrip("\r\n")
    check_new_password(password)
    return password


async def create_admin(database_url: str, email: str, password: str) -> uuid.UUID:
    """Store a new admin; migrates first, so the first admin can be created before the
    first `drawstream up`. Raises admin_users.AdminExists for a taken email."""
    check_new_email(email)
    check_new_password(password)
    password_hash = await asyncio.to_thread(hash_password, password)
    conn = await asyncpg.connect(database_url)
    try:
        await migrate(conn)
        return await admin_users.create(conn, email, password_hash)
    finally:
        await conn.close()
