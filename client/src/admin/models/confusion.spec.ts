import { describe, expect, it } from 'vitest';
import { delta, heatCells, heatColor, normalizeRows, perClassRows } from './confusion';

describe('normalizeRows', () => {
  it('turns each true class into shares that sum to one', () => {
    const rows = normalizeRows([
      [8, 2],
      [1, 3],
    ]);
    expect(rows).toEqual([
      [0.8, 0.2],
      [0.25, 0.75],
    ]);
  });

  it('leaves a class with no validation drawings at zero instead of dividing by it', () => {
    expect(normalizeRows([[0, 0], [0, 5]])).toEqual([
      [0, 0],
      [0, 1],
    ]);
  });

  it('pads ragged rows and ignores negative or non-finite counts', () => {
    expect(normalizeRows([[4], [1, Number.NaN, -2, 1]])).toEqual([
      [1, 0, 0, 0],
      [0.5, 0, 0, 0.5],
    ]);
  });
});

describe('heatCells and heatColor', () => {
  it('marks the diagonal and keeps counts beside shares', () => {
    const cells = heatCells([
      [3, 1],
      [0, 4],
    ]);
    expect(cells[0]![0]).toEqual({ count: 3, share: 0.75, diagonal: true });
    expect(cells[0]![1]).toEqual({ count: 1, share: 0.25, diagonal: false });
  });

  it('colours correct answers and confusions apart, with readable text', () => {
    const right = heatColor({ count: 9, share: 0.9, diagonal: true });
    const wrong = heatColor({ count: 1, share: 0.1, diagonal: false });
    expect(right.background).toBe('rgb(79 70 229 / 0.9)');
    expect(right.color).toBe('#ffffff');
    expect(wrong.background).toBe('rgb(180 35 24 / 0.1)');
    expect(wrong.color).toBe('var(--c-ink)');
    expect(heatColor({ count: 0, share: 0, diagonal: false }).background).toBe('transparent');
  });
});

describe('perClassRows', () => {
  it('aligns two models by class name, even when their classes differ', () => {
    const rows = perClassRows(
      { classes: ['line', 'circle'], precision: [0.9, 0.8], recall: [0.7, 0.6] },
      { classes: ['circle', 'heart'], precision: [0.85, 0.5], recall: [0.65, 0.4] },
    );
    expect(rows).toEqual([
      { shape: 'line', precisionA: 0.9, precisionB: null, recallA: 0.7, recallB: null },
      { shape: 'circle', precisionA: 0.8, precisionB: 0.85, recallA: 0.6, recallB: 0.65 },
      { shape: 'heart', precisionA: null, precisionB: 0.5, recallA: null, recallB: 0.4 },
    ]);
  });

  it('computes B minus A only when both exist', () => {
    expect(delta(0.5, 0.75)).toBe(0.25);
    expect(delta(null, 0.75)).toBeNull();
  });
});
