/**
 * The /ws/play wire protocol (docs/ws-protocol.md), mirroring server/protocol.py: every frame
 * is one binary message holding one msgpack map with a `type`; point arrays travel as `bin`
 * values of packed little-endian float32 / uint32.
 */

import {
  decodeMap,
  encodeMap,
  FieldReader,
  isRecord,
  packPoints,
  ProtocolError,
  type PointArrays,
} from './wire';

export { ProtocolError, type PointArrays } from './wire';

export type Device = 'mouse' | 'touch' | 'pen';

/** A stroke as sent in `submit.strokes` (and kept in the outbox). */
export interface WireStroke extends PointArrays {
  readonly color?: string;
  readonly width?: number;
}

// ---- client → server -------------------------------------------------------------------------

export interface HelloFrame {
  readonly type: 'hello';
  readonly session?: string;
  readonly user?: string;
  readonly device: Device;
}

export interface PointsFrame extends PointArrays {
  readonly type: 'points';
  readonly stroke: number;
  readonly color?: string;
  readonly width?: number;
}

export interface EndFrame {
  readonly type: 'end';
  readonly stroke: number;
}

export interface UndoFrame {
  readonly type: 'undo';
}

export interface ClearFrame {
  readonly type: 'clear';
}

export interface SubmitFrame {
  readonly type: 'submit';
  readonly key: string;
  readonly shape: number;
  readonly canvas: readonly [number, number];
  readonly duration_ms: number;
  readonly started_at?: number;
  /** The pointer type this drawing was made with; without it the server uses the session's. */
  readonly device?: Device;
  readonly strokes?: readonly WireStroke[];
}

export interface PingFrame {
  readonly type: 'ping';
}

export type ClientFrame =
  | HelloFrame
  | PointsFrame
  | EndFrame
  | UndoFrame
  | ClearFrame
  | SubmitFrame
  | PingFrame;

// ---- server → client -------------------------------------------------------------------------

export interface Prompt {
  readonly id: number;
  readonly name: string;
  readonly description: string;
}

export interface Streak {
  readonly current: number;
  readonly best: number;
  readonly days: number;
}

export interface Stats {
  readonly total: number;
  readonly session: number;
  readonly today: number;
}

export interface WelcomeFrame {
  readonly type: 'welcome';
  readonly session: string;
  readonly user: string;
  readonly nickname: string;
  readonly prompt: Prompt;
  readonly stats: Stats;
  readonly streak: Streak;
}

export interface AckFrame {
  readonly type: 'ack';
  readonly key: string;
  readonly id: string;
  readonly shape: string;
  readonly quality: number;
  readonly next: Prompt;
  readonly streak: Streak;
  readonly stats: Stats;
}

export interface GuessFrame {
  readonly type: 'guess';
  /** [shape name, probability], best first. */
  readonly predictions: readonly (readonly [string, number])[];
  readonly model: string;
}

export type ErrorCode =
  | 'text_frame'
  | 'bad_frame'
  | 'no_session'
  | 'invalid_drawing'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface ErrorFrame {
  readonly type: 'error';
  /** One of ErrorCode; kept as a string so a code added on the server is still shown. */
  readonly code: ErrorCode | (string & {});
  readonly message: string;
  readonly details?: readonly FieldProblem[];
  readonly key?: string;
  readonly fatal: boolean;
}

export interface PongFrame {
  readonly type: 'pong';
}

export type ServerFrame = WelcomeFrame | AckFrame | GuessFrame | ErrorFrame | PongFrame;

// ---- encoding --------------------------------------------------------------------------------

function strokeMap(s: WireStroke): Record<string, unknown> {
  const m: Record<string, unknown> = packPoints(s);
  if (s.color !== undefined) m.color = s.color;
  if (s.width !== undefined) m.width = s.width;
  return m;
}

/** Drops keys whose value is undefined: msgpack would otherwise send them as nil. */
function defined(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (v !== undefined) out[k] = v;
  return out;
}

export function encodeClientFrame(frame: ClientFrame): Uint8Array {
  switch (frame.type) {
    case 'hello':
      return encodeMap(
        defined({ type: 'hello', session: frame.session, user: frame.user, device: frame.device }),
      );
    case 'points':
      return encodeMap({ type: 'points', stroke: frame.stroke, ...strokeMap(frame) });
    case 'end':
      return encodeMap({ type: 'end', stroke: frame.stroke });
    case 'undo':
    case 'clear':
    case 'ping':
      return encodeMap({ type: frame.type });
    case 'submit':
      return encodeMap(
        defined({
          type: 'submit',
          key: frame.key,
          shape: frame.shape,
          canvas: [frame.canvas[0], frame.canvas[1]],
          duration_ms: frame.duration_ms,
          started_at: frame.started_at,
          device: frame.device,
          strokes: frame.strokes?.map(strokeMap),
        }),
      );
  }
}

// ---- decoding --------------------------------------------------------------------------------

function readPrompt(r: FieldReader): Prompt {
  return { id: r.int('id'), name: r.string('name'), description: r.optString('description') ?? '' };
}

/** Counters are read leniently (missing = 0) so a server that adds or omits one still works. */
function count(r: FieldReader, key: string): number {
  return r.optNumber(key) ?? 0;
}

