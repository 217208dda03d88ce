import { describe, expect, it } from 'vitest';
import { uuid } from './uuid';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid', () => {
  it('uses crypto.randomUUID where the context has it', () => {
    expect(uuid({ getRandomValues: (a) => a, randomUUID: () => '1-2-3-4-5' })).toBe('1-2-3-4-5');
  });

  it('builds a v4 UUID from random bytes in an insecure context', () => {
    const id = uuid({ getRandomValues: (a) => globalThis.crypto.getRandomValues(a) });
    expect(id).toMatch(V4);
  });

  it('sets the version and variant bits whatever the random bytes', () => {
    const ones = uuid({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => {
      new Uint8Array((a as unknown as Uint8Array).buffer).fill(0xff);
      return a;
    } });
    expect(ones).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });
});
