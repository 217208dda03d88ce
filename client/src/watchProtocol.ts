/**
 * The /ws/watch wire protocol (docs/ws-protocol.md, "/ws/watch"): spectators receive a
 * snapshot of the drawings in progress and the leaderboards, then every change as it happens.
 * Same framing as /ws/play: one binary msgpack map per message, point arrays as `bin`.
 */

import type { ErrorFrame } from './protocol';
import {
  decodeMap,
  encodeMap,
  FieldReader,
  isRecord,
  packPoints,
  ProtocolError,
  type PointArrays,
} from './wire';

export interface LiveDrawing {
  /** Opaque id of one player's drawing in progress (never the session id). */
  readonly live: string;
  readonly nickname: string;
  /** Name of the prompted shape, e.g. "heart". */
  readonly shape: string;
  readonly strokes: readonly PointArrays[];
}

/** [nickname, score], best first. */
export type LeaderboardEntry = readonly [string, number];

export interface Leaderboards {
  readonly today: readonly LeaderboardEntry[];
  readonly all: readonly LeaderboardEntry[];
  readonly streak: readonly LeaderboardEntry[];
}

export interface SnapshotFrame {
  readonly type: 'snapshot';
  readonly live: readonly LiveDrawing[];
  readonly leaderboards: Leaderboards;
}

export interface LivePointsFrame extends PointArrays {
  readonly type: 'points';
  readonly live: string;
  readonly nickname: string;
  readonly shape: string;
  readonly stroke: number;
}

export interface LiveUndoFrame {
  readonly type: 'undo';
  readonly live: string;
}

export interface LiveClearFrame {
  readonly type: 'clear';
  readonly live: string;
}

/** The player left (closed the page) mid-drawing: the tile frees at once. */
export interface LiveLeaveFrame {
  readonly type: 'leave';
  readonly live: string;
}

export interface DoneFrame {
  readonly type: 'done';
  readonly live: string;
  readonly id: string;
  readonly shape: string;
  readonly nickname: string;
}

export interface LeaderboardsFrame extends Leaderboards {
  readonly type: 'leaderboards';
}

export type WatchServerFrame =
  | SnapshotFrame
  | LivePointsFrame
  | LiveUndoFrame
  | LiveClearFrame
  | LiveLeaveFrame
  | DoneFrame
  | LeaderboardsFrame
  | { readonly type: 'pong' }
  | ErrorFrame;

export type WatchClientFrame = { readonly type: 'ping' };

export function encodeWatchClientFrame(frame: WatchClientFrame): Uint8Array {
  return encodeMap({ type: frame.type });
}

function readBoard(r: FieldReader, key: string): LeaderboardEntry[] {
  const list = r.optList(key) ?? [];
  return list.map((item, i) => {
    if (
      !Array.isArray(item) ||
      item.length < 2 ||
      typeof item[0] !== 'string' ||
      typeof item[1] !== 'number'
    ) {
      throw new ProtocolError(`${r.where}.${key}[${i}]: expected [nickname, score]`);
    }
    return [item[0], item[1]] as const;
  });
}

function readBoards(r: FieldReader): Leaderboards {
  return { today: readBoard(r, 'today'), all: readBoard(r, 'all'), streak: readBoard(r, 'streak') };
}

function readLive(item: unknown, i: number): LiveDrawing {
  if (!isRecord(item)) throw new ProtocolError(`snapshot.live[${i}]: expected a map`);
  const r = new FieldReader(item, `snapshot.live[${i}]`);
  const strokes = r.list('strokes').map((s, j) => {
    if (!isRecord(s)) throw new ProtocolError(`${r.where}.strokes[${j}]: expected a map`);
    return new FieldReader(s, `${r.where}.strokes[${j}]`).points();
  });
  return {
    live: r.id('live'),
    nickname: r.optString('nickname') ?? '',
    shape: r.optString('shape') ?? '',
    strokes,
  };
}

/** Decodes one /ws/watch server frame; throws ProtocolError for anything else. */
export function decodeWatchFrame(bytes: ArrayBuffer | Uint8Array): WatchServerFrame {
  const r = decodeMap(bytes);
  switch (r.where) {
    case 'snapshot':
      return {
        type: 'snapshot',
        live: (r.optList('live') ?? []).map(readLive),
        leaderboards: r.has('leaderboards')
          ? readBoards(r.child('leaderboards'))
          : { today: [], all: [], streak: [] },
      };
    case 'points':
      return {
        type: 'points',
        live: r.id('live'),
        nickname: r.optString('nickname') ?? '',
        shape: r.optString('shape') ?? '',
        stroke: r.int('stroke'),
        ...r.points(),
      };
    case 'undo':
    case 'clear':
    case 'leave':
      return { type: r.where, live: r.id('live') };
    case 'done':
      return {
        type: 'done',
        live: r.id('live'),
        id: r.id('id'),
        shape: r.optString('shape') ?? '',
        nickname: r.optString('nickname') ?? '',
      };
    case 'leaderboards':
      return { type: 'leaderboards', ...readBoards(r) };
    case 'pong':
      return { type: 'pong' };
    case 'error':
      return {
        type: 'error',
        code: r.string('code'),
        message: r.optString('message') ?? '',
        fatal: r.bool('fatal', false),
      };
    default:
      throw new ProtocolError(`unknown frame type ${JSON.stringify(r.where)}`);
  }
}

/**
 * Encodes a server frame as the server must. The browser never sends these; specs and the
 * development mock use it, and it documents the exact layout next to the decoder.
 */
export function encodeWatchServerFrame(frame: WatchServerFrame): Uint8Array {
  switch (frame.type) {
    case 'snapshot':
      return encodeMap({
        type: 'snapshot',
        live: frame.live.map((l) => ({
          live: l.live,
          nickname: l.nickname,
          shape: l.shape,
          strokes: l.strokes.map(packPoints),
        })),
        leaderboards: boards(frame.leaderboards),
      });
    case 'points':
      return encodeMap({
        type: 'points',
        live: frame.live,
        nickname: frame.nickname,
        shape: frame.shape,
        stroke: frame.stroke,
        ...packPoints(frame),
      });
    case 'leaderboards':
      return encodeMap({ type: 'leaderboards', ...boards(frame) });
    case 'error':
      return encodeMap({ type: 'error', code: frame.code, message: frame.message });
    default:
      return encodeMap({ ...frame });
  }
}

function boards(b: Leaderboards): Record<string, unknown> {
  return { today: b.today.map((e) => [...e]), all: b.all.map((e) => [...e]), streak: b.streak.map((e) => [...e]) };
}
