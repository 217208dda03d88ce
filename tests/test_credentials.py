"""Rules for admin emails and passwords: pure, no fixtures."""

from __future__ import annotations

import pytest

from game.credentials import (
    MAX_PASSWORD_CHARS,
    MIN_PASSWORD_CHARS,
    InvalidAccount,
    check_new_email,
    check_new_password,
    normalize_email,
)


def test_emails_normalise_for_lookup_and_counting() -> None:
    assert normalize_email("  Ada@Example.ORG ") == "ada@example.org"


@pytest.mark.parametrize("email", ["", "ada", "a b@x.org", "a@b@c", "@x.org", "a" * 250 + "@x.org"])
def test_unusable_emails_are_refused(email: str) -> None:
    with pytest.raises(InvalidAccount) as info:
        check_new_email(email)
    assert info.value.details[0].field == "email"


def test_passwords_must_be_long_but_bounded() -> None:
    check_new_password("x" * MIN_PASSWORD_CHARS)
    check_new_password("x" * MAX_PASSWORD_CHARS)
    for bad in ("", "x" * (MIN_PASSWORD_CHARS - 1), "x" * (MAX_PASSWORD_CHARS + 1)):
        with pytest.raises(InvalidAccount):
            check_new_password(bad)
