/**
 * What a spectator sees, as pure state: the drawings in progress and the leaderboards, folded
 * from /ws/watch frames. No DOM and no clock of its own (`now` is passed in).
 */

import type { Bounds } from '../geometry/types';
import type { PointArrays } from '../wire';
import type { Leaderboards, LiveDrawing, WatchServerFrame } from '../watchProtocol';

export interface LiveView {
  readonly live: string;
  readonly nickname: string;
  readonly shape: string;
  readonly strokes: readonly PointArrays[];
  /** Union of every point seen since the drawing began (only grows, so the tile doesn't jump). */
  readonly bounds: Bounds | null;
  readonly status: 'drawing' | 'done';
  /** Set once done: the stored drawing's id. */
  readonly drawingId?: string;
  /** When it last changed (ms, the caller's clock). */
  readonly updatedAt: number;
}

export interface LiveState {
  readonly lives: ReadonlyMap<string, LiveView>;
  readonly leaderboards: Leaderboards;
  /** Connected and holding a snapshot. */
  readonly synced: boolean;
}

export const EMPTY_BOARDS: Leaderboards = { today: [], all: [], streak: [] };
export const INITIAL_LIVE_STATE: LiveState = { lives: new Map(), leaderboards: EMPTY_BOARDS, synced: false };

export interface PruneOptions {
  /** How long a finished drawing stays on its tile, showing it was accepted. */
  readonly doneLingerMs: number;
  /** A drawing with no news for this long was abandoned (the player left without a word). */
  readonly idleMs: number;
}

export const DEFAULT_PRUNE: PruneOptions = { doneLingerMs: 2_500, idleMs: 60_000 };

function concat<T extends Float32Array | Uint32Array>(a: T, b: T, make: (n: number) => T): T {
  const out = make(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function append(stroke: PointArrays, batch: PointArrays): PointArrays {
  return {
    x: concat(stroke.x, batch.x, (n) => new Float32Array(n)),
    y: concat(stroke.y, batch.y, (n) => new Float32Array(n)),
    t: concat(stroke.t, batch.t, (n) => new Uint32Array(n)),
    p: concat(stroke.p, batch.p, (n) => new Float32Array(n)),
  };
}

const EMPTY_STROKE: PointArrays = {
  x: new Float32Array(0),
  y: new Float32Array(0),
  t: new Uint32Array(0),
  p: new Float32Array(0),
};

export function growBounds(bounds: Bounds | null, points: Pick<PointArrays, 'x' | 'y'>): Bounds | null {
  let b = bounds;
  for (let i = 0; i < points.x.length; i++) {
    const x = points.x[i]!;
    const y = points.y[i]!;
    b = b
      ? { minX: Math.min(b.minX, x), minY: Math.min(b.minY, y), maxX: Math.max(b.maxX, x), maxY: Math.max(b.maxY, y) }
      : { minX: x, minY: y, maxX: x, maxY: y };
  }
  return b;
}

function fromSnapshot(d: LiveDrawing, now: number): LiveView {
  return {
    live: d.live,
    nickname: d.nickname,
    shape: d.shape,
    strokes: d.strokes,
    bounds: d.strokes.reduce<Bounds | null>(growBounds, null),
    status: 'drawing',
    updatedAt: now,
  };
}

function withLive(state: LiveState, view: LiveView): LiveState {
  const lives = new Map(state.lives);
  lives.set(view.live, view);
  return { ...state, lives };
}

/** Applies one frame. Frames about a drawing we don't know start it (we joined mid-way). */
export function applyFrame(state: LiveState, frame: WatchServerFrame, now: number): LiveState {
  switch (frame.type) {
    case 'snapshot':
      return {
        lives: new Map(frame.live.map((d) => [d.live, fromSnapshot(d, now)])),
        leaderboards: frame.leaderboards,
        synced: true,
      };
    case 'points': {
      const prev = state.lives.get(frame.live);
      // After `done`, the same player's next points begin their next drawing.
      const fresh = !prev || prev.status === 'done';
      const strokes = fresh ? [] : [...prev.strokes];
      while (strokes.length <= frame.stroke) strokes.push(EMPTY_STROKE);
      strokes[frame.stroke] = append(strokes[frame.stroke]!, frame);
      return withLive(state, {
        live: frame.live,
        nickname: frame.nickname || prev?.nickname || '',
        shape: frame.shape || prev?.shape || '',
        strokes,
        bounds: growBounds(fresh ? null : prev.bounds, frame),
        status: 'drawing',
        updatedAt: now,
      });
    }
    case 'undo': {
      const prev = state.lives.get(frame.live);
      if (!prev || prev.status === 'done') return state;
      return withLive(state, { ...prev, strokes: prev.strokes.slice(0, -1), updatedAt: now });
    }
    case 'clear': {
      const prev = state.lives.get(frame.live);
      if (!prev || prev.status === 'done') return state;
      return withLive(state, { ...prev, strokes: [], bounds: null, updatedAt: now });
    }
    case 'leave': {
      if (!state.lives.has(frame.live)) return state;
      const lives = new Map(state.lives);
      lives.delete(frame.live);
      return { ...state, lives };
    }
    case 'done': {
      const prev = state.lives.get(frame.live);
      return withLive(state, {
        live: frame.live,
        nickname: frame.nickname || prev?.nickname || '',
        shape: frame.shape || prev?.shape || '',
        strokes: prev?.strokes ?? [],
        bounds: prev?.bounds ?? null,
        status: 'done',
        drawingId: frame.id,
        updatedAt: now,
      });
    }
    case 'leaderboards':
      return { ...state, leaderboards: { today: frame.today, all: frame.all, streak: frame.streak } };
    case 'pong':
    case 'error':
      return state;
  }
}

/** Removes finished drawings after their moment on screen, and abandoned ones. */
export function prune(state: LiveState, now: number, options: PruneOptions = DEFAULT_PRUNE): LiveState {
  let changed = false;
  const lives = new Map<string, LiveView>();
  for (const [id, v] of state.lives) {
    const age = now - v.updatedAt;
    const expired = v.status === 'done' ? age >= options.doneLingerMs : age >= options.idleMs;
    if (expired) changed = true;
    else lives.set(id, v);
  }
  return changed ? { ...state, lives } : state;
}

/** The connection dropped: what we show is no longer live (kept until the next snapshot). */
export function markUnsynced(state: LiveState): LiveState {
  return state.synced ? { ...state, synced: false } : state;
}

/**
 * Which drawing each tile shows. A drawing keeps its tile while it lasts (tiles never shuffle
 * under the viewer's eyes); a free tile takes the most recently active drawing without one.
 */
export function assignTiles(
  previous: readonly (string | null)[],
  lives: ReadonlyMap<string, LiveView>,
  count: number,
): (string | null)[] {
  const tiles: (string | null)[] = Array.from({ length: count }, (_, i) => {
    const id = previous[i] ?? null;
    return id !== null && lives.has(id) ? id : null;
  });
  const shown = new Set(tiles);
  const waiting = [...lives.values()]
    .filter((v) => !shown.has(v.live) && v.status === 'drawing')
    .sort((a, b) => b.updatedAt - a.updatedAt);
  for (let i = 0; i < tiles.length && waiting.length > 0; i++) {
    if (tiles[i] === null) tiles[i] = waiting.shift()!.live;
  }
  return tiles;
}

export function sameTiles(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
