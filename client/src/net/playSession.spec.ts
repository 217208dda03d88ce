import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { openOutbox, type OutboxEntry, type OutboxStore } from '../outbox/outbox';
import { FakeServer, type FakeSocket } from '../test/fakeSocket';
import { PlaySession, type PlayEvent } from './playSession';

const prompt = { id: 5, name: 'heart', description: 'Two rounded lobes.' };
const nextPrompt = { id: 2, name: 'circle', description: 'A round closed loop.' };

function entry(key: string, createdAt = 1): OutboxEntry {
  return {
    key,
    shape: 5,
    shapeName: 'heart',
    canvas: [400, 400],
    durationMs: 800,
    startedAt: 1_704_067_200_000,
    device: 'mouse',
    createdAt,
    strokes: [
      {
        x: new Float32Array([10, 20, 30]),
        y: new Float32Array([10, 15, 10]),
        t: new Uint32Array([0, 16, 32]),
        p: new Float32Array([0.5, 0.5, 0.5]),
        color: '#1e1e1e',
        width: 4,
      },
    ],
  };
}

class MapStorage {
  readonly map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
}

/** Lets IndexedDB (which completes on macrotasks) and the promise chains after it finish. */
async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}

function welcome(socket: FakeSocket, session = 'sess-1') {
  socket.receive({
    type: 'welcome',
    session,
    user: 'user-1',
    nickname: 'Brave Otter',
    prompt,
    stats: { total: 0, session: 0, today: 0 },
    streak: { current: 0, best: 0, days: 0 },
  });
}

function ack(socket: FakeSocket, key: string) {
  socket.receive({
    type: 'ack',
    key,
    id: `drawing-${key}`,
    shape: 'heart',
    quality: 0.8,
    next: nextPrompt,
    streak: { current: 1, best: 1, days: 1 },
    stats: { total: 1, session: 1, today: 1 },
  });
}

