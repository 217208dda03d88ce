/**
 * `/ws/admin` as an external store for React: frames fold into FeedState (feedState.ts), the
 * socket reconnects with backoff and pings to detect dead connections, and a close with code
 * 4401 (the admin session ended) stops it and tells the page to show the login form.
 */

import { ReconnectingSocket, type ConnectionState } from '../../net/reconnectingSocket';
import { browserSocket, type SocketFactory } from '../../net/socket';
import type { TrainingProgress } from '../api/types';
import { decodeAdminFrame, PING } from './adminProtocol';
import { applyFrame, INITIAL_FEED, recordJob, type FeedState } from './feedState';

export const SESSION_ENDED = 4401;

export interface FeedSnapshot {
  readonly state: FeedState;
  readonly connection: ConnectionState;
}

export interface AdminFeedOptions {
  readonly url: string;
  readonly connect?: SocketFactory;
  readonly now?: () => number;
  /** The server closed the socket because the admin session ended. */
  readonly onSessionEnded?: () => void;
}

export class AdminFeed {
  private snapshot: FeedSnapshot = { state: INITIAL_FEED, connection: 'stopped' };
  private readonly listeners = new Set<() => void>();
  private readonly socket: ReconnectingSocket;
  private readonly now: () => number;

  constructor(private readonly options: AdminFeedOptions) {
    this.now = options.now ?? Date.now;
    const connect = options.connect ?? browserSocket;
    this.socket = new ReconnectingSocket({
      url: options.url,
      // Seen here because ReconnectingSocket treats every close alike: 4401 must not be retried.
      connect: (url, handlers) =>
        connect(url, {
          ...handlers,
          onClose: (code, reason) => {
            handlers.onClose(code, reason);
            if (code === SESSION_ENDED) this.sessionEnded();
          },
        }),
      heartbeat: { frame: PING, intervalMs: 20_000, timeoutMs: 50_000 },
      onOpen: () => {},
      onMessage: (data) => this.receive(data),
      onStatus: (status) => this.update({ ...this.snapshot, connection: status.state }),
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): FeedSnapshot => this.snapshot;

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }

  /** A polled job status, folded in like a socket event (the fallback when events stop). */
  recordPoll(jobId: string, report: { status: string; progress: TrainingProgress | null; error: string | null }): void {
    this.update({ ...this.snapshot, state: recordJob(this.snapshot.state, jobId, report, null) });
  }

  private receive(data: Uint8Array): void {
    let frame;
    try {
      frame = decodeAdminFrame(data);
    } catch (err) {
      // A malformed event is shown with the other errors; the socket stays up.
      frame = { type: 'error' as const, code: 'bad_event', message: (err as Error).message };
    }
    this.update({ ...this.snapshot, state: applyFrame(this.snapshot.state, frame, this.now()) });
  }

  private sessionEnded(): void {
    this.socket.stop();
    this.options.onSessionEnded?.();
  }

  private update(next: FeedSnapshot): void {
    this.snapshot = next;
    for (const l of this.listeners) l();
  }
}
