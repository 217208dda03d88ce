import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../wire';
import { decodeClassifyFrame, readModelInfo } from './classifyProtocol';

const model = {
  id: '6b1f0c1e-0000-4000-8000-000000000001',
  version: 3,
  shapes: [
    { id: 1, name: 'line' },
    { id: 2, name: 'circle' },
  ],
  accuracy: 0.991,
  activatedAt: '2026-01-01T00:00:00+00:00',
  loadedAt: '2026-01-01T00:00:01+00:00',
};

describe('decodeClassifyFrame', () => {
  it('reads ready with and without a model', () => {
    expect(decodeClassifyFrame(encode({ type: 'ready', model }))).toEqual({
      type: 'ready',
      model: { ...model, shapes: ['line', 'circle'] },
    });
    expect(decodeClassifyFrame(encode({ type: 'ready', model: null }))).toEqual({ type: 'ready', model: null });
  });

  it('reads predictions, including the empty answer to a clear', () => {
    const frame = { type: 'prediction', seq: 7, predictions: [['circle', 0.9], ['line', 0.1]], model: 3, inferenceMs: 1.5 };
    expect(decodeClassifyFrame(encode(frame))).toEqual(frame);
    expect(decodeClassifyFrame(encode({ type: 'prediction', seq: 8, predictions: [], model: null, inferenceMs: 0 }))).toEqual({
      type: 'prediction',
      seq: 8,
      predictions: [],
      model: null,
      inferenceMs: 0,
    });
  });

  it('reads errors with the update they answer', () => {
    expect(decodeClassifyFrame(encode({ type: 'error', code: 'no_model', message: 'none', seq: 2 }))).toEqual({
      type: 'error',
      code: 'no_model',
      message: 'none',
      seq: 2,
    });
  });

  it('refuses malformed frames with the field named', () => {
    expect(() => decodeClassifyFrame(encode({ type: 'prediction', seq: 1, predictions: [['circle']] }))).toThrow(
      /predictions\[0\]/,
    );
    expect(() => decodeClassifyFrame(encode({ type: 'guess' }))).toThrow(ProtocolError);
    expect(() => readModelInfo({ ...model, shapes: [{ id: 1 }] })).toThrow(/shapes\[0\]/);
  });
});
