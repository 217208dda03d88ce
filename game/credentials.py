"""What an admin's email and password must look like.

Creation checks them fully; login only bounds their size (an oversized password would make
every verification cost more) and normalises the email, so the per-account attempt counter
is the same for `Admin@x.org` and `admin@x.org ` and matches the database's case-insensitive
unique index.
"""

from __future__ import annotations

import re

from game.errors import DomainError, FieldError

MAX_EMAIL_CHARS = 254  # RFC 5321's limit on a forward path, and the column's CHECK
# NIST SP 800-63B: length is what makes a password strong; long passphrases must fit.
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")  # the same pattern as the column's CHECK


class InvalidAccount(DomainError):
    code = "invalid_account"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_new_email(email: str) -> None:
    if len(email) > MAX_EMAIL_CHARS or not _EMAIL.match(email):
        raise InvalidAccount(
            "not a usable email address",
            [FieldError("email", f"one @, no spaces, at most {MAX_EMAIL_CHARS} characters")],
        )


def check_new_password(password: str) -> None:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise InvalidAccount(
            "password too short or too long",
            [
                FieldError(
                    "password",
                    f"{MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters",
                )
            ],
        )
