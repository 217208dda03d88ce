/**
 * Reconnect delays: exponential growth, capped, with "equal jitter" (half the delay fixed, half
 * random). The jitter spreads a crowd of clients that lost the same server, so they don't all
 * come back in the same millisecond; the fixed half keeps any one client from retrying at once
 * in a tight loop.
 */

export interface BackoffPolicy {
  /** The first delay's ceiling, in ms. */
  readonly baseMs: number;
  /** No delay exceeds this, in ms. */
  readonly maxMs: number;
  readonly factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 15_000, factor: 2 };

/**
 * The delay before reconnect attempt `attempt` (0 for the first retry). `random` returns a
 * number in [0, 1), as Math.random does; tests pass their own.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exp = Math.min(Math.max(attempt, 0), 60); // 2**60 ms is already far past any cap
  const ceiling = Math.min(policy.maxMs, policy.baseMs * policy.factor ** exp);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
