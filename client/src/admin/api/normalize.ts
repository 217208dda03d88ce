/**
 * Readers for the parts of the admin API still being built (training jobs, models): they accept
 * camelCase or the store's snake_case, a bare list or one wrapped in an object, and fill what
 * is missing with null, so a spelling difference shows as an empty cell, never a crash.
 */

import { SHAPES } from '../../game/shapes';
import type { ModelMetrics, ModelVersion, TrainingJob, TrainingProgress } from './types';

type Json = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first of `keys` that `obj` holds (not null/undefined). */
export function pick(obj: Json, ...keys: string[]): unknown {
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== null) return obj[k];
  return undefined;
}

export function numberOr(v: unknown, fallback: number | null = null): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return fallback;
}

function stringOr(v: unknown, fallback: string | null = null): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return fallback;
}

function numbers(v: unknown): number[] {
  return Array.isArray(v) ? v.map((n) => numberOr(n, 0) ?? 0) : [];
}

/** A list out of `[...]`, `{items: [...]}` or `{<key>: [...]}`. */
export function listOf(raw: unknown, ...keys: string[]): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (isObject(raw)) {
    for (const k of [...keys, 'items']) {
      const v = raw[k];
      if (Array.isArray(v)) return v;
    }
  }
  return [];
}

export function toProgress(raw: unknown): TrainingProgress | null {
  if (!isObject(raw) || Object.keys(raw).length === 0) return null;
  return {
    device: stringOr(raw.device),
    phase: stringOr(raw.phase),
    epoch: numberOr(raw.epoch, 0) ?? 0,
    epochs: numberOr(raw.epochs),
    step: numberOr(raw.step, 0) ?? 0,
    steps: numberOr(raw.steps),
    loss: numberOr(raw.loss),
    accuracy: numberOr(raw.accuracy),
    etaS: numberOr(pick(raw, 'etaS', 'eta_s')),
  };
}

function names(v: unknown): string[] | null {
  return Array.isArray(v) && v.every((c) => typeof c === 'string') ? (v as string[]) : null;
}

/**
 * Per-class values in class order: a list as it is, or an object keyed by class name (what
 * workers/training/metadata.py records) read in `classes` order.
 */
function perClass(v: unknown, classes: readonly string[] | null): number[] {
  if (Array.isArray(v)) return numbers(v);
  if (!isObject(v)) return [];
  const order = classes ?? Object.keys(v);
  return order.map((c) => numberOr(v[c], 0) ?? 0);
}

/** Training's metrics document; `fallbackClasses` names the outputs when it does not. */
export function toMetrics(raw: unknown, fallbackClasses: readonly string[] | null = null): ModelMetrics {
  const m = isObject(raw) ? raw : {};
  const confusion = Array.isArray(m.confusion) ? m.confusion.map(numbers) : [];
  const classes =
    names(pick(m, 'classes', 'classNames', 'class_names', 'shapes')) ??
    fallbackClasses ??
    (isObject(m.precision) ? Object.keys(m.precision) : null);
  return {
    accuracy: numberOr(m.accuracy),
    loss: numberOr(m.loss),
    pointError: numberOr(m.point_rmse),
    precision: perClass(m.precision, classes),
    recall: perClass(m.recall, classes),
    confusion,
    classes: classes ? [...classes] : null,
  };
}

function seconds(from: string | null, to: string | null, now: number): number | null {
  if (!from) return null;
  const start = Date.parse(from);
  const end = to ? Date.parse(to) : now;
  return Number.isNaN(start) || Number.isNaN(end) ? null : Math.max(0, (end - start) / 1000);
}