function readStreak(r: FieldReader): Streak {
  return { current: count(r, 'current'), best: count(r, 'best'), days: count(r, 'days') };
}

function readStats(r: FieldReader): Stats {
  return { total: count(r, 'total'), session: count(r, 'session'), today: count(r, 'today') };
}

function optChild<T>(r: FieldReader, key: string, read: (c: FieldReader) => T, empty: T): T {
  return r.has(key) ? read(r.child(key)) : empty;
}

const NO_STATS: Stats = { total: 0, session: 0, today: 0 };
const NO_STREAK: Streak = { current: 0, best: 0, days: 0 };

function readPredictions(r: FieldReader): [string, number][] {
  return r.list('predictions').map((item, i) => {
    if (
      !Array.isArray(item) ||
      item.length < 2 ||
      typeof item[0] !== 'string' ||
      typeof item[1] !== 'number'
    ) {
      throw new ProtocolError(`guess.predictions[${i}]: expected [shape name, probability]`);
    }
    return [item[0], item[1]];
  });
}

function readDetails(r: FieldReader): FieldProblem[] | undefined {
  return r.optList('details')?.map((d, i) => {
    if (!isRecord(d)) throw new ProtocolError(`error.details[${i}]: expected a map`);
    const dr = new FieldReader(d, `error.details[${i}]`);
    return { field: dr.optString('field') ?? '', message: dr.string('message') };
  });
}

/** Decodes one server frame; throws ProtocolError for anything the protocol does not define. */
export function decodeServerFrame(bytes: ArrayBuffer | Uint8Array): ServerFrame {
  const r = decodeMap(bytes);
  switch (r.where) {
    case 'welcome':
      return {
        type: 'welcome',
        session: r.id('session'),
        user: r.optString('user') ?? '',
        nickname: r.optString('nickname') ?? '',
        prompt: readPrompt(r.child('prompt')),
        stats: optChild(r, 'stats', readStats, NO_STATS),
        streak: optChild(r, 'streak', readStreak, NO_STREAK),
      };
    case 'ack':
      return {
        type: 'ack',
        key: r.string('key'),
        id: r.id('id'),
        shape: r.string('shape'),
        quality: r.optNumber('quality') ?? 0,
        next: readPrompt(r.child('next')),
        streak: optChild(r, 'streak', readStreak, NO_STREAK),
        stats: optChild(r, 'stats', readStats, NO_STATS),
      };
    case 'guess':
      return {
        type: 'guess',
        predictions: readPredictions(r),
        model: r.has('model') ? r.id('model') : '',
      };
    case 'error': {
      const details = readDetails(r);
      const key = r.optString('key');
      return {
        type: 'error',
        code: r.string('code'),
        message: r.optString('message') ?? '',
        fatal: r.bool('fatal', false),
        ...(details ? { details } : {}),
        ...(key !== undefined ? { key } : {}),
      };
    }
    case 'pong':
      return { type: 'pong' };
    default:
      throw new ProtocolError(`unknown frame type ${JSON.stringify(r.where)}`);
  }
}

/**
 * Decodes a client frame. The browser never receives these; tests and tools use it to check
 * that what encodeClientFrame produced is what the protocol says.
 */
export function decodeClientFrame(bytes: ArrayBuffer | Uint8Array): ClientFrame {
  const r = decodeMap(bytes);
  switch (r.where) {
    case 'hello': {
      const session = r.optString('session');
      const user = r.optString('user');
      return {
        type: 'hello',
        device: r.string('device') as Device,
        ...(session !== undefined ? { session } : {}),
        ...(user !== undefined ? { user } : {}),
      };
    }
    case 'points':
      return { type: 'points', stroke: r.int('stroke'), ...r.points(), ...style(r) };
    case 'end':
      return { type: 'end', stroke: r.int('stroke') };
    case 'undo':
    case 'clear':
    case 'ping':
      return { type: r.where };
    case 'submit': {
      const canvas = r.list('canvas');
      const startedAt = r.optNumber('started_at');
      const device = r.optString('device') as Device | undefined;
      const strokes = r.optList('strokes')?.map((s, i) => {
        if (!isRecord(s)) throw new ProtocolError(`submit.strokes[${i}]: expected a map`);
        const sr = new FieldReader(s, `submit.strokes[${i}]`);
        return { ...sr.points(), ...style(sr) };
      });
      return {
        type: 'submit',
        key: r.string('key'),
        shape: r.int('shape'),
        canvas: [Number(canvas[0]), Number(canvas[1])],
        duration_ms: r.int('duration_ms'),
        ...(startedAt !== undefined ? { started_at: startedAt } : {}),
        ...(device !== undefined ? { device } : {}),
        ...(strokes ? { strokes } : {}),
      };
    }
    default:
      throw new ProtocolError(`unknown frame type ${JSON.stringify(r.where)}`);
  }
}

function style(r: FieldReader): { color?: string; width?: number } {
  const color = r.optString('color');
  const width = r.optNumber('width');
  return {
    ...(color !== undefined ? { color } : {}),
    ...(width !== undefined ? { width } : {}),
  };
}
