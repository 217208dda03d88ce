import { describe, expect, it } from 'vitest';
import { canvasPoint } from '../geometry/types';
import { Draft, type Sample } from './draft';
import { DRAWING_LIMITS } from './limits';

const size = { width: 400, height: 300 };
const s = (x: number, y: number, time: number, pressure = 0.5): Sample => ({
  point: canvasPoint(x, y),
  time,
  pressure,
});

function drawLine(d: Draft, at = 1000) {
  d.begin(s(10, 10, at), size, 'mouse', 1_704_067_200_000);
  d.add(s(20, 10, at + 16));
  d.add(s(30, 10, at + 32));
  d.end();
}

describe('Draft', () => {
  it('times points from the first pointer-down of the drawing', () => {
    const d = new Draft();
    drawLine(d, 5000);
    d.begin(s(0, 0, 5100), size, 'mouse', 0);
    d.end();
    const wire = d.toWire();
    expect(Array.from(wire[0]!.t)).toEqual([0, 16, 32]);
    expect(Array.from(wire[1]!.t)).toEqual([100]);
    expect(d.durationMs).toBe(100);
    expect(d.startedAt).toBe(1_704_067_200_000);
  });

  it('never lets time go backwards (coalesced events can be out of order by a hair)', () => {
    const d = new Draft();
    d.begin(s(0, 0, 100), size, 'pen', 0);
    d.add(s(1, 1, 120));
    d.add(s(2, 2, 110));
    expect(d.toWire()[0]!.t).toEqual(new Uint32Array([0, 20, 20]));
  });

  it('stores float32 values, so the outbox holds exactly what the server will store', () => {
    const d = new Draft();
    d.begin(s(0.1, 0.2, 0, 0.3), size, 'pen', 0);
    const [stroke] = d.strokeViews;
    expect(stroke!.x[0]).toBe(Math.fround(0.1));
    expect(stroke!.p[0]).toBe(Math.fround(0.3));
    expect(d.toWire()[0]!.x[0]).toBe(stroke!.x[0]);
  });

  it('fixes the canvas size with the first stroke, rounded to whole pixels', () => {
    const d = new Draft();
    d.begin(s(1, 1, 0), { width: 343.6, height: 343.6 }, 'touch', 0);
    d.end();
    d.begin(s(1, 1, 10), { width: 500, height: 500 }, 'touch', 0);
    expect(d.size).toEqual({ width: 344, height: 344 });
  });

  it('clamps points that strayed far outside the canvas', () => {
    const d = new Draft();
    d.begin(s(-900, 100, 0), size, 'mouse', 0);
    expect(d.strokeViews[0]!.x[0]).toBe(-200);
  });

  it('clamps pressure into [0, 1]', () => {
    const d = new Draft();
    d.begin(s(0, 0, 0, 3), size, 'pen', 0);
    d.add(s(1, 0, 1, Number.NaN));
    expect(d.strokeViews[0]!.p).toEqual([1, 0.5]);
  });

  it('drops exact repeats of the previous sample', () => {
    const d = new Draft();
    d.begin(s(5, 5, 0), size, 'mouse', 0);
    expect(d.add(s(5, 5, 4))).toBe(true);
    expect(d.pointCount).toBe(1);
  });

  it('hands out each point once, batch by batch, flagging a stroke\u2019s first batch', () => {
    const d = new Draft();
    d.begin(s(0, 0, 0), size, 'mouse', 0);
    d.add(s(1, 0, 8));
    const b1 = d.takeBatch()!;
    expect(b1.stroke).toBe(0);
    expect(b1.first).toBe(true);
    expect(Array.from(b1.points.x)).toEqual([0, 1]);
    expect(d.takeBatch()).toBeNull();
    d.add(s(2, 0, 16));
    const b2 = d.takeBatch()!;
    expect(b2.first).toBe(false);
    expect(Array.from(b2.points.x)).toEqual([2]);
    d.end();
    d.begin(s(9, 9, 40), size, 'mouse', 0);
    expect(d.takeBatch()).toMatchObject({ stroke: 1, first: true });
  });

  it('marks everything streamed after a replay', () => {
    const d = new Draft();
    d.begin(s(0, 0, 0), size, 'mouse', 0);
    d.add(s(1, 1, 1));
    d.markAllSent();
    expect(d.takeBatch()).toBeNull();
    d.add(s(2, 2, 2));
    expect(Array.from(d.takeBatch()!.points.x)).toEqual([2]);
  });

  it('undoes the last stroke and restarts the clock when nothing is left', () => {
    const d = new Draft();
    drawLine(d, 0);
    drawLine(d, 100);
    expect(d.undo()).toBe(true);
    expect(d.strokeCount).toBe(1);
    expect(d.durationMs).toBe(32);
    expect(d.undo()).toBe(true);
    expect(d.isEmpty).toBe(true);
    expect(d.size).toBeNull();
    expect(d.undo()).toBe(false);
    d.begin(s(0, 0, 9000), size, 'mouse', 0);
    expect(d.toWire()[0]!.t[0]).toBe(0);
  });

  it('clears everything', () => {
    const d = new Draft();
    drawLine(d);
    d.clear();
    expect(d.isEmpty).toBe(true);
    expect(d.pointCount).toBe(0);
    expect(d.toWire()).toEqual([]);
  });

  it('tells listeners whether points or strokes changed', () => {
    const d = new Draft();
    const changes: string[] = [];
    const off = d.subscribe((c) => changes.push(c));
    d.begin(s(0, 0, 0), size, 'mouse', 0);
    d.add(s(1, 1, 1));
    d.end();
    d.undo();
    off();
    d.clear();
    expect(changes).toEqual(['strokes', 'points', 'points', 'strokes', 'strokes']);
  });

  it('stops a stroke at the per-stroke point limit', () => {
    const d = new Draft({ ...DRAWING_LIMITS, maxPointsPerStroke: 3 });
    d.begin(s(0, 0, 0), size, 'mouse', 0);
    expect(d.add(s(1, 0, 1))).toBe(true);
    expect(d.add(s(2, 0, 2))).toBe(true);
    expect(d.add(s(3, 0, 3))).toBe(false);
    expect(d.isFull).toBe(true);
    d.end();
    expect(d.begin(s(0, 5, 9), size, 'mouse', 0)).toBe(1);
    expect(d.isFull).toBe(false);
  });

  it('refuses strokes beyond the stroke limit', () => {
    const d = new Draft({ ...DRAWING_LIMITS, maxStrokes: 2 });
    drawLine(d);
    drawLine(d, 2000);
    expect(d.begin(s(0, 0, 3000), size, 'mouse', 0)).toBeNull();
    expect(d.strokeCount).toBe(2);
    expect(d.isFull).toBe(true);
  });

  it('refuses samples later than the longest drawing allowed', () => {
    const d = new Draft({ ...DRAWING_LIMITS, maxDurationMs: 100 });
    d.begin(s(0, 0, 0), size, 'mouse', 0);
    expect(d.add(s(1, 1, 101))).toBe(false);
  });

  it('records the device of the latest stroke', () => {
    const d = new Draft();
    d.begin(s(0, 0, 0), size, 'pen', 0);
    expect(d.device).toBe('pen');
  });

  it('carries the pen colour and width on every stroke', () => {
    const d = new Draft();
    drawLine(d);
    expect(d.toWire()[0]).toMatchObject({ color: '#1e1e1e', width: 4 });
  });
});
