import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../test/fakeSocket';
import { ReconnectingSocket, type ConnectionStatus, type ReconnectingSocketOptions } from './reconnectingSocket';

const policy = { baseMs: 100, maxMs: 400, factor: 2 };

function setup(extra: Partial<ReconnectingSocketOptions> = {}) {
  const server = new FakeServer();
  const opened = vi.fn();
  const messages: Uint8Array[] = [];
  const statuses: ConnectionStatus[] = [];
  const socket = new ReconnectingSocket({
    url: 'ws://test/ws/play',
    connect: server.connect,
    backoff: policy,
    random: () => 0.999999, // the ceiling of each delay, so the spec can step to it
    onlineEvents: null,
    onOpen: opened,
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    ...extra,
  });
  return { server, socket, opened, messages, statuses };
}

describe('ReconnectingSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects on start and reports open', () => {
    const { server, socket, opened } = setup();
    socket.start();
    expect(socket.state).toBe('connecting');
    server.last.open();
    expect(socket.state).toBe('open');
    expect(opened).toHaveBeenCalledOnce();
    expect(server.last.url).toBe('ws://test/ws/play');
  });

  it('sends only while open', () => {
    const { server, socket } = setup();
    socket.start();
    expect(socket.send(new Uint8Array([1]))).toBe(false);
    server.last.open();
    expect(socket.send(new Uint8Array([2]))).toBe(true);
    expect(server.last.sent).toEqual([new Uint8Array([2])]);
  });

  it('reconnects with growing, capped delays while the server stays away', () => {
    const { server, socket } = setup();
    socket.start();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = server.sockets.length;
      server.last.drop();
      let waited = 0;
      while (server.sockets.length === before) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([100, 200, 400, 400, 400]);
  });

  it('resets the backoff once the server speaks, not merely when it accepts', () => {
    const { server, socket, statuses } = setup();
    socket.start();
    server.last.drop();
    vi.advanceTimersByTime(100);
    server.last.open();
    server.last.drop(); // accepted, then dropped before saying anything
    expect(statuses.at(-1)).toMatchObject({ state: 'waiting', attempt: 2 });
    vi.advanceTimersByTime(200);
    server.last.open();
    server.last.receive({ type: 'pong' });
    server.last.drop();
    expect(statuses.at(-1)).toMatchObject({ state: 'waiting', attempt: 1 });
    vi.advanceTimersByTime(99);
    expect(server.sockets).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(server.sockets).toHaveLength(4);
  });

  it('delivers messages from the current socket only', () => {
    const { server, socket, messages } = setup();
    socket.start();
    const first = server.last;
    first.open();
    socket.restart();
    first.receive({ type: 'pong' }); // a late message from the abandoned socket
    expect(messages).toHaveLength(0);
    server.last.open();
    server.last.receive({ type: 'pong' });
    expect(messages).toHaveLength(1);
  });

  it('retries immediately on reconnectNow while waiting', () => {
    const { server, socket } = setup();
    socket.start();
    server.last.drop();
    expect(server.sockets).toHaveLength(1);
    socket.reconnectNow();
    expect(server.sockets).toHaveLength(2);
    expect(socket.state).toBe('connecting');
  });

  it('retries when the browser reports it is online again', () => {
    const events = new EventTarget();
    const { server, socket } = setup({ onlineEvents: events });
    socket.start();
    server.last.drop();
    events.dispatchEvent(new Event('online'));
    expect(server.sockets).toHaveLength(2);
    socket.stop();
    events.dispatchEvent(new Event('online'));
    expect(server.sockets).toHaveLength(2);
  });

  it('gives up on a connection that never opens', () => {
    const { server, socket } = setup({ connectTimeoutMs: 1000 });
    socket.start();
    vi.advanceTimersByTime(1000);
    expect(socket.state).toBe('waiting');
    expect(server.sockets[0]!.closed).toBe(true);
    vi.advanceTimersByTime(100);
    expect(server.sockets).toHaveLength(2);
  });

  it('pings while open and drops a connection that went silent', () => {
    const ping = new Uint8Array([9]);
    const { server, socket } = setup({ heartbeat: { frame: ping, intervalMs: 1000, timeoutMs: 2500 } });
    socket.start();
    server.last.open();
    vi.advanceTimersByTime(1000);
    expect(server.last.sent).toEqual([ping]);
    server.last.receive({ type: 'pong' });
    vi.advanceTimersByTime(2000);
    expect(socket.state).toBe('open');
    vi.advanceTimersByTime(1000); // 3 s of silence
    expect(socket.state).toBe('waiting');
    expect(server.sockets[0]!.closed).toBe(true);
  });

  it('stops for good on stop', async () => {
    const { server, socket } = setup();
    socket.start();
    server.last.open();
    socket.stop();
    await Promise.resolve();
    vi.advanceTimersByTime(10_000);
    expect(server.sockets).toHaveLength(1);
    expect(socket.state).toBe('stopped');
  });
});
