import { describe, expect, it } from 'vitest';
import { classNamesOf, listOf, toJob, toModel } from './normalize';

describe('toJob', () => {
  it('reads the store\u2019s snake_case row', () => {
    const job = toJob(
      {
        id: 'j1',
        status: 'failed',
        created_at: '2026-01-01T10:00:00Z',
        started_at: '2026-01-01T10:00:05Z',
        finished_at: '2026-01-01T10:01:05Z',
        error: 'worker w1 stopped reporting',
        progress: { phase: 'train', epoch: 1, epochs: 2, step: 10, steps: 40, loss: 0.5, accuracy: 0.8, eta_s: 12 },
        metrics: null,
        model_id: null,
      },
      0,
    );
    expect(job).toMatchObject({ id: 'j1', status: 'failed', durationS: 60, error: 'worker w1 stopped reporting', modelId: null });
    expect(job.progress).toMatchObject({ step: 10, steps: 40, etaS: 12 });
  });

  it('reads camelCase, a server duration, and the per-epoch history', () => {
    const job = toJob({
      jobId: 'j2',
      status: 'succeeded',
      durationMs: 4500,
      metrics: { accuracy: 0.9, precision: [1], recall: [1], confusion: [[3]], history: [{ epoch: 1, loss: 0.3, val_accuracy: 0.9 }] },
    });
    expect(job.id).toBe('j2');
    expect(job.durationS).toBe(4.5);
    expect(job.history).toEqual([{ epoch: 1, loss: 0.3, accuracy: 0.9 }]);
    expect(job.metrics?.accuracy).toBe(0.9);
  });

  it('reads a running job\u2019s history from its progress and its cancel request', () => {
    const job = toJob({ id: 'j3', status: 'running', cancelRequested: true, progress: { phase: 'train', step: 5, history: [{ epoch: 1, loss: 0.5, valAccuracy: 0.8 }] } });
    expect(job.history).toEqual([{ epoch: 1, loss: 0.5, accuracy: 0.8 }]);
    expect(job.cancelRequested).toBe(true);
  });

  it('reads the kind (a job from before kinds existed trained a classifier) and a generator\u2019s history', () => {
    const generator = toJob({ id: 'g', kind: 'generator', status: 'succeeded', metrics: { history: [{ epoch: 1, loss: -2, stroke_accuracy: 0.9 }] } });
    expect(generator.kind).toBe('generator');
    expect(generator.history).toEqual([{ epoch: 1, loss: -2, accuracy: 0.9 }]);
    expect(toJob({ id: 'c', status: 'queued' }).kind).toBe('classifier');
  });

  it('measures a running job up to now', () => {
    expect(toJob({ id: 'j', status: 'running', startedAt: '1970-01-01T00:00:00Z' }, 30_000).durationS).toBe(30);
  });
});

describe('toModel and classNamesOf', () => {
  it('reads per-class metrics keyed by class name, as training records them', () => {
    const m = toModel({
      id: 'm1',
      version: 1,
      metrics: { accuracy: 0.9, classes: ['line', 'circle'], precision: { circle: 0.8, line: 0.95 }, recall: { line: 0.9, circle: 0.85 }, confusion: [[9, 1], [2, 8]] },
    });
    expect(m.metrics.precision).toEqual([0.95, 0.8]);
    expect(m.metrics.recall).toEqual([0.9, 0.85]);
    expect(classNamesOf(m)).toEqual(['line', 'circle']);
  });

  it('takes the class order from a comparison side\u2019s `shapes` when metrics lack it', () => {
    const m = toModel({ id: 'm', version: 2, shapes: ['heart', 'line'], sampleAccuracy: 0.75, metrics: { precision: { line: 1, heart: 0.5 } } });
    expect(m.metrics.classes).toEqual(['heart', 'line']);
    expect(m.metrics.precision).toEqual([0.5, 1]);
    expect(m.sampleAccuracy).toBe(0.75);
  });

  it('reads either spelling of the active flag', () => {
    expect(toModel({ id: 'm', version: 3, is_active: true }).isActive).toBe(true);
    expect(toModel({ id: 'm', version: 3, isActive: false }).isActive).toBe(false);
  });

  it('names classes from the metrics, the snapshot\u2019s shape ids, or the catalogue', () => {
    expect(classNamesOf(toModel({ metrics: { classes: ['a', 'b'] } }))).toEqual(['a', 'b']);
    expect(classNamesOf(toModel({ dataset: { shape_ids: [5, 2] } }))).toEqual(['heart', 'circle']);
    expect(classNamesOf(toModel({ dataset: { selection: { shape_ids: [1] } } }))).toEqual(['line']);
    expect(classNamesOf(toModel({ metrics: { precision: [1, 1, 1, 1, 1] } }))).toEqual(['line', 'circle', 'square', 'triangle', 'heart']);
  });

  it('finds a list bare or wrapped', () => {
    expect(listOf([1])).toEqual([1]);
    expect(listOf({ jobs: [2] }, 'jobs')).toEqual([2]);
    expect(listOf({ items: [3] }, 'models')).toEqual([3]);
    expect(listOf(null)).toEqual([]);
  });
});
