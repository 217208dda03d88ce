import { describe, expect, it } from 'vitest';
import { pressureWidth } from './pressureWidth';

describe('pressureWidth', () => {
  it('is the nominal width at mouse pressure', () => {
    expect(pressureWidth(4, 0.5)).toBe(4);
  });

  it('ranges from half to one and a half times the nominal width', () => {
    expect(pressureWidth(4, 0)).toBe(2);
    expect(pressureWidth(4, 1)).toBe(6);
  });

  it('clamps out-of-range and non-finite pressures', () => {
    expect(pressureWidth(4, 7)).toBe(6);
    expect(pressureWidth(4, -1)).toBe(2);
    expect(pressureWidth(4, Number.NaN)).toBe(4);
  });
});
