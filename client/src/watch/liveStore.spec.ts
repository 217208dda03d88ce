import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../test/fakeSocket';
import { encodeWatchServerFrame } from '../watchProtocol';
import { LiveStore } from './liveStore';

const pts = (xs: number[]) => ({
  x: new Float32Array(xs),
  y: new Float32Array(xs),
  t: new Uint32Array(xs.map((_, i) => i)),
  p: new Float32Array(xs.map(() => 0.5)),
});

describe('LiveStore', () => {
  let server: FakeServer;
  let scheduled: (() => void)[];
  let now: number;
  let store: LiveStore;

  beforeEach(() => {
    vi.useFakeTimers();
    server = new FakeServer();
    scheduled = [];
    now = 0;
    store = new LiveStore({
      url: 'ws://test/ws/watch',
      tiles: 2,
      connect: server.connect,
      now: () => now,
      schedule: (fn) => scheduled.push(fn),
    });
    store.start();
    server.last.open();
  });

  afterEach(() => {
    store.stop();
    vi.useRealTimers();
  });

  const flush = () => scheduled.splice(0).forEach((f) => f());

  it('notifies once per frame however many messages arrived', () => {
    const listener = vi.fn();
    store.subscribe(listener);
    flush();
    listener.mockClear();
    for (let i = 0; i < 5; i++) {
      server.last.receiveBytes(
        encodeWatchServerFrame({ type: 'points', live: 'a', nickname: 'n', shape: 'line', stroke: 0, ...pts([i]) }),
      );
    }
    expect(scheduled).toHaveLength(1);
    flush();
    expect(listener).toHaveBeenCalledOnce();
    expect(store.getSnapshot().state.lives.get('a')!.strokes[0]!.x.length).toBe(5);
  });

  it('puts new drawings on free tiles and frees them after done', () => {
    server.last.receiveBytes(
      encodeWatchServerFrame({
        type: 'snapshot',
        live: [
          { live: 'a', nickname: 'A', shape: 'line', strokes: [pts([1])] },
          { live: 'b', nickname: 'B', shape: 'circle', strokes: [] },
          { live: 'c', nickname: 'C', shape: 'heart', strokes: [] },
        ],
        leaderboards: { today: [], all: [], streak: [] },
      }),
    );
    expect(store.getSnapshot().tiles.filter(Boolean)).toHaveLength(2);
    const shown = store.getSnapshot().tiles[0]!;
    now = 1000;
    server.last.receiveBytes(encodeWatchServerFrame({ type: 'done', live: shown, id: 'd', shape: 'line', nickname: 'A' }));
    expect(store.getSnapshot().lastDone).toMatchObject({ id: 'd' });
    now = 4000;
    vi.advanceTimersByTime(500);
    expect(store.getSnapshot().tiles).not.toContain(shown);
    expect(store.getSnapshot().tiles.filter(Boolean)).toHaveLength(2);
  });

  it('reports the connection and ignores frames it cannot read', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(store.getSnapshot().connection).toBe('open');
    server.last.receiveBytes(new Uint8Array([0xc1]));
    server.last.drop();
    expect(store.getSnapshot().connection).toBe('waiting');
  });
});