describe('PlaySession', () => {
  let server: FakeServer;
  let outbox: OutboxStore;
  let storage: MapStorage;
  let events: PlayEvent[];
  let onReady: Mock<(session: PlaySession, resumed: boolean) => void>;
  let session: PlaySession;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    server = new FakeServer();
    outbox = await openOutbox(new IDBFactory());
    storage = new MapStorage();
    events = [];
    onReady = vi.fn<(session: PlaySession, resumed: boolean) => void>();
    session = new PlaySession({
      url: 'ws://test/ws/play',
      outbox,
      userId: 'user-1',
      storage,
      device: () => 'touch',
      onEvent: (e) => events.push(e),
      onReady,
      connect: server.connect,
      backoff: { baseMs: 100, maxMs: 100, factor: 1 },
      random: () => 0.999999,
      ackTimeoutMs: 5_000,
      onlineEvents: null,
    });
  });

  afterEach(() => {
    session.stop();
    vi.useRealTimers();
  });

  const ofType = <T extends PlayEvent['type']>(type: T) =>
    events.filter((e): e is Extract<PlayEvent, { type: T }> => e.type === type);

  it('says hello with the user id and device, then resumes its session after a reconnect', async () => {
    session.start();
    server.last.open();
    expect(server.last.frames()).toEqual([{ type: 'hello', user: 'user-1', device: 'touch' }]);
    welcome(server.last, 'sess-1');
    expect(session.isReady).toBe(true);
    expect(storage.getItem('drawstream.session')).toBe('sess-1');
    server.last.drop();
    expect(session.isReady).toBe(false);
    vi.advanceTimersByTime(100);
    server.last.open();
    expect(server.last.frames()[0]).toEqual({
      type: 'hello',
      session: 'sess-1',
      user: 'user-1',
      device: 'touch',
    });
    welcome(server.last, 'sess-1');
    expect(ofType('welcome').map((e) => e.resumed)).toEqual([false, true]);
    expect(onReady).toHaveBeenCalledTimes(2);
  });

  it('streams drawing frames only once the session is ready', () => {
    const batch = {
      x: new Float32Array([1]),
      y: new Float32Array([2]),
      t: new Uint32Array([0]),
      p: new Float32Array([0.5]),
    };
    session.start();
    server.last.open();
    expect(session.sendPoints(0, batch)).toBe(false);
    welcome(server.last);
    expect(session.sendPoints(0, batch, { color: '#1e1e1e', width: 4 })).toBe(true);
    expect(session.sendEnd(0)).toBe(true);
    expect(session.sendUndo()).toBe(true);
    expect(session.sendClear()).toBe(true);
    expect(server.last.frames().map((f) => f.type)).toEqual(['hello', 'points', 'end', 'undo', 'clear']);
    expect(server.last.framesOfType('points')[0]).toMatchObject({ stroke: 0, color: '#1e1e1e', width: 4 });
  });

  it('writes a drawing to the outbox before sending it, and removes it on its ack', async () => {
    session.start();
    server.last.open();
    welcome(server.last);
    const socket = server.last;
    const sendSpy = vi.spyOn(socket, 'send');
    const countAtSend: number[] = [];
    sendSpy.mockImplementation(function (this: FakeSocket, data: Uint8Array) {
      void outbox.count().then((n) => countAtSend.push(n));
      socket.sent.push(data.slice());
    });
    await expect(session.submit(entry('k1'))).resolves.toEqual({ sent: true });
    await settle();
    expect(countAtSend).toEqual([1]);
    const [submit] = socket.framesOfType('submit');
    expect(submit).toMatchObject({ key: 'k1', shape: 5, canvas: [400, 400], duration_ms: 800, device: 'mouse' });
    expect(submit!.strokes![0]!.x).toEqual(new Float32Array([10, 20, 30]));
    ack(socket, 'k1');
    await settle();
    expect(await outbox.count()).toBe(0);
    expect(ofType('ack')[0]).toMatchObject({ frame: { key: 'k1', id: 'drawing-k1' }, entry: { key: 'k1' } });
    expect(ofType('outbox').map((e) => e.count)).toEqual([0, 1, 0]);
  });

  it('keeps a drawing submitted offline and sends it after the next welcome', async () => {
    session.start();
    server.last.drop(); // the server is down
    await expect(session.submit(entry('offline'))).resolves.toEqual({ sent: false });
    expect(await outbox.count()).toBe(1);
    vi.advanceTimersByTime(100);
    server.last.open();
    expect(server.last.framesOfType('submit')).toHaveLength(0); // not before welcome
    welcome(server.last);
    await settle();
    expect(server.last.framesOfType('submit').map((f) => f.key)).toEqual(['offline']);
    ack(server.last, 'offline');
    await settle();
    expect(await outbox.count()).toBe(0);
  });

  it('resends, with the same key, a drawing whose ack was lost with the connection', async () => {
    session.start();
    server.last.open();
    welcome(server.last);
    await session.submit(entry('k1'));
    server.last.drop();
    vi.advanceTimersByTime(100);
    server.last.open();
    welcome(server.last);
    await settle();
    expect(server.last.framesOfType('submit').map((f) => f.key)).toEqual(['k1']);
    expect(await outbox.count()).toBe(1);
  });

  it('resends the whole outbox oldest first, persisted across a reload', async () => {
    await outbox.put(entry('second', 2));
    await outbox.put(entry('first', 1));
    session.start();
    server.last.open();
    welcome(server.last);
    await settle();
    expect(server.last.framesOfType('submit').map((f) => f.key)).toEqual(['first', 'second']);
  });

  it('counts a repeated ack only once', async () => {
    session.start();
    server.last.open();
    welcome(server.last);
    await session.submit(entry('k1'));
    ack(server.last, 'k1');
    await settle();
    ack(server.last, 'k1');
    await settle();
    expect(ofType('ack').map((e) => e.entry?.key)).toEqual(['k1', undefined]);
  });

  it('drops a drawing the server finds invalid and says why', async () => {
    session.start();
    server.last.open();
    welcome(server.last);
    await session.submit(entry('bad'));
    server.last.receive({
      type: 'error',
      code: 'invalid_drawing',
      message: 'the drawing is not valid',
      details: [{ field: 'strokes', message: 'a drawing needs at least one stroke' }],
      key: 'bad',
    });
    await settle();
    expect(await outbox.count()).toBe(0);
    expect(ofType('rejected')[0]).toMatchObject({ error: { code: 'invalid_drawing' }, entry: { key: 'bad' } });
  });

  it('keeps a drawing the server cannot store now and retries it with backoff', async () => {
    session.start();
    server.last.open();
    welcome(server.last);
    await session.submit(entry('k1'));
    server.last.receive({ type: 'error', code: 'unavailable', message: 'storage is down', key: 'k1' });
    await settle();
    expect(await outbox.count()).toBe(1);
    const deferred = ofType('deferred')[0]!;
    expect(deferred.retryInMs).toBe(2000);
    vi.advanceTimersByTime(2000);
    await settle();
    expect(server.last.framesOfType('submit').map((f) => f.key)).toEqual(['k1', 'k1']);
  });

  it('renews the connection when an ack does not come in time', async () => {
    session.start();
    server.last.open();
    welcome(server.last);
    await session.submit(entry('slow'));
    vi.advanceTimersByTime(5_000);
    expect(ofType('ack-timeout')).toEqual([{ type: 'ack-timeout', key: 'slow' }]);
    expect(server.sockets[0]!.closed).toBe(true);
    server.last.open();
    welcome(server.last);
    await settle();
    expect(server.last.framesOfType('submit').map((f) => f.key)).toEqual(['slow']);
  });

  it('starts over with a fresh hello when the server lost the session', () => {
    session.start();
    server.last.open();
    welcome(server.last);
    server.last.receive({ type: 'error', code: 'no_session', message: 'hello first' });
    expect(server.sockets).toHaveLength(2);
  });

  it('passes guesses on and ignores frames it cannot read', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    session.start();
    server.last.open();
    welcome(server.last);
    server.last.receive({ type: 'mystery' });
    server.last.receive({ type: 'guess', predictions: [['circle', 0.87]], model: 'v3' });
    expect(ofType('guess')[0]!.frame.predictions).toEqual([['circle', 0.87]]);
    expect(warn).toHaveBeenCalledOnce();
  });
});
