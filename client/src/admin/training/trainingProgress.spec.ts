import { describe, expect, it } from 'vitest';
import { addPoint, completion, pointOf, pointsFromHistory, type ProgressPoint } from './trainingProgress';

const p = (step: number, loss: number | null = 1, extra: Partial<ProgressPoint> = {}): ProgressPoint => ({
  step,
  epoch: 1,
  loss,
  accuracy: 0.5,
  valAccuracy: null,
  ...extra,
});

describe('addPoint', () => {
  it('keeps points in step order whatever order they arrive in', () => {
    let pts: ProgressPoint[] = [];
    for (const step of [10, 30, 20]) pts = addPoint(pts, p(step));
    expect(pts.map((x) => x.step)).toEqual([10, 20, 30]);
  });

  it('counts a step seen twice (socket and poll) once, merging what each knew', () => {
    let pts = addPoint([], p(10, 0.9));
    pts = addPoint(pts, pointOf({ step: 10, epoch: 1, loss: null, accuracy: 0.88, phase: 'eval' }));
    expect(pts).toEqual([{ step: 10, epoch: 1, loss: 0.9, accuracy: 0.5, valAccuracy: 0.88 }]);
  });

  it('drops the oldest past the limit', () => {
    let pts: ProgressPoint[] = [];
    for (let i = 1; i <= 5; i++) pts = addPoint(pts, p(i), 3);
    expect(pts.map((x) => x.step)).toEqual([3, 4, 5]);
  });
});

describe('pointOf', () => {
  it('files training accuracy and validation accuracy apart', () => {
    expect(pointOf({ step: 5, epoch: 1, loss: 0.4, accuracy: 0.7, phase: 'train' })).toMatchObject({ accuracy: 0.7, valAccuracy: null });
    expect(pointOf({ step: 5, epoch: 1, loss: 0.4, accuracy: 0.9, phase: 'eval' })).toMatchObject({ accuracy: null, valAccuracy: 0.9 });
  });
});

describe('pointsFromHistory', () => {
  it('places each epoch at the step it ended when the step count is known', () => {
    const job = {
      history: [
        { epoch: 1, loss: 0.8, accuracy: 0.9 },
        { epoch: 2, loss: 0.4, accuracy: 0.95 },
      ],
      progress: { phase: null, epoch: 2, epochs: 2, step: 400, steps: 400, loss: 0.4, accuracy: 0.95, etaS: 0 },
    };
    expect(pointsFromHistory(job).map((x) => [x.step, x.valAccuracy])).toEqual([
      [200, 0.9],
      [400, 0.95],
    ]);
    expect(pointsFromHistory({ ...job, progress: null }).map((x) => x.step)).toEqual([1, 2]);
  });
});

describe('completion', () => {
  const prog = { phase: 'train', epoch: 2, epochs: 4, step: 50, steps: 200, loss: 1, accuracy: 0.5, etaS: 1 };
  it('is steps done over steps, else finished epochs over epochs', () => {
    expect(completion(prog, 'running')).toBe(0.25);
    expect(completion({ ...prog, steps: null }, 'running')).toBe(0.25);
    expect(completion(null, 'succeeded')).toBe(1);
    expect(completion(null, 'pending')).toBeNull();
  });
});
