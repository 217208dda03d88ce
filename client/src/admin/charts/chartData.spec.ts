import { describe, expect, it } from 'vitest';
import { dailySeries, qualitySeries, rankedSeries, recentSeries, shapeSeries, trainingCurves } from './chartData';

describe('chart data shaping', () => {
  it('lists every catalogue shape in order, zeros included, unknown shapes after', () => {
    expect(shapeSeries([{ shape: 'heart', count: 3 }, { shape: 'star', count: 1 }, { shape: 'line', count: 7 }])).toEqual({
      labels: ['line', 'circle', 'square', 'triangle', 'heart', 'star'],
      values: [7, 0, 0, 0, 3, 1],
    });
  });

  it('ranks devices largest first', () => {
    expect(
      rankedSeries(
        [
          { device: 'mouse', count: 2 },
          { device: 'pen', count: 5 },
          { device: 'touch', count: 2 },
        ],
        'device',
      ),
    ).toEqual({ labels: ['pen', 'mouse', 'touch'], values: [5, 2, 2] });
  });

  it('gives one point per day for the whole window, zero where nothing was drawn', () => {
    const s = dailySeries(
      [
        { day: '2026-03-01', count: 4 },
        { day: '2026-02-27T00:00:00Z', count: 2 },
        { day: '2025-12-01', count: 99 },
      ],
      '2026-03-01',
      4,
    );
    expect(s).toEqual({ labels: ['2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01'], values: [0, 2, 0, 4] });
  });

  it('orders quality buckets and labels their ranges', () => {
    expect(
      qualitySeries([
        { from: 0.5, to: 0.75, count: 2 },
        { from: 0, to: 0.1, count: 1 },
      ]),
    ).toEqual({ labels: ['0.0–0.1', '0.5–0.75'], values: [1, 2] });
  });

  it('keeps the last minute of live samples, labelled in seconds ago', () => {
    const samples = [
      { at: 0, value: 9 },
      { at: 50_000, value: 1 },
      { at: 59_000, value: 2 },
      { at: 61_000, value: 3 },
    ];
    expect(recentSeries(samples, 61_000, 60)).toEqual({ labels: ['-11 s', '-2 s', '0 s'], values: [1, 2, 3] });
  });

  it('plots loss and accuracy in percent against step, with gaps kept', () => {
    expect(
      trainingCurves([
        { step: 10, loss: 1.2, accuracy: 0.5, valAccuracy: null },
        { step: 20, loss: 0.8, accuracy: 0.7512, valAccuracy: 0.8 },
      ]),
    ).toEqual({ labels: ['10', '20'], loss: [1.2, 0.8], accuracy: [50, 75.12], valAccuracy: [null, 80] });
  });
});
