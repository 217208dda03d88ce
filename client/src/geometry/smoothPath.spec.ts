import { describe, expect, it } from 'vitest';
import { smoothPath } from './smoothPath';
import { canvasPoint } from './types';

const p = canvasPoint;

describe('smoothPath', () => {
  it('is empty for no points', () => {
    expect(smoothPath([])).toEqual([]);
  });

  it('draws a single sample as a dot so a tap leaves a mark', () => {
    expect(smoothPath([p(4, 5)], [0.8])).toEqual([{ kind: 'dot', at: p(4, 5), pressure: 0.8 }]);
  });

  it('joins two samples with a straight line at their mean pressure', () => {
    expect(smoothPath([p(0, 0), p(10, 0)], [0.2, 0.4])).toEqual([
      { kind: 'line', from: p(0, 0), to: p(10, 0), pressure: expect.closeTo(0.3) },
    ]);
  });

  it('curves through midpoints, using the samples as control points', () => {
    const segs = smoothPath([p(0, 0), p(10, 0), p(10, 10), p(0, 10)]);
    expect(segs).toEqual([
      { kind: 'line', from: p(0, 0), to: p(5, 0), pressure: 0.5 },
      { kind: 'quad', from: p(5, 0), control: p(10, 0), to: p(10, 5), pressure: 0.5 },
      { kind: 'quad', from: p(10, 5), control: p(10, 10), to: p(5, 10), pressure: 0.5 },
      { kind: 'line', from: p(5, 10), to: p(0, 10), pressure: 0.5 },
    ]);
  });

  it('starts on the first sample, ends on the last and leaves no gaps', () => {
    const pts = [p(1, 2), p(3, 7), p(8, 1), p(9, 9), p(2, 4)];
    const segs = smoothPath(pts);
    const first = segs[0]!;
    const last = segs[segs.length - 1]!;
    expect(first.kind !== 'dot' && first.from).toEqual(pts[0]);
    expect(last.kind !== 'dot' && last.to).toEqual(pts[4]);
    for (let i = 1; i < segs.length; i++) {
      const prev = segs[i - 1]!;
      const cur = segs[i]!;
      expect(cur.kind !== 'dot' && cur.from).toEqual(prev.kind !== 'dot' && prev.to);
    }
  });

  it('carries each sample\u2019s pressure to the curve it controls', () => {
    const segs = smoothPath([p(0, 0), p(1, 1), p(2, 0)], [0.1, 0.9, 0.3]);
    expect(segs.map((s) => s.pressure)).toEqual([0.1, 0.9, 0.3]);
  });

  it('defaults missing pressures to the mouse pressure', () => {
    expect(smoothPath([p(0, 0), p(1, 1), p(2, 0)]).every((s) => s.pressure === 0.5)).toBe(true);
  });
});
