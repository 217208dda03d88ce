/**
 * The "start training" form and the request body it becomes. Every field name the training API
 * reads is here and nowhere else, so aligning with the server is an edit to this one module.
 *
 * The names follow the worker's own types: `TrainConfig.from_dict` (workers/training/config.py:
 * shape_ids, epochs, batch_size, lr, ...; unknown keys are refused) and `Selection.from_dict`
 * (store/selection.py: min_quality, created_from (inclusive), created_to (exclusive),
 * synthetic, generated; shape_ids come from the config). A job row stores them as
 * `{train, selection}`.
 */

import { SHAPES } from '../../game/shapes';

export interface TrainingForm {
  /** Shape names to learn (the model's classes, in catalogue order). */
  readonly shapes: readonly string[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly minQuality: number;
  /** YYYY-MM-DD or '' (no bound); both days inclusive. */
  readonly from: string;
  readonly to: string;
  readonly includeSynthetic: boolean;
  readonly includeGenerated: boolean;
}

/** The worker's defaults (TrainConfig, Selection), so an untouched form trains like the CLI. */
export const DEFAULT_TRAINING_FORM: TrainingForm = {
  shapes: SHAPES.map((s) => s.name),
  epochs: 2,
  batchSize: 256,
  lr: 0.003,
  minQuality: 0.5,
  from: '',
  to: '',
  includeSynthetic: true,
  includeGenerated: false,
};

export const LIMITS = {
  epochs: { min: 1, max: 200 },
  // server/training_request.py refuses more (a typo, or a run out of memory).
  batchSize: { min: 1, max: 4096 },
  lr: { min: 0.000001, max: 1 },
} as const;

export type TrainingFormErrors = Partial<Record<keyof TrainingForm, string>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function validateTrainingForm(form: TrainingForm): TrainingFormErrors {
  const errors: TrainingFormErrors = {};
  if (form.shapes.length < 2) errors.shapes = 'Choose at least two shapes: a classifier needs classes to tell apart.';
  const int = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!int(form.epochs, LIMITS.epochs.min, LIMITS.epochs.max)) {
    errors.epochs = `A whole number from ${LIMITS.epochs.min} to ${LIMITS.epochs.max}.`;
  }
  if (!int(form.batchSize, LIMITS.batchSize.min, LIMITS.batchSize.max)) {
    errors.batchSize = `A whole number from ${LIMITS.batchSize.min} to ${LIMITS.batchSize.max}.`;
  }
  if (!(Number.isFinite(form.lr) && form.lr >= LIMITS.lr.min && form.lr <= LIMITS.lr.max)) {
    errors.lr = 'A positive number, at most 1 (e.g. 0.003).';
  }
  if (!(Number.isFinite(form.minQuality) && form.minQuality >= 0 && form.minQuality <= 1)) {
    errors.minQuality = 'A number from 0 to 1.';
  }
  if (form.from && !DAY.test(form.from)) errors.from = 'A date (YYYY-MM-DD).';
  if (form.to && !DAY.test(form.to)) errors.to = 'A date (YYYY-MM-DD).';
  if (!errors.from && !errors.to && form.from && form.to && form.from > form.to) {
    errors.to = 'The end date is before the start date.';
  }
  return errors;
}

/** The day after `day` (YYYY-MM-DD), for an exclusive end bound. */
export function nextDay(day: string): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + 1);
  return at.toISOString().slice(0, 10);
}

export interface TrainingRequest {
  readonly config: {
    readonly shape_ids: number[];
    readonly epochs: number;
    readonly batch_size: number;
    readonly lr: number;
  };
  readonly selection: {
    readonly min_quality: number;
    readonly created_from: string | null;
    readonly created_to: string | null;
    readonly synthetic: boolean;
    readonly generated: boolean;
  };
}

/** The body of `POST /api/admin/training/start`. Dates are UTC days; the end day is included. */
export function trainingRequestBody(form: TrainingForm): TrainingRequest {
  const ids = SHAPES.filter((s) => form.shapes.includes(s.name)).map((s) => s.id);
  return {
    config: { shape_ids: ids, epochs: form.epochs, batch_size: form.batchSize, lr: form.lr },
    selection: {
      min_quality: form.minQuality,
      created_from: form.from ? `${form.from}T00:00:00Z` : null,
      created_to: form.to ? `${nextDay(form.to)}T00:00:00Z` : null,
      synthetic: form.includeSynthetic,
      generated: form.includeGenerated,
    },
  };
}
