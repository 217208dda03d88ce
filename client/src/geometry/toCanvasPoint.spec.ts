import { describe, expect, it } from 'vitest';
import { toCanvasPoint } from './toCanvasPoint';
import { screenPoint } from './types';

describe('toCanvasPoint', () => {
  it('subtracts the element offset when the element has its logical size', () => {
    const p = toCanvasPoint(screenPoint(150, 230), { left: 50, top: 30, width: 400, height: 400 }, {
      width: 400,
      height: 400,
    });
    expect(p).toEqual({ x: 100, y: 200 });
  });

  it('scales into the logical size when the element was resized mid-drawing', () => {
    const p = toCanvasPoint(screenPoint(100, 100), { left: 0, top: 0, width: 200, height: 200 }, {
      width: 400,
      height: 400,
    });
    expect(p).toEqual({ x: 200, y: 200 });
  });

  it('keeps points outside the element (pointer capture lets a stroke leave it)', () => {
    const p = toCanvasPoint(screenPoint(-10, 500), { left: 0, top: 0, width: 400, height: 400 }, {
      width: 400,
      height: 400,
    });
    expect(p).toEqual({ x: -10, y: 500 });
  });

  it('does not divide by zero for a collapsed element', () => {
    const p = toCanvasPoint(screenPoint(5, 5), { left: 0, top: 0, width: 0, height: 0 }, {
      width: 400,
      height: 400,
    });
    expect(p).toEqual({ x: 5, y: 5 });
  });
});
