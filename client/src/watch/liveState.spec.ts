import { describe, expect, it } from 'vitest';
import type { LivePointsFrame } from '../watchProtocol';
import {
  applyFrame,
  assignTiles,
  growBounds,
  INITIAL_LIVE_STATE,
  markUnsynced,
  prune,
  type LiveState,
  type LiveView,
} from './liveState';

const batch = (xs: number[], ys = xs) => ({
  x: new Float32Array(xs),
  y: new Float32Array(ys),
  t: new Uint32Array(xs.map((_, i) => i)),
  p: new Float32Array(xs.map(() => 0.5)),
});

const points = (live: string, stroke: number, xs: number[]): LivePointsFrame => ({
  type: 'points',
  live,
  nickname: 'Brave Otter',
  shape: 'heart',
  stroke,
  ...batch(xs),
});

function run(frames: Parameters<typeof applyFrame>[1][], start: LiveState = INITIAL_LIVE_STATE) {
  return frames.reduce((s, f, i) => applyFrame(s, f, 1000 + i), start);
}

describe('applyFrame', () => {
  it('replaces everything with a snapshot', () => {
    const s = run([
      points('old', 0, [1]),
      {
        type: 'snapshot',
        live: [{ live: 'a', nickname: 'Quiet Lynx', shape: 'circle', strokes: [batch([1, 5]), batch([9])] }],
        leaderboards: { today: [['Quiet Lynx', 3]], all: [], streak: [] },
      },
    ]);
    expect([...s.lives.keys()]).toEqual(['a']);
    expect(s.synced).toBe(true);
    expect(s.lives.get('a')!.bounds).toEqual({ minX: 1, minY: 1, maxX: 9, maxY: 9 });
    expect(s.leaderboards.today).toEqual([['Quiet Lynx', 3]]);
  });

  it('appends batches to their stroke and starts new strokes', () => {
    const s = run([points('a', 0, [1, 2]), points('a', 0, [3]), points('a', 1, [7])]);
    const v = s.lives.get('a')!;
    expect(v.strokes.map((st) => Array.from(st.x))).toEqual([[1, 2, 3], [7]]);
    expect(v).toMatchObject({ nickname: 'Brave Otter', shape: 'heart', status: 'drawing' });
  });

  it('pads strokes it missed (joined mid-drawing)', () => {
    const v = run([points('a', 2, [5])]).lives.get('a')!;
    expect(v.strokes.map((st) => st.x.length)).toEqual([0, 0, 1]);
  });

  it('undoes and clears', () => {
    let s = run([points('a', 0, [1]), points('a', 1, [2]), { type: 'undo', live: 'a' }]);
    expect(s.lives.get('a')!.strokes).toHaveLength(1);
    s = applyFrame(s, { type: 'clear', live: 'a' }, 2000);
    expect(s.lives.get('a')!.strokes).toEqual([]);
    expect(s.lives.get('a')!.bounds).toBeNull();
  });

  it('marks a submitted drawing done, then starts the player\u2019s next drawing afresh', () => {
    let s = run([points('a', 0, [1, 2]), { type: 'done', live: 'a', id: 'd1', shape: 'heart', nickname: 'Brave Otter' }]);
    expect(s.lives.get('a')).toMatchObject({ status: 'done', drawingId: 'd1' });
    expect(s.lives.get('a')!.strokes).toHaveLength(1);
    s = applyFrame(s, { ...points('a', 0, [50]), shape: 'circle' }, 3000);
    expect(s.lives.get('a')).toMatchObject({ status: 'drawing', shape: 'circle' });
    expect(s.lives.get('a')!.strokes.map((st) => Array.from(st.x))).toEqual([[50]]);
  });

  it('frees the tile of a player who left mid-drawing', () => {
    const s = run([points('a', 0, [1]), points('b', 0, [2]), { type: 'leave', live: 'a' }]);
    expect([...s.lives.keys()]).toEqual(['b']);
    expect(applyFrame(s, { type: 'leave', live: 'zz' }, 5000)).toBe(s);
  });

  it('ignores undo and clear for drawings it does not know', () => {
    const s = run([{ type: 'undo', live: 'x' }, { type: 'clear', live: 'y' }]);
    expect(s.lives.size).toBe(0);
  });

  it('updates the leaderboards', () => {
    const s = run([{ type: 'leaderboards', today: [['A', 1]], all: [['B', 2]], streak: [['C', 3]] }]);
    expect(s.leaderboards).toEqual({ today: [['A', 1]], all: [['B', 2]], streak: [['C', 3]] });
  });

  it('does not mutate the state it was given', () => {
    const s1 = run([points('a', 0, [1])]);
    const before = Array.from(s1.lives.get('a')!.strokes[0]!.x);
    applyFrame(s1, points('a', 0, [2]), 5000);
    expect(Array.from(s1.lives.get('a')!.strokes[0]!.x)).toEqual(before);
  });

  it('forgets sync on disconnect', () => {
    const s = run([{ type: 'snapshot', live: [], leaderboards: { today: [], all: [], streak: [] } }]);
    expect(markUnsynced(s).synced).toBe(false);
  });
});

describe('growBounds', () => {
  it('only grows', () => {
    const b = growBounds({ minX: 0, minY: 0, maxX: 10, maxY: 10 }, batch([5]));
    expect(b).toEqual({ minX: 0, minY: 0, maxX: 10, maxY: 10 });
    expect(growBounds(b, batch([-2, 20]))).toEqual({ minX: -2, minY: -2, maxX: 20, maxY: 20 });
  });
});

describe('prune', () => {
  const s = run([
    points('drawing', 0, [1]),
    points('finished', 0, [1]),
    { type: 'done', live: 'finished', id: 'd', shape: 'heart', nickname: 'n' },
  ]);

  it('keeps a finished drawing on screen for a moment, then frees its tile', () => {
    expect(prune(s, 1002 + 2499, { doneLingerMs: 2500, idleMs: 60_000 }).lives.has('finished')).toBe(true);
    expect(prune(s, 1002 + 2500, { doneLingerMs: 2500, idleMs: 60_000 }).lives.has('finished')).toBe(false);
  });

  it('drops abandoned drawings', () => {
    expect(prune(s, 1000 + 60_000, { doneLingerMs: 2500, idleMs: 60_000 }).lives.has('drawing')).toBe(false);
  });

  it('returns the same state when nothing expired', () => {
    expect(prune(s, 1003)).toBe(s);
  });
});

describe('assignTiles', () => {
  const view = (live: string, updatedAt: number, status: LiveView['status'] = 'drawing'): [string, LiveView] => [
    live,
    { live, nickname: live, shape: 'line', strokes: [], bounds: null, status, updatedAt },
  ];

  it('fills free tiles with the most recently active drawings', () => {
    const lives = new Map([view('a', 1), view('b', 3), view('c', 2)]);
    expect(assignTiles([], lives, 2)).toEqual(['b', 'c']);
  });

  it('keeps each drawing on its tile', () => {
    const lives = new Map([view('a', 1), view('b', 3), view('c', 2)]);
    expect(assignTiles(['a', null, 'c'], lives, 3)).toEqual(['a', 'b', 'c']);
  });

  it('frees the tile of a drawing that is gone', () => {
    const lives = new Map([view('b', 3)]);
    expect(assignTiles(['a', 'b'], lives, 2)).toEqual([null, 'b']);
  });

  it('keeps a done drawing on its tile but never gives one a new tile', () => {
    const lives = new Map([view('a', 1, 'done'), view('b', 2, 'done')]);
    expect(assignTiles(['a', null], lives, 2)).toEqual(['a', null]);
  });
});
