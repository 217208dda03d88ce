import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';

const policy = { baseMs: 100, maxMs: 1000, factor: 2 };

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt', () => {
    const top = (a: number) => backoffDelay(a, policy, () => 0.999999);
    expect([0, 1, 2, 3].map(top)).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, however many attempts failed', () => {
    expect(backoffDelay(4, policy, () => 0.999999)).toBe(1000);
    expect(backoffDelay(1_000, policy, () => 0.999999)).toBe(1000);
  });

  it('keeps at least half of the ceiling so a client never retries in a tight loop', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(10, policy, () => 0)).toBe(500);
  });

  it('spreads clients with the jitter', () => {
    const values = [0, 0.25, 0.5, 0.75].map((r) => backoffDelay(2, policy, () => r));
    expect(values).toEqual([200, 250, 300, 350]);
  });

  it('treats a negative attempt as the first', () => {
    expect(backoffDelay(-3, policy, () => 0)).toBe(50);
  });

  it('has defaults that reconnect within a second first and within 15 s at worst', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0.999999)).toBeLessThanOrEqual(500);
    expect(backoffDelay(99, DEFAULT_BACKOFF, () => 0.999999)).toBe(15_000);
  });
});
