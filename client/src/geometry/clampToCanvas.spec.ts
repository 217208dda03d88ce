import { describe, expect, it } from 'vitest';
import { clampToCanvas } from './clampToCanvas';
import { canvasPoint } from './types';

const size = { width: 400, height: 200 };

describe('clampToCanvas', () => {
  it('leaves points on the canvas alone', () => {
    expect(clampToCanvas(canvasPoint(10, 20), size)).toEqual({ x: 10, y: 20 });
  });

  it('allows half a canvas of slack outside each edge', () => {
    expect(clampToCanvas(canvasPoint(-150, 250), size)).toEqual({ x: -150, y: 250 });
  });

  it('clamps beyond the slack', () => {
    expect(clampToCanvas(canvasPoint(-1000, 1000), size)).toEqual({ x: -200, y: 300 });
    expect(clampToCanvas(canvasPoint(1000, -1000), size)).toEqual({ x: 600, y: -100 });
  });

  it('takes the slack as a parameter', () => {
    expect(clampToCanvas(canvasPoint(-5, 205), size, 0)).toEqual({ x: 0, y: 200 });
  });
});
