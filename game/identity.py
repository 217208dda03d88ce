"""Stable identities derived from what the client sends, so retries are idempotent.

A drawing's id is a UUIDv5 of (session id, client idempotency key): a resubmission after a
lost ack names the same drawing, and the database's primary key makes it one row.
"""

from __future__ import annotations

import hashlib
import re
import uuid

_DRAWING_NS = uuid.UUID("5f0d1c1e-6f5b-4c47-9d6a-3a8f4f1f7d21")
_USER_NS = uuid.UUID("8a1c5a52-2b8f-4f0e-bb41-0e7e0c1c9a55")
_LIVE_NS = uuid.UUID("c3b1f0d2-9a8e-4e57-8f2b-61d0a4c7e9b3")
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

_ADJECTIVES = (
    "Brave",
    "Calm",
    "Clever",
    "Cosmic",
    "Curious",
    "Daring",
    "Eager",
    "Fuzzy",
    "Gentle",
    "Happy",
    "Jolly",
    "Kind",
    "Lucky",
    "Mellow",
    "Nimble",
    "Plucky",
    "Quick",
    "Quiet",
    "Shiny",
    "Sleepy",
    "Snappy",
    "Sunny",
    "Swift",
    "Witty",
    "Zesty",
)
_ANIMALS = (
    "Otter",
    "Panda",
    "Fox",
    "Koala",
    "Heron",
    "Lynx",
    "Gecko",
    "Badger",
    "Falcon",
    "Moose",
    "Puffin",
    "Walrus",
    "Tiger",
    "Lemur",
    "Yak",
    "Bison",
    "Crane",
    "Dolphin",
    "Hedgehog",
    "Marmot",
    "Newt",
    "Owl",
    "Quokka",
    "Seal",
    "Wombat",
)


def drawing_id(session_id: str, idempotency_key: str) -> uuid.UUID:
    return uuid.uuid5(_DRAWING_NS, f"{session_id}\x00{idempotency_key}")


def user_id_for(client_id: str) -> uuid.UUID:
    """A stable user id for a client-held anonymous id (or a bare session id over REST)."""
    return uuid.uuid5(_USER_NS, client_id)


def live_id(session_id: str) -> str:
    """What spectators see instead of the session id: knowing a session id resumes that
    session, so it is never published; this one-way name is."""
    return uuid.uuid5(_LIVE_NS, session_id).hex


def is_valid_session_id(value: str) -> bool:
    return bool(_SESSION_ID.match(value))


def nickname(user_id: uuid.UUID) -> str:
    """A friendly, stable, non-identifying name: spectators see this, never personal data."""
    h = hashlib.blake2b(user_id.bytes, digest_size=8).digest()
    n = int.from_bytes(h, "big")
    return f"{_ADJECTIVES[n % len(_ADJECTIVES)]}{_ANIMALS[(n // 97) % len(_ANIMALS)]}{n % 100:02d}"
