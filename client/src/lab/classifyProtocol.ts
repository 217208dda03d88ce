/**
 * The /ws/classify wire protocol (docs/ws-protocol.md, "/ws/classify"), mirroring
 * server/ws_classify.py. The client sends /ws/play's drawing frames (encodeClientFrame in
 * ../protocol.ts); this module decodes what the server answers, and the model description
 * that both the `ready` frame and GET /api/inference/model/info carry.
 */

import { decodeMap, FieldReader, isRecord, ProtocolError } from '../wire';

export interface ModelInfo {
  readonly id: string;
  readonly version: number;
  readonly shapes: readonly string[];
  /** Holdout accuracy recorded by training, when it recorded one. */
  readonly accuracy: number | null;
  readonly activatedAt: string | null;
  readonly loadedAt: string;
}

/** [shape name, probability], best first. */
export type Ranked = readonly (readonly [string, number])[];

export interface ReadyFrame {
  readonly type: 'ready';
  readonly model: ModelInfo | null;
}

export interface PredictionFrame {
  readonly type: 'prediction';
  /** The last update (points, end, undo, clear) this prediction includes. */
  readonly seq: number;
  readonly predictions: Ranked;
  /** Model version; null for an empty drawing. */
  readonly model: number | null;
  /** Server time: waiting for a batch, rasterising, running the model. */
  readonly inferenceMs: number;
}

export interface ClassifyErrorFrame {
  readonly type: 'error';
  readonly code: string;
  readonly message: string;
  readonly seq?: number;
}

export interface PongFrame {
  readonly type: 'pong';
}

export type ClassifyServerFrame = ReadyFrame | PredictionFrame | ClassifyErrorFrame | PongFrame;

/** Reads a model description (the JSON of /api/inference/model/info, or `ready.model`). */
export function readModelInfo(value: unknown, where = 'model'): ModelInfo {
  if (!isRecord(value)) throw new ProtocolError(`${where}: expected a map`);
  const r = new FieldReader(value, where);
  const shapes = r.list('shapes').map((s, i) => {
    if (isRecord(s) && typeof s.name === 'string') return s.name;
    throw new ProtocolError(`${where}.shapes[${i}]: expected {id, name}`);
  });
  return {
    id: r.id('id'),
    version: r.int('version'),
    shapes,
    accuracy: r.optNumber('accuracy') ?? null,
    activatedAt: r.optString('activatedAt') ?? null,
    loadedAt: r.optString('loadedAt') ?? '',
  };
}

function readRanked(r: FieldReader): Ranked {
  return r.list('predictions').map((item, i) => {
    if (Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'number') {
      return [item[0], item[1]] as const;
    }
    throw new ProtocolError(`prediction.predictions[${i}]: expected [shape name, probability]`);
  });
}

export function decodeClassifyFrame(bytes: ArrayBuffer | Uint8Array): ClassifyServerFrame {
  const r = decodeMap(bytes);
  switch (r.where) {
    case 'ready':
      return { type: 'ready', model: r.has('model') ? readModelInfo(r.map.model, 'ready.model') : null };
    case 'prediction':
      return {
        type: 'prediction',
        seq: r.int('seq'),
        predictions: readRanked(r),
        model: r.has('model') ? r.int('model') : null,
        inferenceMs: r.optNumber('inferenceMs') ?? 0,
      };
    case 'error': {
      const seq = r.optNumber('seq');
      return {
        type: 'error',
        code: r.string('code'),
        message: r.optString('message') ?? '',
        ...(seq !== undefined ? { seq } : {}),
      };
    }
    case 'pong':
      return { type: 'pong' };
    default:
      throw new ProtocolError(`unknown frame type ${JSON.stringify(r.where)}`);
  }
}
