/**
 * Shaping API numbers into chart series: pure, so what each chart shows is tested without a
 * canvas. A series is labels plus values of one length; the chart components turn series into
 * Chart.js datasets.
 */

import { SHAPE_NAMES } from '../../game/shapes';
import type { QualityBucket } from '../api/types';

export interface Series {
  readonly labels: string[];
  readonly values: number[];
}

/** Counts in catalogue order (line, circle, …), shapes the catalogue lacks after them by name. */
export function shapeSeries(perShape: readonly { shape: string; count: number }[]): Series {
  const counts = new Map<string, number>();
  for (const { shape, count } of perShape) counts.set(shape, (counts.get(shape) ?? 0) + count);
  // Every catalogue shape, even at zero: a shape nobody draws is exactly what to notice.
  const extra = [...counts.keys()].filter((n) => !SHAPE_NAMES.includes(n)).sort();
  const labels = [...SHAPE_NAMES, ...extra];
  return { labels, values: labels.map((l) => counts.get(l) ?? 0) };
}

/** Largest first (devices: whatever the server reports). */
export function rankedSeries<K extends string>(rows: readonly ({ count: number } & Record<K, string>)[], key: K): Series {
  const sorted = [...rows].sort((a, b) => b.count - a.count || a[key].localeCompare(b[key]));
  return { labels: sorted.map((r) => r[key]), values: sorted.map((r) => r.count) };
}

function addDays(day: string, n: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + n);
  return at.toISOString().slice(0, 10);
}

/**
 * One point per UTC day for the `days` days ending `today` (YYYY-MM-DD), zero where the API
 * sent nothing: days without drawings are real zeros, and the axis must not skip them.
 */
export function dailySeries(perDay: readonly { day: string; count: number }[], today: string, days = 30): Series {
  const counts = new Map<string, number>();
  for (const { day, count } of perDay) {
    const key = day.slice(0, 10);
    counts.set(key, (counts.get(key) ?? 0) + count);
  }
  const labels: string[] = [];
  for (let i = days - 1; i >= 0; i--) labels.push(addDays(today, -i));
  return { labels, values: labels.map((d) => counts.get(d) ?? 0) };
}

/** 0 -> "0.0", 0.1 -> "0.1", 0.05 -> "0.05". */
function fixed(v: number): string {
  return v.toFixed(2).replace(/0$/, '');
}

/** The quality histogram, buckets in ascending order, labelled "0.0–0.1". */
export function qualitySeries(buckets: readonly QualityBucket[]): Series {
  const sorted = [...buckets].sort((a, b) => a.from - b.from);
  return { labels: sorted.map((b) => `${fixed(b.from)}–${fixed(b.to)}`), values: sorted.map((b) => b.count) };
}

export interface Sample {
  /** Wall time, ms. */
  readonly at: number;
  readonly value: number;
}

/**
 * The last `windowS` seconds of a 1 Hz feed as a series labelled in seconds ago ("-12 s"),
 * oldest first; samples older than the window are dropped.
 */
export function recentSeries(samples: readonly Sample[], now: number, windowS = 60): Series {
  const kept = samples.filter((s) => now - s.at <= windowS * 1000 && s.at <= now);
  return {
    labels: kept.map((s) => `${Math.round((s.at - now) / 1000)} s`),
    values: kept.map((s) => s.value),
  };
}

export interface CurvePoint {
  readonly step: number;
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly valAccuracy: number | null;
}

export interface Curves {
  readonly labels: string[];
  /** null gaps where a point has no value (the chart bridges them with spanGaps). */
  readonly loss: (number | null)[];
  /** Percentages. */
  readonly accuracy: (number | null)[];
  readonly valAccuracy: (number | null)[];
}

const percent = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 100);

/** Loss, and training and validation accuracy in percent, against optimizer step. */
export function trainingCurves(points: readonly CurvePoint[]): Curves {
  return {
    labels: points.map((p) => String(p.step)),
    loss: points.map((p) => p.loss),
    accuracy: points.map((p) => percent(p.accuracy)),
    valAccuracy: points.map((p) => percent(p.valAccuracy)),
  };
}
