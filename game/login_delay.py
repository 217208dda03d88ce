"""How long a login attempt must wait after earlier failures.

Online password guessing is the cheapest attack on an internet-facing admin login. A person
mistypes a few times, then succeeds; a guesser fails thousands of times. So a few failures
are free, and after that each failure doubles the wait before the next attempt, up to a cap
that keeps a real admin locked out for minutes, never for good. Failures are counted per
account (a guesser aiming at one admin from many addresses) and per client address (one
guesser spraying many accounts), each with its own policy.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

# Larger exponents only matter for the cap; bounding them keeps the shift cheap.
_MAX_DOUBLINGS = 32


class InvalidPolicy(ValueError):
    """Raised for a policy whose numbers cannot work together."""


@dataclass(frozen=True, slots=True)
class LoginDelayPolicy:
    free_failures: int  # failures allowed back to back before any wait
    base_delay_s: int  # the first wait; each further failure doubles it
    max_delay_s: int  # the longest wait
    window_s: int  # failures are forgotten after this long without a new one

    def __post_init__(self) -> None:
        if self.free_failures < 1 or self.base_delay_s < 1:
            raise InvalidPolicy("free_failures and base_delay_s must be at least 1")
        if self.max_delay_s < self.base_delay_s:
            raise InvalidPolicy("max_delay_s must be at least base_delay_s")
        # The counter must outlive the longest wait, or a lockout would lift early.
        if self.window_s < self.max_delay_s:
            raise InvalidPolicy("window_s must be at least max_delay_s")

    def delay_s(self, failures: int) -> int:
        """The wait that `failures` consecutive failures impose after the last of them."""
        if failures < self.free_failures:
            return 0
        doublings = min(failures - self.free_failures, _MAX_DOUBLINGS)
        return min(self.max_delay_s, self.base_delay_s << doublings)

    def retry_after_s(self, failures: int, last_failure_ms: int, now_ms: int) -> int:
        """Whole seconds until the next attempt may run; 0 means it may run now."""
        remaining_ms = last_failure_ms + self.delay_s(failures) * 1000 - now_ms
        return max(0, math.ceil(remaining_ms / 1000))


# Five typos are human; a guesser then gets about a dozen more tries in the first hour and
# four an hour after that, while the real admin never waits longer than 15 minutes.
ACCOUNT_POLICY = LoginDelayPolicy(free_failures=5, base_delay_s=1, max_delay_s=900, window_s=3600)
# An office behind one NAT shares an address, so the address allows more before slowing.
ADDRESS_POLICY = LoginDelayPolicy(free_failures=20, base_delay_s=1, max_delay_s=900, window_s=3600)


def address_bucket(address: str) -> str:
    """The unit an address limit counts: an IPv4 address, or an IPv6 /64.

    One IPv6 subscriber is usually handed a whole /64, so counting single IPv6 addresses would
    give a guesser 2**64 fresh counters. Anything that is not an IP address (a Unix socket
    peer, "unknown") is counted as given.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)
