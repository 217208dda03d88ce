import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../wire';
import { decodeAdminFrame, heartbeatAgeMs } from './adminProtocol';

const frame = (f: Record<string, unknown>) => decodeAdminFrame(encode(f));

describe('decodeAdminFrame', () => {
  it('reads hello and the monitor frame', () => {
    expect(frame({ type: 'hello', email: 'a@b.c' })).toEqual({ type: 'hello', email: 'a@b.c' });
    expect(
      frame({
        type: 'monitor',
        at: 1_700_000_000_000,
        drawingsPerSecond: 2.5,
        perShape: { circle: 3, line: 1 },
        connectedPlayers: 12,
        ingest: { backlog: 4, lagMs: 120 },
        workers: [{ name: 'w1', lastHeartbeatMs: 800 }],
      }),
    ).toEqual({
      type: 'monitor',
      at: 1_700_000_000_000,
      drawingsPerSecond: 2.5,
      perShape: [
        { shape: 'circle', count: 3 },
        { shape: 'line', count: 1 },
      ],
      connectedPlayers: 12,
      ingest: { backlog: 4, lagMs: 120 },
      workers: [{ name: 'w1', lastHeartbeatMs: 800 }],
    });
  });

  it('accepts per-shape counts as a list too, and fills missing parts', () => {
    const m = frame({ type: 'monitor', drawingsPerSecond: 0, perShape: [{ shape: 'heart', count: 2 }] });
    expect(m).toMatchObject({ perShape: [{ shape: 'heart', count: 2 }], connectedPlayers: 0, ingest: { backlog: 0, lagMs: 0 }, workers: [] });
  });

  it('reads training progress, with eta_s as a fallback spelling', () => {
    expect(frame({ type: 'training', jobId: 'j1', status: 'running', phase: 'train', epoch: 1, epochs: 2, step: 40, steps: 400, loss: 0.9, accuracy: 0.6, eta_s: 33 })).toEqual({
      type: 'training',
      jobId: 'j1',
      status: 'running',
      hasProgress: true,
      phase: 'train',
      epoch: 1,
      epochs: 2,
      step: 40,
      steps: 400,
      loss: 0.9,
      accuracy: 0.6,
      etaS: 33,
      error: null,
    });
  });

  it('maps every model event to one frame type', () => {
    expect(frame({ type: 'model_loaded', kind: 'classifier', modelId: 'm2', version: 2, loadMs: 40, server: 'h:1' })).toMatchObject({ type: 'model', event: 'loaded', modelId: 'm2', version: 2, server: 'h:1' });
    expect(frame({ type: 'model_error', modelId: 'm3', version: 3, error: 'bad onnx', servingVersion: 2, server: 'h:1' })).toMatchObject({ type: 'model', event: 'error', error: 'bad onnx' });
    expect(frame({ type: 'activated', kind: 'classifier', id: 'm4', version: 4 })).toMatchObject({ type: 'model', event: 'activated', modelId: 'm4' });
    expect(frame({ type: 'model_activated', kind: 'classifier', modelId: 'm6', version: 6, by: 'a@b.c' })).toMatchObject({ type: 'model', event: 'activated', modelId: 'm6' });
    expect(frame({ type: 'model', event: 'activated', modelId: 'm5', version: 5 })).toMatchObject({ event: 'activated', version: 5 });
  });

  it('reads errors from the socket and relayed ones from background jobs', () => {
    expect(frame({ type: 'error', code: 'bad_frame', message: 'only ping' })).toEqual({ type: 'error', code: 'bad_frame', message: 'only ping' });
    expect(frame({ type: 'error', source: 'retention', message: 'db down' })).toEqual({ type: 'error', code: 'retention', message: 'db down' });
  });

  it('tells status-only training events from progress reports', () => {
    expect(frame({ type: 'training', jobId: 'j', status: 'succeeded', modelId: 'm', version: 3, accuracy: 0.99 })).toMatchObject({ hasProgress: false, status: 'succeeded' });
  });

  it('keeps unknown events as "other" and refuses a known frame missing its data', () => {
    expect(frame({ type: 'something_new', x: 1 })).toEqual({ type: 'other', name: 'something_new' });
    expect(() => frame({ type: 'monitor' })).toThrow(ProtocolError);
    expect(() => decodeAdminFrame(new Uint8Array([0xc1]))).toThrow(ProtocolError);
  });
});

describe('heartbeatAgeMs', () => {
  it('reads small values as ages and epoch times as moments', () => {
    expect(heartbeatAgeMs(1500, 1_700_000_000_000)).toBe(1500);
    expect(heartbeatAgeMs(1_700_000_000_000, 1_700_000_004_000)).toBe(4000);
    expect(heartbeatAgeMs(Number.NaN, 0)).toBeNull();
  });
});
