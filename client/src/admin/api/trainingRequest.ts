/**
 * The "start training" form and the request body it becomes. Every field name the training API
 * reads is here and nowhere else, so aligning with the server is an edit to this one module.
 *
 * The body is `{kind, config, selection}` (server/training_request.py). The config's names
 * follow the worker's own types, one per kind: `TrainConfig` (workers/training/config.py) for
 * a classifier, `GeneratorConfig` (workers/training/generator/config.py) for a generator; both
 * refuse unknown keys, so each kind sends only its own fields. The selection is the same for
 * both (`Selection.from_dict`, store/selection.py: min_quality, created_from (inclusive),
 * created_to (exclusive), synthetic, generated; shape_ids come from the config). A job row
 * stores them as `{kind, train, selection}`.
 */

import { SHAPES } from '../../game/shapes';
import type { ModelKind } from './types';

export const MODEL_KINDS: readonly { readonly kind: ModelKind; readonly label: string; readonly description: string }[] = [
  { kind: 'classifier', label: 'Classifier', description: 'recognises shapes (/play, /lab, classify API)' },
  { kind: 'generator', label: 'Generator', description: 'draws new shapes (/lab, generate API)' },
];

/** The numbers the form asks for; which of them a kind uses is in PARAM_FIELDS. */
export type ParamKey = 'epochs' | 'batchSize' | 'lr' | 'width' | 'hidden' | 'latentDim';

/** One number of a kind's config as the form shows it. */
export interface ParamField {
  readonly key: ParamKey;
  /** The config field the server reads. */
  readonly name: string;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly integer: boolean;
  readonly testId: string;
}

// Upper bounds are server/training_request.py's: beyond them a run is surely a typo.
const EPOCHS: ParamField = { key: 'epochs', name: 'epochs', label: 'Epochs', min: 1, max: 200, step: 1, integer: true, testId: 'training-epochs' };
const BATCH: ParamField = { key: 'batchSize', name: 'batch_size', label: 'Batch size', min: 1, max: 4096, step: 1, integer: true, testId: 'training-batch-size' };
const LR: ParamField = { key: 'lr', name: 'lr', label: 'Learning rate', min: 0.000001, max: 1, step: 0.0005, integer: false, testId: 'training-lr' };

/** Per kind: the shared training numbers, then the model's own size. */
export const PARAM_FIELDS: Readonly<Record<ModelKind, readonly ParamField[]>> = {
  classifier: [
    EPOCHS,
    BATCH,
    LR,
    { key: 'width', name: 'width', label: 'Width (first-layer channels)', min: 1, max: 256, step: 1, integer: true, testId: 'training-width' },
  ],
  generator: [
    EPOCHS,
    BATCH,
    LR,
    { key: 'hidden', name: 'hidden', label: 'Hidden units', min: 1, max: 4096, step: 1, integer: true, testId: 'training-hidden' },
    { key: 'latentDim', name: 'latent_dim', label: 'Latent size', min: 1, max: 256, step: 1, integer: true, testId: 'training-latent-dim' },
  ],
};

export type Params = Readonly<Partial<Record<ParamKey, number>>>;

export interface TrainingForm {
  readonly kind: ModelKind;
  /** Shape names to learn (a classifier's classes, a generator's conditions; catalogue order). */
  readonly shapes: readonly string[];
  /**
   * Each kind's numbers, kept apart: switching kind shows that kind's own values (its
   * defaults differ: a generator wants ~15x the epochs), and switching back loses no edit.
   */
  readonly params: Readonly<Record<ModelKind, Params>>;
  readonly minQuality: number;
  /** YYYY-MM-DD or '' (no bound); both days inclusive. */
  readonly from: string;
  readonly to: string;
  readonly includeSynthetic: boolean;
  readonly includeGenerated: boolean;
}

/** The worker's defaults (TrainConfig, GeneratorConfig, Selection): an untouched form trains like the CLI. */
export const DEFAULT_TRAINING_FORM: TrainingForm = {
  kind: 'classifier',
  shapes: SHAPES.map((s) => s.name),
  params: {
    classifier: { epochs: 2, batchSize: 256, lr: 0.003, width: 16 },
    generator: { epochs: 30, batchSize: 128, lr: 0.002, hidden: 512, latentDim: 16 },
  },
  minQuality: 0.5,
  from: '',
  to: '',
  includeSynthetic: true,
  includeGenerated: false,
};

export type TrainingFormErrors = Partial<Record<'shapes' | 'minQuality' | 'from' | 'to' | ParamKey, string>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The form with one of the current kind's numbers changed. */
export function withParam(form: TrainingForm, key: ParamKey, value: number): TrainingForm {
  return { ...form, params: { ...form.params, [form.kind]: { ...form.params[form.kind], [key]: value } } };
}

function paramError(field: ParamField, value: number | undefined): string | null {
  const v = value ?? Number.NaN;
  const ok = Number.isFinite(v) && v >= field.min && v <= field.max && (!field.integer || Number.isInteger(v));
  if (ok) return null;
  return field.integer ? `A whole number from ${field.min} to ${field.max}.` : `A positive number, at most ${field.max} (e.g. 0.003).`;
}

/** Only the chosen kind's numbers are checked: the other kind's are not sent. */
export function validateTrainingForm(form: TrainingForm): TrainingFormErrors {
  const errors: TrainingFormErrors = {};
  if (form.kind === 'classifier' && form.shapes.length < 2) {
    errors.shapes = 'Choose at least two shapes: a classifier needs classes to tell apart.';
  } else if (form.shapes.length < 1) {
    errors.shapes = 'Choose at least one shape for the generator to draw.';
  }
  for (const field of PARAM_FIELDS[form.kind]) {
    const problem = paramError(field, form.params[form.kind][field.key]);
    if (problem) errors[field.key] = problem;
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
  readonly kind: ModelKind;
  /** shape_ids plus the kind's own PARAM_FIELDS, by their server names. */
  readonly config: Readonly<Record<string, number | number[]>>;
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
  const params = form.params[form.kind];
  const config: Record<string, number | number[]> = { shape_ids: ids };
  for (const field of PARAM_FIELDS[form.kind]) config[field.name] = params[field.key] ?? Number.NaN;
  return {
    kind: form.kind,
    config,
    selection: {
      min_quality: form.minQuality,
      created_from: form.from ? `${form.from}T00:00:00Z` : null,
      created_to: form.to ? `${nextDay(form.to)}T00:00:00Z` : null,
      synthetic: form.includeSynthetic,
      generated: form.includeGenerated,
    },
  };
}
