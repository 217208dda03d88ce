import { describe, expect, it } from 'vitest';
import type { ModelInfo } from './classifyProtocol';
import { barsOf, initialLabState, labReducer, MAX_TRIES, median, type LabState } from './labState';

const model: ModelInfo = {
  id: 'm',
  version: 2,
  shapes: ['line', 'circle', 'square'],
  accuracy: 0.99,
  activatedAt: null,
  loadedAt: '',
};

function predict(state: LabState, seq: number, top: string, latencyMs: number | null = 5): LabState {
  return labReducer(state, {
    type: 'frame',
    frame: { type: 'prediction', seq, predictions: [[top, 0.8], ['line', 0.2]], model: 2, inferenceMs: 1.2 },
    latencyMs,
  });
}

describe('labReducer', () => {
  it('shows the latest prediction with its latency and keeps recent latencies bounded', () => {
    let s = labReducer(initialLabState, { type: 'frame', frame: { type: 'ready', model }, latencyMs: null });
    expect(s.model?.version).toBe(2);
    for (let i = 1; i <= 60; i++) s = predict(s, i, 'circle', i);
    expect(s.predictions[0]).toEqual(['circle', 0.8]);
    expect(s.latencyMs).toBe(60);
    expect(s.serverMs).toBe(1.2);
    expect(s.recentMs).toHaveLength(50);
    expect(s.predictionModel).toBe(2);
  });

  it('says when there is no model and recovers when predictions come', () => {
    let s = labReducer(initialLabState, { type: 'frame', frame: { type: 'ready', model: null }, latencyMs: null });
    expect(s.noModel).toBe(true);
    s = labReducer(s, { type: 'frame', frame: { type: 'error', code: 'no_model', message: 'none' }, latencyMs: null });
    expect(s.noModel).toBe(true);
    s = predict(s, 3, 'square');
    expect(s.noModel).toBe(false);
  });

  it('archives a try with its final answer, newest first, at most MAX_TRIES', () => {
    let s = predict(initialLabState, 1, 'circle', 7);
    s = labReducer(s, { type: 'archive', strokes: [{ x: [0, 1], y: [0, 1] }] });
    expect(s.tries[0]).toMatchObject({ id: 1, shape: 'circle', confidence: 0.8, latencyMs: 7, model: 2 });
    expect(s.predictions).toEqual([]);
    expect(labReducer(s, { type: 'archive', strokes: [] })).toBe(s);
    for (let i = 0; i < 20; i++) s = labReducer(predict(s, i, 'line'), { type: 'archive', strokes: [{ x: [0], y: [0] }] });
    expect(s.tries).toHaveLength(MAX_TRIES);
    expect(s.tries[0]!.id).toBe(21);
  });
});

describe('barsOf', () => {
  it('keeps the model class order whatever the ranking', () => {
    expect(barsOf(model, [['square', 0.7], ['line', 0.3]])).toEqual([
      { shape: 'line', p: 0.3 },
      { shape: 'circle', p: 0 },
      { shape: 'square', p: 0.7 },
    ]);
    expect(barsOf(null, [['square', 0.7]])).toEqual([{ shape: 'square', p: 0.7 }]);
  });
});

describe('median', () => {
  it('is the middle value', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
