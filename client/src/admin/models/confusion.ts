/**
 * Confusion matrices and per-class metrics, shaped for the model comparison: row-normalised
 * shares (of each true class, how much was predicted as each class), heat colours, and the
 * per-class table of two models aligned by class name.
 */

export interface HeatCell {
  readonly count: number;
  /** Share of the true class's drawings (the row), in [0, 1]. */
  readonly share: number;
  readonly diagonal: boolean;
}

/**
 * Each row divided by its total, so classes of very different sizes read on one scale and the
 * diagonal is per-class recall. An empty row stays all zeros; ragged rows are padded.
 */
export function normalizeRows(matrix: readonly (readonly number[])[]): number[][] {
  const width = Math.max(matrix.length, ...matrix.map((r) => r.length));
  return matrix.map((row) => {
    const total = row.reduce((sum, v) => sum + (Number.isFinite(v) && v > 0 ? v : 0), 0);
    return Array.from({ length: width }, (_, j) => {
      const v = row[j] ?? 0;
      return total > 0 && Number.isFinite(v) && v > 0 ? v / total : 0;
    });
  });
}

export function heatCells(matrix: readonly (readonly number[])[]): HeatCell[][] {
  const shares = normalizeRows(matrix);
  return shares.map((row, i) => row.map((share, j) => ({ count: matrix[i]?.[j] ?? 0, share, diagonal: i === j })));
}

/**
 * The cell's background: correct answers in the primary indigo, confusions in red, both
 * stronger with the share; and a text colour that keeps contrast on it.
 */
export function heatColor(cell: HeatCell): { background: string; color: string } {
  const alpha = Math.round(Math.min(Math.max(cell.share, 0), 1) * 100) / 100;
  const rgb = cell.diagonal ? '79 70 229' : '180 35 24';
  return {
    background: alpha === 0 ? 'transparent' : `rgb(${rgb} / ${Math.max(alpha, 0.06)})`,
    color: alpha > 0.55 ? '#ffffff' : 'var(--c-ink)',
  };
}

export interface ClassMetricsRow {
  readonly shape: string;
  readonly precisionA: number | null;
  readonly precisionB: number | null;
  readonly recallA: number | null;
  readonly recallB: number | null;
}

interface PerClass {
  readonly classes: readonly string[];
  readonly precision: readonly number[];
  readonly recall: readonly number[];
}

/** One row per class of either model (A's order, then B's extras); null where a model lacks it. */
export function perClassRows(a: PerClass, b: PerClass): ClassMetricsRow[] {
  const names = [...a.classes, ...b.classes.filter((c) => !a.classes.includes(c))];
  const at = (m: PerClass, list: readonly number[], name: string) => {
    const i = m.classes.indexOf(name);
    return i < 0 || i >= list.length ? null : list[i]!;
  };
  return names.map((shape) => ({
    shape,
    precisionA: at(a, a.precision, shape),
    precisionB: at(b, b.precision, shape),
    recallA: at(a, a.recall, shape),
    recallB: at(b, b.recall, shape),
  }));
}

/** B minus A, or null when either is missing. */
export function delta(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}
