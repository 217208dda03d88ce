import { describe, expect, it } from 'vitest';
import { toModel } from '../api/normalize';
import { activationVerb, compareOrder, datasetLines, datasetSize, headlineText, toggleCompare } from './modelFacts';

const m = (id: string, version: number, isActive = false) => toModel({ id, version, isActive });

describe('model facts', () => {
  it('heads a classifier with its accuracy and a generator with its point error', () => {
    expect(headlineText('classifier', toModel({ metrics: { accuracy: 0.973 } }).metrics)).toBe('97.3% accuracy');
    // A generator's metrics have no accuracy (workers/training/generator/metadata.py).
    const generator = toModel({ kind: 'generator', metrics: { loss: -2.5, point_rmse: 0.038, stroke_accuracy: 0.97 } });
    expect(headlineText('generator', generator.metrics)).toBe('3.8% point error');
    expect(headlineText('classifier', generator.metrics)).toBe('– accuracy');
  });

  it('reads a dataset size from a total or from per-class counts', () => {
    expect(datasetSize({ total: 1200 })).toBe(1200);
    expect(datasetSize({ train_counts: [10, 20], val_counts: [1, 2] })).toBe(33);
    expect(datasetSize({})).toBeNull();
  });

  it('writes a snapshot as readable lines, one level deep', () => {
    expect(
      datasetLines({ total: 1500, selection: { min_quality: 0.5, synthetic: true }, shape_ids: [1, 2], counts: { line: 1000, circle: 500 } }),
    ).toEqual([
      { key: 'total', value: '1,500' },
      { key: 'selection.min_quality', value: '0.5' },
      { key: 'selection.synthetic', value: 'true' },
      { key: 'shape_ids', value: '1, 2' },
      { key: 'counts', value: 'line 1,000 · circle 500' },
    ]);
  });

  it('compares the older version against the newer', () => {
    const models = [m('a', 5), m('b', 2), m('c', 9)];
    expect(compareOrder(models, ['a', 'b'])!.map((x) => x.version)).toEqual([2, 5]);
    expect(compareOrder(models, ['a'])).toBeNull();
  });

  it('calls going to an older version a roll back', () => {
    const active = m('x', 4, true);
    expect(activationVerb(m('y', 3), active)).toBe('Roll back');
    expect(activationVerb(m('z', 5), active)).toBe('Activate');
    expect(activationVerb(m('z', 1), null)).toBe('Activate');
  });

  it('keeps at most two versions chosen for comparison', () => {
    expect(toggleCompare(['a', 'b'], 'c', true)).toEqual(['b', 'c']);
    expect(toggleCompare(['a', 'b'], 'a', false)).toEqual(['b']);
    expect(toggleCompare(['a'], 'a', true)).toEqual(['a']);
  });
});
