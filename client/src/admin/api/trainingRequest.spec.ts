import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_FORM, nextDay, trainingRequestBody, validateTrainingForm, withParam, type TrainingForm } from './trainingRequest';

const generator: TrainingForm = { ...DEFAULT_TRAINING_FORM, kind: 'generator' };

describe('trainingRequestBody', () => {
  it('uses the worker\u2019s field names (TrainConfig.from_dict, Selection.from_dict)', () => {
    const body = trainingRequestBody({
      ...DEFAULT_TRAINING_FORM,
      shapes: ['heart', 'line', 'circle'],
      params: { ...DEFAULT_TRAINING_FORM.params, classifier: { epochs: 5, batchSize: 128, lr: 0.001, width: 8 } },
      minQuality: 0.7,
      from: '2026-01-01',
      to: '2026-01-31',
      includeSynthetic: false,
    });
    expect(body).toEqual({
      kind: 'classifier',
      config: { shape_ids: [1, 2, 5], epochs: 5, batch_size: 128, lr: 0.001, width: 8 },
      selection: {
        min_quality: 0.7,
        created_from: '2026-01-01T00:00:00Z',
        // The form's end day is included; the selection's bound is exclusive.
        created_to: '2026-02-01T00:00:00Z',
        synthetic: false,
        generated: false,
      },
    });
  });

  it('sends a generator only GeneratorConfig\u2019s fields, with its own defaults', () => {
    const body = trainingRequestBody(generator);
    expect(body.kind).toBe('generator');
    // GeneratorConfig.from_dict refuses unknown keys: no classifier "width" may leak in.
    expect(body.config).toEqual({ shape_ids: [1, 2, 3, 4, 5], epochs: 30, batch_size: 128, lr: 0.002, hidden: 512, latent_dim: 16 });
    expect(body.selection).toEqual(trainingRequestBody(DEFAULT_TRAINING_FORM).selection);
  });

  it('sends no date bounds when none are set', () => {
    const body = trainingRequestBody(DEFAULT_TRAINING_FORM);
    expect(body.selection.created_from).toBeNull();
    expect(body.selection.created_to).toBeNull();
    expect(body.config.shape_ids).toEqual([1, 2, 3, 4, 5]);
  });

  it('rolls over months and years for the end bound', () => {
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });
});

describe('withParam', () => {
  it('changes only the chosen kind\u2019s number', () => {
    const form = withParam(generator, 'epochs', 12);
    expect(form.params.generator.epochs).toBe(12);
    expect(form.params.classifier.epochs).toBe(DEFAULT_TRAINING_FORM.params.classifier.epochs);
  });
});

describe('validateTrainingForm', () => {
  it('accepts the defaults of either kind', () => {
    expect(validateTrainingForm(DEFAULT_TRAINING_FORM)).toEqual({});
    expect(validateTrainingForm(generator)).toEqual({});
  });

  it('names every bad field', () => {
    const errors = validateTrainingForm({
      ...DEFAULT_TRAINING_FORM,
      shapes: ['line'],
      params: { ...DEFAULT_TRAINING_FORM.params, classifier: { epochs: 0, batchSize: 1.5, lr: Number.NaN, width: 300 } },
      minQuality: 2,
      from: '2026-02-01',
      to: '2026-01-01',
    });
    expect(Object.keys(errors).sort()).toEqual(['batchSize', 'epochs', 'lr', 'minQuality', 'shapes', 'to', 'width']);
  });

  it('checks only the chosen kind\u2019s numbers, and lets a generator learn one shape', () => {
    const badClassifier = { ...DEFAULT_TRAINING_FORM.params, classifier: { epochs: 0, batchSize: 1, lr: 1, width: 1 } };
    expect(validateTrainingForm({ ...generator, shapes: ['heart'], params: badClassifier })).toEqual({});
    const errors = validateTrainingForm({ ...withParam(generator, 'latentDim', 257), shapes: [] });
    expect(Object.keys(errors).sort()).toEqual(['latentDim', 'shapes']);
  });
});
