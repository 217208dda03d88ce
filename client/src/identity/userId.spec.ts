import { describe, expect, it } from 'vitest';
import { anonymousUserId } from './userId';

function store() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('anonymousUserId', () => {
  it('makes an id on the first visit and keeps it', () => {
    const s = store();
    const id = anonymousUserId(s);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(anonymousUserId(s)).toBe(id);
  });
});
