import { describe, expect, it } from 'vitest';
import { drawStroke, type StrokeContext } from './drawStroke';

function recorder() {
  const calls: string[] = [];
  const widths: number[] = [];
  const ctx = {
    strokeStyle: '',
    fillStyle: '',
    lineCap: 'butt',
    lineJoin: 'miter',
    set lineWidth(w: number) {
      widths.push(w);
    },
    get lineWidth() {
      return widths[widths.length - 1] ?? 1;
    },
    beginPath: () => calls.push('beginPath'),
    moveTo: (x: number, y: number) => calls.push(`M${x},${y}`),
    lineTo: (x: number, y: number) => calls.push(`L${x},${y}`),
    quadraticCurveTo: (cx: number, cy: number, x: number, y: number) => calls.push(`Q${cx},${cy} ${x},${y}`),
    arc: (x: number, y: number, r: number) => calls.push(`arc${x},${y},${r}`),
    stroke: () => calls.push('stroke'),
    fill: () => calls.push('fill'),
  } as unknown as StrokeContext;
  return { ctx, calls, widths };
}

describe('drawStroke', () => {
  it('draws an even-pressure stroke as one smooth path', () => {
    const { ctx, calls, widths } = recorder();
    drawStroke(ctx, { x: [0, 10, 20], y: [0, 10, 0], p: [0.5, 0.5, 0.5] }, { width: 4 });
    expect(calls).toEqual(['beginPath', 'M0,0', 'L5,5', 'Q10,10 15,5', 'L20,0', 'stroke']);
    expect(widths).toEqual([4]);
    expect(ctx.lineCap).toBe('round');
  });

  it('draws a tap as a round dot', () => {
    const { ctx, calls } = recorder();
    drawStroke(ctx, { x: [3], y: [4], p: [0.5] }, { width: 4 });
    expect(calls).toEqual(['beginPath', 'arc3,4,2', 'fill']);
  });

  it('draws a pen stroke piece by piece at the pressure of each piece', () => {
    const { ctx, calls, widths } = recorder();
    drawStroke(ctx, { x: [0, 10, 20], y: [0, 0, 0], p: [0, 0.5, 1] }, { width: 4 });
    expect(calls.filter((c) => c === 'stroke')).toHaveLength(3);
    expect(widths).toEqual([2, 4, 6]);
  });

  it('uses the stroke\u2019s own colour and width, scaled', () => {
    const { ctx, widths } = recorder();
    drawStroke(ctx, { x: [0, 1], y: [0, 1], p: [0.5, 0.5], color: '#ff0000', width: 8 }, { scale: 0.5 });
    expect(ctx.strokeStyle).toBe('#ff0000');
    expect(widths).toEqual([4]);
  });

  it('draws nothing for an empty stroke', () => {
    const { ctx, calls } = recorder();
    drawStroke(ctx, { x: [], y: [], p: [] });
    expect(calls).toEqual([]);
  });
});
