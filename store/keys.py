"""Every Redis key, channel and TTL Drawstream uses, built in one place.

Keys share the `ds:` prefix so a shared Redis can hold other applications' data too.
"""

from __future__ import annotations

PREFIX = "ds"

# The write-ahead log of accepted drawings, drained by the flusher.
INGEST_STREAM = f"{PREFIX}:ingest"
INGEST_GROUP = "flusher"
# Records that never decode, kept aside for a human instead of blocking the stream.
INGEST_DEAD_LETTER = f"{PREFIX}:ingest:dead"
# Running totals and last-batch figures the flusher writes and /metrics exports.
FLUSHER_STATS = f"{PREFIX}:flusher:stats"

# The ARQ job queue every worker polls (workers/worker.py) and the admin API enqueues on.
JOB_QUEUE = f"{PREFIX}:queue"

# Pub/sub channels.
WATCH_CHANNEL = f"{PREFIX}:ch:watch"
ADMIN_CHANNEL = f"{PREFIX}:ch:admin"
MODEL_CHANNEL = f"{PREFIX}:ch:model"

# Liveness for the admin monitor (store/presence.py): each server process's open /ws/play
# sockets, and each worker's last heartbeat, as hash fields stamped with the time written.
PRESENCE_PLAYERS = f"{PREFIX}:presence:players"
PRESENCE_WORKERS = f"{PREFIX}:presence:workers"
# Writers refresh every second or two. A server's count older than PRESENCE_FRESH_MS is not
# summed (that process is gone); a worker keeps being listed, its heartbeat ageing, until it
# has been silent for PRESENCE_FORGET_MS, after which both kinds of entry are removed.
PRESENCE_FRESH_MS = 5_000
PRESENCE_FORGET_MS = 10 * 60 * 1000

LEADERBOARD_ALL = f"{PREFIX}:lb:all"
LEADERBOARD_STREAK = f"{PREFIX}:lb:streak"

# How long a replayed idempotency key returns the original answer. Outboxes resubmit within
# minutes to hours; a day covers a phone left offline overnight.
IDEMPOTENCY_TTL_S = 24 * 3600
SESSION_TTL_S = 24 * 3600
DAY_TTL_S = 3 * 24 * 3600
# An admin session ends after this long without an admin request, and at the latest this
# long after login, however active (a stolen cookie stops working the same day).
ADMIN_SESSION_IDLE_MS = 2 * 3600 * 1000
ADMIN_SESSION_MAX_MS = 12 * 3600 * 1000
# A cancel request outlives any job it could concern (jobs end or are reaped within hours).
TRAINING_CANCEL_TTL_S = 7 * 24 * 3600
# A training device lock expires this long after its holder's last refresh: shorter than the
# reaper's staleness threshold (workers/reaper.py), so a reaped job never still holds one.
DEVICE_LOCK_TTL_MS = 30_000


def idempotency(drawing_id: str) -> str:
    return f"{PREFIX}:idem:{drawing_id}"


def session(session_id: str) -> str:
    return f"{PREFIX}:sess:{session_id}"


def session_shapes(session_id: str) -> str:
    return f"{PREFIX}:sess:{session_id}:shapes"


def user(user_id: str) -> str:
    return f"{PREFIX}:user:{user_id}"


def user_day_shapes(user_id: str, day: int) -> str:
    return f"{PREFIX}:user:{user_id}:day:{day}"


def leaderboard_day(day: int) -> str:
    return f"{PREFIX}:lb:day:{day}"


def rate(scope: str, ident: str) -> str:
    return f"{PREFIX}:rate:{scope}:{ident}"


def live_drawing(live_id: str) -> str:
    """Points of a drawing being drawn right now, for spectators who join mid-drawing."""
    return f"{PREFIX}:live:{live_id}"


def admin_session(token_digest: str) -> str:
    """An admin session, named by the SHA-256 of its cookie value: a leaked Redis dump or
    AOF file then holds no usable session ids."""
    return f"{PREFIX}:admin:sess:{token_digest}"


def login_failures(scope: str, ident: str) -> str:
    """Failed admin logins counted for one account (`ident`: SHA-256 of the normalised
    email, never the email itself) or one client address."""
    return f"{PREFIX}:login:{scope}:{ident}"


def training_cancel(job_id: str) -> str:
    """Set by the cancel endpoint; the job's heartbeat polls it and stops the training loop."""
    return f"{PREFIX}:train:cancel:{job_id}"


def training_device(host: str, device: str) -> str:
    """The lock one training job holds on one device ("cpu", "cuda:0") of one machine."""
    return f"{PREFIX}:train:device:{host}:{device}"
