"""The login-delay policy and address grouping: pure rules, no fixtures."""

from __future__ import annotations

import pytest

from game.login_delay import (
    ACCOUNT_POLICY,
    ADDRESS_POLICY,
    InvalidPolicy,
    LoginDelayPolicy,
    address_bucket,
)

POLICY = LoginDelayPolicy(free_failures=3, base_delay_s=2, max_delay_s=60, window_s=600)


def test_free_failures_cost_nothing_then_delays_double_up_to_the_cap() -> None:
    assert [POLICY.delay_s(n) for n in range(10)] == [0, 0, 0, 2, 4, 8, 16, 32, 60, 60]
    assert POLICY.delay_s(10_000) == 60


def test_retry_after_counts_from_the_last_failure_and_rounds_up() -> None:
    last = 1_000_000
    assert POLICY.retry_after_s(2, last, last) == 0
    assert POLICY.retry_after_s(3, last, last) == 2
    assert POLICY.retry_after_s(3, last, last + 1_001) == 1
    assert POLICY.retry_after_s(3, last, last + 2_000) == 0
    assert POLICY.retry_after_s(5, last, last + 100) == 8
    assert POLICY.retry_after_s(0, 0, last) == 0


def test_policies_that_cannot_work_are_refused() -> None:
    with pytest.raises(InvalidPolicy):
        LoginDelayPolicy(free_failures=0, base_delay_s=1, max_delay_s=10, window_s=10)
    with pytest.raises(InvalidPolicy):
        LoginDelayPolicy(free_failures=1, base_delay_s=10, max_delay_s=5, window_s=10)
    with pytest.raises(InvalidPolicy):  # a lockout must not outlive its counter
        LoginDelayPolicy(free_failures=1, base_delay_s=1, max_delay_s=900, window_s=60)


def test_defaults_let_people_mistype_but_stop_guessing() -> None:
    assert ACCOUNT_POLICY.delay_s(ACCOUNT_POLICY.free_failures - 1) == 0
    assert ACCOUNT_POLICY.delay_s(ACCOUNT_POLICY.free_failures) >= 1
    assert ACCOUNT_POLICY.max_delay_s <= 15 * 60
    assert ADDRESS_POLICY.free_failures > ACCOUNT_POLICY.free_failures


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("unknown", "unknown"),
    ],
)
def test_addresses_are_counted_per_ipv4_address_or_ipv6_64(address: str, bucket: str) -> None:
    assert address_bucket(address) == bucket
