import { describe, expect, it } from 'vitest';
import type { MonitorFrame, TrainingFrame } from './adminProtocol';
import { applyFrame, INITIAL_FEED, MAX_ERRORS, RATE_SAMPLES, recordJob } from './feedState';

const monitor = (rate: number): MonitorFrame => ({
  type: 'monitor',
  at: null,
  drawingsPerSecond: rate,
  perShape: [],
  connectedPlayers: 3,
  ingest: { backlog: 0, lagMs: 10 },
  workers: [],
});

const training = (step: number, extra: Partial<TrainingFrame> = {}): TrainingFrame => ({
  type: 'training',
  jobId: 'j1',
  status: 'running',
  hasProgress: true,
  phase: 'train',
  epoch: 1,
  epochs: 2,
  step,
  steps: 100,
  loss: 1 / step,
  accuracy: 0.5,
  etaS: 10,
  error: null,
  ...extra,
});

describe('feed state', () => {
  it('keeps the latest monitor numbers and a bounded history of drawings/s', () => {
    let s = INITIAL_FEED;
    for (let i = 0; i < RATE_SAMPLES + 5; i++) s = applyFrame(s, monitor(i), i * 1000);
    expect(s.monitor?.drawingsPerSecond).toBe(RATE_SAMPLES + 4);
    expect(s.monitorAt).toBe((RATE_SAMPLES + 4) * 1000);
    expect(s.rate).toHaveLength(RATE_SAMPLES);
    expect(s.rate[0]!.value).toBe(5);
  });

  it('collects errors newest first, bounded', () => {
    let s = INITIAL_FEED;
    for (let i = 0; i < MAX_ERRORS + 3; i++) s = applyFrame(s, { type: 'error', code: `e${i}`, message: 'm' }, i);
    expect(s.errors).toHaveLength(MAX_ERRORS);
    expect(s.errors[0]!.code).toBe(`e${MAX_ERRORS + 2}`);
  });

  it('counts model events and lists a failed load as an error', () => {
    const s = applyFrame(INITIAL_FEED, { type: 'model', event: 'error', modelId: 'm', version: 3, server: 'h:1', error: 'bad' }, 5);
    expect(s.modelSeq).toBe(1);
    expect(s.models[0]).toMatchObject({ event: 'error', at: 5 });
    expect(s.errors[0]).toMatchObject({ code: 'model_error', message: 'Model v3 failed to load on h:1: bad' });
  });

  it('builds a job\u2019s curve from its progress events', () => {
    let s = applyFrame(INITIAL_FEED, training(10), 1);
    s = applyFrame(s, training(20), 2);
    s = applyFrame(s, training(20, { phase: 'eval', accuracy: 0.9 }), 3);
    const job = s.jobs.j1!;
    expect(job.points.map((p) => p.step)).toEqual([10, 20]);
    expect(job.points[1]).toMatchObject({ accuracy: 0.5, valAccuracy: 0.9 });
    expect(job.liveAt).toBe(3);
  });

  it('keeps the last progress when a status-only event arrives, and plots no empty point', () => {
    let s = applyFrame(INITIAL_FEED, training(10), 1);
    s = applyFrame(s, { ...training(0, { phase: 'loading', loss: null, accuracy: null }) }, 2);
    s = applyFrame(s, { ...training(0), hasProgress: false, status: 'succeeded' }, 3);
    expect(s.jobs.j1!.points.map((p) => p.step)).toEqual([10]);
    expect(s.jobs.j1!.status).toBe('succeeded');
    expect(s.jobs.j1!.progress?.phase).toBe('loading');
  });

  it('folds polls in without claiming they were live, and reports failures', () => {
    let s = recordJob(INITIAL_FEED, 'j2', { status: 'running', progress: { phase: 'train', epoch: 1, epochs: 1, step: 5, steps: 10, loss: 0.3, accuracy: 0.8, etaS: 1 } }, null);
    expect(s.jobs.j2).toMatchObject({ liveAt: null, status: 'running' });
    s = applyFrame(s, training(6, { jobId: 'j2', status: 'failed', error: 'out of memory' }), 9);
    expect(s.jobs.j2).toMatchObject({ status: 'failed', error: 'out of memory', liveAt: 9 });
    expect(s.jobs.j2!.points.map((p) => p.step)).toEqual([5, 6]);
    expect(s.errors[0]!.message).toContain('out of memory');
  });
});
