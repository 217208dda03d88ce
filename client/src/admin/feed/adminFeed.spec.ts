import { encode } from '@msgpack/msgpack';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../../test/fakeSocket';
import { AdminFeed, SESSION_ENDED } from './adminFeed';

describe('AdminFeed', () => {
  let server: FakeServer;
  let feed: AdminFeed;
  let ended: ReturnType<typeof vi.fn<() => void>>;

  beforeEach(() => {
    vi.useFakeTimers();
    server = new FakeServer();
    ended = vi.fn<() => void>();
    feed = new AdminFeed({ url: 'ws://test/ws/admin', connect: server.connect, now: () => 1000, onSessionEnded: ended });
    feed.start();
    server.last.open();
  });

  afterEach(() => {
    feed.stop();
    vi.useRealTimers();
  });

  it('folds frames into its snapshot and tells subscribers', () => {
    const listener = vi.fn();
    feed.subscribe(listener);
    server.last.receive({ type: 'hello', email: 'admin@example.com' });
    server.last.receive({ type: 'monitor', drawingsPerSecond: 4, connectedPlayers: 2, ingest: { backlog: 1, lagMs: 5 }, workers: [] });
    const snap = feed.getSnapshot();
    expect(snap.connection).toBe('open');
    expect(snap.state.email).toBe('admin@example.com');
    expect(snap.state.monitor?.connectedPlayers).toBe(2);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('shows a malformed event as an error and stays connected', () => {
    server.last.receiveBytes(encode({ type: 'training' }));
    expect(feed.getSnapshot().state.errors[0]!.code).toBe('bad_event');
    expect(feed.getSnapshot().connection).toBe('open');
  });

  it('reconnects after a dropped connection', () => {
    server.last.drop();
    expect(feed.getSnapshot().connection).toBe('waiting');
    vi.advanceTimersByTime(1_000); // the first retry comes within half a second
    expect(server.sockets).toHaveLength(2);
  });

  it('stops and sends the admin to the login form when the session ended (4401)', () => {
    server.last.drop(SESSION_ENDED);
    expect(ended).toHaveBeenCalledOnce();
    expect(feed.getSnapshot().connection).toBe('stopped');
    vi.advanceTimersByTime(60_000);
    expect(server.sockets).toHaveLength(1);
  });

  it('takes polled job reports through the same fold', () => {
    feed.recordPoll('j9', { status: 'queued', progress: null, error: null });
    expect(feed.getSnapshot().state.jobs.j9).toMatchObject({ status: 'queued', liveAt: null });
  });
});