export function toJob(raw: unknown, now: number = Date.now()): TrainingJob {
  const j = isObject(raw) ? raw : {};
  const startedAt = stringOr(pick(j, 'startedAt', 'started_at'));
  const finishedAt = stringOr(pick(j, 'finishedAt', 'finished_at'));
  const durationMs = numberOr(pick(j, 'durationMs', 'duration_ms'));
  const durationS = numberOr(pick(j, 'durationS', 'duration_s', 'duration'));
  const metricsRaw = pick(j, 'metrics');
  const progressRaw = isObject(j.progress) ? j.progress : {};
  // Finished jobs keep per-epoch history in their metrics; running ones in their progress.
  const historyRaw =
    (isObject(metricsRaw) && Array.isArray(metricsRaw.history) ? metricsRaw.history : null) ??
    (Array.isArray(progressRaw.history) ? progressRaw.history : null) ??
    j.history ??
    [];
  const history = Array.isArray(historyRaw)
    ? historyRaw.filter(isObject).map((h) => ({
        epoch: numberOr(h.epoch, 0) ?? 0,
        loss: numberOr(h.loss),
        // A generator records the validation share of steps in the right stroke instead.
        accuracy: numberOr(pick(h, 'val_accuracy', 'valAccuracy', 'accuracy', 'stroke_accuracy')),
      }))
    : [];
  return {
    id: stringOr(pick(j, 'id', 'jobId', 'job_id'), '') ?? '',
    kind: stringOr(j.kind, 'classifier') ?? 'classifier',
    status: stringOr(j.status, 'pending') ?? 'pending',
    createdAt: stringOr(pick(j, 'createdAt', 'created_at')),
    startedAt,
    finishedAt,
    durationS: durationS ?? (durationMs !== null ? durationMs / 1000 : seconds(startedAt, finishedAt, now)),
    error: stringOr(j.error),
    progress: toProgress(j.progress),
    history,
    metrics: isObject(metricsRaw) && Array.isArray(metricsRaw.confusion) ? toMetrics(metricsRaw) : null,
    modelId: stringOr(pick(j, 'modelId', 'model_id')),
    config: isObject(j.config) ? j.config : null,
    cancelRequested: Boolean(pick(j, 'cancelRequested', 'cancel_requested')),
  };
}

export function toModel(raw: unknown): ModelVersion {
  const m = isObject(raw) ? raw : {};
  return {
    id: stringOr(m.id, '') ?? '',
    version: numberOr(m.version, 0) ?? 0,
    kind: stringOr(m.kind, 'classifier') ?? 'classifier',
    isActive: Boolean(pick(m, 'isActive', 'is_active', 'active')),
    createdAt: stringOr(pick(m, 'createdAt', 'created_at')),
    activatedAt: stringOr(pick(m, 'activatedAt', 'activated_at')),
    metrics: toMetrics(m.metrics, names(m.shapes)),
    dataset: isObject(m.dataset) ? m.dataset : {},
    sampleAccuracy: numberOr(m.sampleAccuracy),
  };
}

/**
 * The class names of a model's outputs, in order: what the metrics say, else the shape ids of
 * the dataset snapshot or training config mapped through the catalogue, else the catalogue
 * (training's default is every shape, in id order).
 */
export function classNamesOf(model: Pick<ModelVersion, 'metrics' | 'dataset'>): string[] {
  if (model.metrics.classes) return [...model.metrics.classes];
  const d = model.dataset;
  const nested = isObject(d.selection) ? d.selection : isObject(d.train) ? d.train : {};
  const ids = pick(d, 'shape_ids', 'shapeIds') ?? pick(nested, 'shape_ids', 'shapeIds');
  const names = pick(d, 'shapes', 'classes');
  if (Array.isArray(names) && names.every((n) => typeof n === 'string')) return names as string[];
  if (Array.isArray(ids)) {
    return ids.map((id) => SHAPES.find((s) => s.id === Number(id))?.name ?? `shape ${String(id)}`);
  }
  const n = Math.max(model.metrics.precision.length, model.metrics.confusion.length);
  const all = SHAPES.map((s) => s.name);
  return n > 0 && n !== all.length ? Array.from({ length: n }, (_, i) => all[i] ?? `class ${i + 1}`) : all;
}
