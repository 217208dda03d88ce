import { describe, expect, it } from 'vitest';
import { fitView } from './fitView';

const apply = (t: { scale: number; offsetX: number; offsetY: number }, x: number, y: number) => [
  x * t.scale + t.offsetX,
  y * t.scale + t.offsetY,
];

describe('fitView', () => {
  it('scales the larger side to the view and centres the drawing', () => {
    const t = fitView({ minX: 100, minY: 100, maxX: 300, maxY: 200 }, { width: 100, height: 100 });
    expect(t.scale).toBe(0.5);
    expect(apply(t, 100, 100)).toEqual([0, 25]);
    expect(apply(t, 300, 200)).toEqual([100, 75]);
  });

  it('keeps the padding free', () => {
    const t = fitView({ minX: 0, minY: 0, maxX: 80, maxY: 80 }, { width: 100, height: 100 }, {
      padding: 10,
    });
    expect(apply(t, 0, 0)).toEqual([10, 10]);
    expect(apply(t, 80, 80)).toEqual([90, 90]);
  });

  it('does not blow a tiny start of a drawing up to the whole view', () => {
    const t = fitView({ minX: 50, minY: 50, maxX: 52, maxY: 51 }, { width: 200, height: 200 }, {
      minExtent: 400,
    });
    expect(t.scale).toBe(0.5);
    expect(apply(t, 51, 50.5)).toEqual([100, 100]);
  });

  it('handles a single point', () => {
    const t = fitView({ minX: 5, minY: 5, maxX: 5, maxY: 5 }, { width: 10, height: 10 });
    expect(apply(t, 5, 5)).toEqual([5, 5]);
  });
});
