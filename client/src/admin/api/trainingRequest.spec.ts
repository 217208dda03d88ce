import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_FORM, nextDay, trainingRequestBody, validateTrainingForm } from './trainingRequest';

describe('trainingRequestBody', () => {
  it('uses the worker\u2019s field names (TrainConfig.from_dict, Selection.from_dict)', () => {
    const body = trainingRequestBody({
      ...DEFAULT_TRAINING_FORM,
      shapes: ['heart', 'line', 'circle'],
      epochs: 5,
      batchSize: 128,
      lr: 0.001,
      minQuality: 0.7,
      from: '2026-01-01',
      to: '2026-01-31',
      includeSynthetic: false,
    });
    expect(body).toEqual({
      config: { shape_ids: [1, 2, 5], epochs: 5, batch_size: 128, lr: 0.001 },
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

describe('validateTrainingForm', () => {
  it('accepts the defaults', () => {
    expect(validateTrainingForm(DEFAULT_TRAINING_FORM)).toEqual({});
  });

  it('names every bad field', () => {
    const errors = validateTrainingForm({
      ...DEFAULT_TRAINING_FORM,
      shapes: ['line'],
      epochs: 0,
      batchSize: 1.5,
      lr: Number.NaN,
      minQuality: 2,
      from: '2026-02-01',
      to: '2026-01-01',
    });
    expect(Object.keys(errors).sort()).toEqual(['batchSize', 'epochs', 'lr', 'minQuality', 'shapes', 'to']);
  });
});
