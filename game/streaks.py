"""Streak rules.

Two streaks keep players coming back:
- the drawing streak counts consecutive accepted drawings whose quality reaches
  `STREAK_QUALITY`; a scribble below it resets the streak to zero (so spamming junk does not
  pay), and the best drawing streak is kept forever;
- the day streak counts consecutive UTC days with at least one accepted drawing; missing a
  whole day resets it to one on the next drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

STREAK_QUALITY = 0.35


@dataclass(frozen=True, slots=True)
class StreakState:
    current: int = 0
    best: int = 0
    days: int = 0
    # Last UTC day with a drawing, as days since the epoch; -1 when none yet.
    last_day: int = -1


def advance(state: StreakState, quality: float, day: int) -> StreakState:
    """The state after one more accepted drawing of `quality` on UTC day `day`."""
    current = state.current + 1 if quality >= STREAK_QUALITY else 0
    if state.last_day == day:
        days = max(state.days, 1)
    elif state.last_day == day - 1:
        days = state.days + 1
    else:
        days = 1
    return StreakState(current=current, best=max(state.best, current), days=days, last_day=day)
