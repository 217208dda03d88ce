import { describe, expect, it } from 'vitest';
import { backingSize } from './backingSize';

describe('backingSize', () => {
  it('has one pixel per device pixel', () => {
    expect(backingSize({ width: 400, height: 300 }, 2)).toEqual({ width: 800, height: 600 });
    expect(backingSize({ width: 343, height: 343 }, 2.625)).toEqual({ width: 900, height: 900 });
  });

  it('treats a missing ratio as 1', () => {
    expect(backingSize({ width: 10, height: 10 }, 0)).toEqual({ width: 10, height: 10 });
    expect(backingSize({ width: 10, height: 10 }, Number.NaN)).toEqual({ width: 10, height: 10 });
  });

  it('is never empty and never enormous', () => {
    expect(backingSize({ width: 0, height: 0 }, 2)).toEqual({ width: 1, height: 1 });
    expect(backingSize({ width: 3000, height: 10 }, 3)).toEqual({ width: 4096, height: 30 });
  });
});
