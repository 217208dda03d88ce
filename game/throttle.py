"""A token bucket: at most `rate` events per second with bursts up to `burst`.

The clock is passed in (monotonic seconds) so the rule is testable without sleeping.
"""

from __future__ import annotations


class TokenBucket:
    def __init__(self, rate: float, burst: float, now: float) -> None:
        self._rate = rate
        self._burst = burst
        self._tokens = burst
        self._at = now

    def take(self, now: float) -> bool:
        self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False
