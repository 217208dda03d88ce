import { describe, expect, it } from 'vitest';
import { midpoint } from './midpoint';
import { canvasPoint } from './types';

describe('midpoint', () => {
  it('is halfway between the two points', () => {
    expect(midpoint(canvasPoint(0, 0), canvasPoint(10, -4))).toEqual({ x: 5, y: -2 });
  });

  it('is the point itself for a degenerate segment', () => {
    expect(midpoint(canvasPoint(3, 3), canvasPoint(3, 3))).toEqual({ x: 3, y: 3 });
  });
});
