"""Live game state in Redis: sessions, per-player counters, streaks and leaderboards.

Redis holds what changes on every drawing; PostgreSQL holds what must last (the flusher
reconciles totals into `users`). Streak arithmetic is game/streaks.py; this module only
loads and stores its state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import redis.asyncio as aioredis

from game.streaks import StreakState
from store import keys


@dataclass(frozen=True, slots=True)
class SessionInfo:
    session_id: str
    user_id: str
    nickname: str
    device: str
    prompt_id: int


@dataclass(frozen=True, slots=True)
class PlayerStats:
    total: int
    session: int
    today: int
    session_shapes: dict[int, int]
    today_shapes: dict[int, int]


def counted(stats: PlayerStats, shape_id: int, total: int) -> PlayerStats:
    """The counters after one more drawing of `shape_id` (the total comes from Redis)."""
    sess = {**stats.session_shapes, shape_id: stats.session_shapes.get(shape_id, 0) + 1}
    today = {**stats.today_shapes, shape_id: stats.today_shapes.get(shape_id, 0) + 1}
    return replace(
        stats,
        total=total,
        session=stats.session + 1,
        today=stats.today + 1,
        session_shapes=sess,
        today_shapes=today,
    )


@dataclass(frozen=True, slots=True)
class LeaderEntry:
    nickname: str
    score: int


@dataclass(frozen=True, slots=True)
class Leaderboards:
    today: list[LeaderEntry]
    all_time: list[LeaderEntry]
    streak: list[LeaderEntry]


def utc_day(now_s: float | None = None) -> int:
    return int((time.time() if now_s is None else now_s) // 86400)


def _int_map(raw: dict[bytes, bytes]) -> dict[int, int]:
    return {int(k): int(v) for k, v in raw.items()}


class LiveState:
    def __init__(self, client: aioredis.Redis) -> None:
        self._r = client

    async def open_session(self, info: SessionInfo) -> None:
        async with self._r.pipeline(transaction=False) as p:
            p.hset(
                keys.session(info.session_id),
                mapping={
                    "user": info.user_id,
                    "nick": info.nickname,
                    "device": info.device,
                    "prompt": info.prompt_id,
                },
            )
            p.expire(keys.session(info.session_id), keys.SESSION_TTL_S)
            p.hsetnx(keys.user(info.user_id), "nick", info.nickname)
            await p.execute()

    async def get_session(self, session_id: str) -> SessionInfo | None:
        raw = await self._r.hgetall(keys.session(session_id))
        if not raw:
            return None
        return SessionInfo(
            session_id,
            raw[b"user"].decode(),
            raw[b"nick"].decode(),
            raw.get(b"device", b"unknown").decode(),
            int(raw.get(b"prompt", b"1")),
        )

    async def set_prompt(self, session_id: str, prompt_id: int) -> None:
        await self._r.hset(keys.session(session_id), "prompt", prompt_id)

    async def snapshot(self, info: SessionInfo, day: int) -> tuple[StreakState, PlayerStats]:
        """Streak state and counters in one round trip (reads only: no fsync to wait for)."""
        async with self._r.pipeline(transaction=False) as p:
            p.hmget(keys.user(info.user_id), "cur", "best", "days", "last_day", "total")
            p.hgetall(keys.session_shapes(info.session_id))
            p.hgetall(keys.user_day_shapes(info.user_id, day))
            (cur, best, days, last_day, total), sess, today = await p.execute()
        streak = StreakState(
            int(cur or 0), int(best or 0), int(days or 0), -1 if last_day is None else int(last_day)
        )
        session_shapes = _int_map(sess)
        today_shapes = _int_map(today)
        stats = PlayerStats(
            int(total or 0),
            sum(session_shapes.values()),
            sum(today_shapes.values()),
            session_shapes,
            today_shapes,
        )
        return streak, stats

    async def record(
        self,
        info: SessionInfo,
        shape_id: int,
        streak: StreakState,
        day: int,
        next_prompt_id: int,
        event: tuple[str, bytes],
    ) -> int:
        """Count one accepted drawing, store its streak state and the next prompt, and publish
        `event` (channel, payload), all in one transaction; returns the player's new total."""
        user_key = keys.user(info.user_id)
        day_key = keys.user_day_shapes(info.user_id, day)
        shapes_key = keys.session_shapes(info.session_id)
        async with self._r.pipeline(transaction=True) as p:
            p.hincrby(user_key, "total", 1)
            p.hset(
                user_key,
                mapping={
                    "nick": info.nickname,
                    "cur": streak.current,
                    "best": streak.best,
                    "days": streak.days,
                    "last_day": streak.last_day,
                },
            )
            p.hincrby(shapes_key, str(shape_id), 1)
            p.expire(shapes_key, keys.SESSION_TTL_S)
            p.hincrby(day_key, str(shape_id), 1)
            p.expire(day_key, keys.DAY_TTL_S)
            p.zincrby(keys.leaderboard_day(day), 1, info.user_id)
            p.expire(keys.leaderboard_day(day), keys.DAY_TTL_S)
            p.zincrby(keys.LEADERBOARD_ALL, 1, info.user_id)
            p.zadd(keys.LEADERBOARD_STREAK, {info.user_id: streak.best}, gt=True)
            p.hset(keys.session(info.session_id), "prompt", next_prompt_id)
            p.publish(*event)
            res = await p.execute()
        return int(res[0])

    async def stats(self, info: SessionInfo, day: int) -> PlayerStats:
        return (await self.snapshot(info, day))[1]

    async def streak(self, user_id: str) -> StreakState:
        raw = await self._r.hmget(keys.user(user_id), "cur", "best", "days", "last_day")
        cur, best, days, last_day = (int(v) if v is not None else None for v in raw)
        return StreakState(cur or 0, best or 0, days or 0, -1 if last_day is None else last_day)

    async def leaderboards(self, day: int, top: int = 10) -> Leaderboards:
        boards = (keys.leaderboard_day(day), keys.LEADERBOARD_ALL, keys.LEADERBOARD_STREAK)
        async with self._r.pipeline(transaction=False) as p:
            for board in boards:
                p.zrevrange(board, 0, top - 1, withscores=True)
            ranked = await p.execute()
        users = {member for rows in ranked for member, _ in rows}
        async with self._r.pipeline(transaction=False) as p:
            for member in users:
                p.hget(keys.user(member.decode()), "nick")
            nicks = dict(zip(users, await p.execute(), strict=True))

        def entries(rows: list[tuple[bytes, float]]) -> list[LeaderEntry]:
            return [LeaderEntry((nicks.get(m) or b"?").decode(), int(score)) for m, score in rows]

        return Leaderboards(*(entries(rows) for rows in ranked))
