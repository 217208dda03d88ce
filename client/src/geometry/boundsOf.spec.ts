import { describe, expect, it } from 'vitest';
import { boundsOf } from './boundsOf';

describe('boundsOf', () => {
  it('is null without points', () => {
    expect(boundsOf([])).toBeNull();
    expect(boundsOf([{ x: [], y: [] }])).toBeNull();
  });

  it('spans every point of every stroke', () => {
    expect(
      boundsOf([
        { x: [10, 20], y: [5, 40] },
        { x: new Float32Array([-3, 7]), y: new Float32Array([12, 0]) },
      ]),
    ).toEqual({ minX: -3, minY: 0, maxX: 20, maxY: 40 });
  });

  it('is a point for a single sample', () => {
    expect(boundsOf([{ x: [2], y: [3] }])).toEqual({ minX: 2, minY: 3, maxX: 2, maxY: 3 });
  });
});
