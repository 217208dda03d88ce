/**
 * Facts about model versions for the list and the comparison: which one is active, how big its
 * dataset was, its snapshot in readable lines, and the order two versions are compared in.
 */

import type { ModelKind, ModelMetrics, ModelVersion } from '../api/types';
import { isObject, numberOr } from '../api/normalize';
import { formatPercent } from '../ui/format';

/**
 * The one number the list shows per version, by kind: a classifier's validation accuracy
 * (higher is better); a generator has none, and its held-out point error (the typical
 * distance of a reconstructed point from the drawn one, as a share of the drawing's size;
 * lower is better) says most about how faithfully it draws.
 */
export const HEADLINE: Readonly<Record<ModelKind, { readonly label: string; readonly value: (m: ModelMetrics) => number | null }>> = {
  classifier: { label: 'Accuracy', value: (m) => m.accuracy },
  generator: { label: 'Point error', value: (m) => m.pointError },
};

/** "97.3% accuracy", "3.8% point error": a version's headline number in a sentence. */
export function headlineText(kind: ModelKind, metrics: ModelMetrics): string {
  const h = HEADLINE[kind];
  return `${formatPercent(h.value(metrics))} ${h.label.toLowerCase()}`;
}

/** The number of drawings a model learnt from (and was validated on), when its snapshot says. */
export function datasetSize(dataset: Readonly<Record<string, unknown>>): number | null {
  for (const key of ['total', 'count', 'drawings', 'size', 'drawingCount']) {
    const n = numberOr(dataset[key]);
    if (n !== null) return n;
  }
  const sum = (v: unknown) => (Array.isArray(v) ? v.reduce<number>((a, b) => a + (numberOr(b, 0) ?? 0), 0) : null);
  const train = sum(dataset.train_counts ?? dataset.trainCounts);
  const val = sum(dataset.val_counts ?? dataset.valCounts);
  return train === null && val === null ? null : (train ?? 0) + (val ?? 0);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en') : String(Math.round(value * 1e4) / 1e4);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return value.map((v) => describe(v)).join(', ');
  return JSON.stringify(value);
}

/**
 * The snapshot as label/value lines: a map of counts on one line ("line 120 · circle 98"),
 * other nested objects one level deep ("selection.min_quality").
 */
export function datasetLines(dataset: Readonly<Record<string, unknown>>): { key: string; value: string }[] {
  const lines: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(dataset)) {
    if (isObject(value) && Object.values(value).every((v) => typeof v === 'number')) {
      lines.push({ key, value: Object.entries(value).map(([k, v]) => `${k} ${describe(v)}`).join(' · ') });
    } else if (isObject(value)) {
      for (const [sub, v] of Object.entries(value)) lines.push({ key: `${key}.${sub}`, value: describe(v) });
    } else {
      lines.push({ key, value: describe(value) });
    }
  }
  return lines;
}

/** Two selected versions as (older, newer): the comparison reads "from A to B". */
export function compareOrder(models: readonly ModelVersion[], ids: readonly string[]): [ModelVersion, ModelVersion] | null {
  const chosen = models.filter((m) => ids.includes(m.id));
  if (chosen.length !== 2) return null;
  const [x, y] = chosen as [ModelVersion, ModelVersion];
  return x.version <= y.version ? [x, y] : [y, x];
}

/** "Activate" for a newer version, "Roll back" to one older than the active model. */
export function activationVerb(model: ModelVersion, active: ModelVersion | null): 'Activate' | 'Roll back' {
  return active && model.version < active.version ? 'Roll back' : 'Activate';
}

/** Selecting `id` for comparison keeps at most two, dropping the oldest choice. */
export function toggleCompare(selected: readonly string[], id: string, on: boolean): string[] {
  if (!on) return selected.filter((s) => s !== id);
  if (selected.includes(id)) return [...selected];
  return [...selected, id].slice(-2);
}
