/**
 * The `/ws/admin` frames (docs/ws-protocol.md, "/ws/admin"): binary msgpack maps with a
 * `type`. The socket relays whatever is published on the admin channel, so decoding is strict
 * about the fields a view needs and tolerant of everything else: an event type this client
 * does not know is kept as `other`, never an error.
 */

import { decodeMap, encodeMap, isRecord, type FieldReader } from '../../wire';

export interface WorkerBeat {
  readonly name: string;
  /** As sent: ms since the worker's last heartbeat, or its epoch-ms time (see heartbeatAgeMs). */
  readonly lastHeartbeatMs: number;
}

export interface MonitorFrame {
  readonly type: 'monitor';
  /** The server's clock (epoch ms) when it built the frame; worker heartbeats are on it. */
  readonly at: number | null;
  readonly drawingsPerSecond: number;
  readonly perShape: readonly { readonly shape: string; readonly count: number }[];
  readonly connectedPlayers: number;
  readonly ingest: { readonly backlog: number; readonly lagMs: number };
  readonly workers: readonly WorkerBeat[];
}

export interface TrainingFrame {
  readonly type: 'training';
  readonly jobId: string;
  readonly status: string;
  /** False for status-only events (queued, started, finished): no progress numbers in them. */
  readonly hasProgress: boolean;
  readonly phase: string | null;
  readonly epoch: number;
  readonly epochs: number | null;
  readonly step: number;
  readonly steps: number | null;
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly etaS: number | null;
  readonly error: string | null;
}

/** Model activations and each server's report of loading (or failing to load) one. */
export interface ModelFrame {
  readonly type: 'model';
  /** 'activated', 'loaded', 'error' ... (the published `type` without its `model_` prefix). */
  readonly event: string;
  readonly modelId: string | null;
  readonly version: number | null;
  readonly server: string | null;
  readonly error: string | null;
}

export type AdminFrame =
  | { readonly type: 'hello'; readonly email: string }
  | MonitorFrame
  | TrainingFrame
  | ModelFrame
  | { readonly type: 'error'; readonly code: string; readonly message: string }
  | { readonly type: 'pong' }
  | { readonly type: 'other'; readonly name: string };

export const PING = encodeMap({ type: 'ping' });

function optNum(r: FieldReader, ...keys: string[]): number | null {
  for (const k of keys) if (r.has(k)) return r.number(k);
  return null;
}

function optStr(r: FieldReader, ...keys: string[]): string | null {
  for (const k of keys) if (r.has(k)) return r.id(k);
  return null;
}

function perShape(value: unknown): { shape: string; count: number }[] {
  // Either [{shape, count}] or {shape: count}.
  if (Array.isArray(value)) {
    return value
      .filter(isRecord)
      .filter((e) => typeof e.shape === 'string' && typeof e.count === 'number')
      .map((e) => ({ shape: e.shape as string, count: e.count as number }));
  }
  if (isRecord(value)) {
    return Object.entries(value)
      .filter((e): e is [string, number] => typeof e[1] === 'number')
      .map(([shape, count]) => ({ shape, count }));
  }
  return [];
}

function monitor(r: FieldReader): MonitorFrame {
  const ingest = r.has('ingest') ? r.child('ingest') : null;
  const workers = (r.optList('workers') ?? []).filter(isRecord).map((w) => ({
    name: String(w.name ?? 'worker'),
    lastHeartbeatMs: typeof w.lastHeartbeatMs === 'number' ? w.lastHeartbeatMs : Number.NaN,
  }));
  return {
    type: 'monitor',
    at: optNum(r, 'at'),
    drawingsPerSecond: r.number('drawingsPerSecond'),
    perShape: perShape(r.map.perShape),
    connectedPlayers: optNum(r, 'connectedPlayers') ?? 0,
    ingest: {
      backlog: ingest ? (optNum(ingest, 'backlog') ?? 0) : 0,
      lagMs: ingest ? (optNum(ingest, 'lagMs') ?? 0) : 0,
    },
    workers,
  };
}

function training(r: FieldReader): TrainingFrame {
  return {
    type: 'training',
    jobId: r.id(r.has('jobId') ? 'jobId' : 'id'),
    status: optStr(r, 'status') ?? 'running',
    hasProgress: r.has('phase') || r.has('step') || r.has('epoch'),
    phase: optStr(r, 'phase'),
    epoch: optNum(r, 'epoch') ?? 0,
    epochs: optNum(r, 'epochs'),
    step: optNum(r, 'step') ?? 0,
    steps: optNum(r, 'steps'),
    loss: optNum(r, 'loss'),
    accuracy: optNum(r, 'accuracy'),
    etaS: optNum(r, 'etaS', 'eta_s'),
    error: optStr(r, 'error'),
  };
}

function model(r: FieldReader, event: string): ModelFrame {
  return {
    type: 'model',
    event,
    modelId: optStr(r, 'modelId', 'id'),
    version: optNum(r, 'version'),
    server: optStr(r, 'server'),
    error: optStr(r, 'error'),
  };
}

/** Decodes one binary message; throws ProtocolError when a known frame lacks what it needs. */
export function decodeAdminFrame(bytes: Uint8Array): AdminFrame {
  const r = decodeMap(bytes);
  const type = r.string('type');
  switch (type) {
    case 'hello':
      return { type, email: optStr(r, 'email') ?? '' };
    case 'monitor':
      return monitor(r);
    case 'training':
      return training(r);
    case 'model':
      return model(r, optStr(r, 'event', 'status') ?? 'activated');
    case 'activated':
    case 'model_activated':
      return model(r, 'activated');
    case 'model_loaded':
      return model(r, 'loaded');
    case 'model_error':
      return model(r, 'error');
    case 'error':
      // The socket's own errors carry `code`; relayed background-job errors carry `source`.
      return { type, code: optStr(r, 'code', 'source') ?? 'error', message: optStr(r, 'message') ?? '' };
    case 'pong':
      return { type };
    default:
      return { type: 'other', name: type };
  }
}

/**
 * How long ago a worker last beat. The contract's `lastHeartbeatMs` reads either as an age or
 * as an epoch time; values past 2001-09-09 (1e12 ms) can only be the latter.
 */
export function heartbeatAgeMs(lastHeartbeatMs: number, now: number): number | null {
  if (!Number.isFinite(lastHeartbeatMs) || lastHeartbeatMs < 0) return null;
  return lastHeartbeatMs > 1e12 ? Math.max(0, now - lastHeartbeatMs) : lastHeartbeatMs;
}
