"""Named SQL queries loaded from `.sql` files, so no SQL is written inside Python code.

A query file holds blocks introduced by `-- name: <identifier>`; each block is one statement
with `$n` placeholders (always bound by asyncpg, never formatted in).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"
_NAME = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)


class UnknownQuery(KeyError):
    """Raised when code asks for a query no file defines."""


@cache
def _load(group: str) -> dict[str, str]:
    text = (SQL_DIR / "queries" / f"{group}.sql").read_text()
    parts = _NAME.split(text)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def query(group: str, name: str) -> str:
    try:
        return _load(group)[name]
    except KeyError:
        raise UnknownQuery(f"{group}.{name}") from None
