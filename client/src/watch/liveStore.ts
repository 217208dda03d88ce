import { ReconnectingSocket, type ConnectionState } from '../net/reconnectingSocket';
import type { SocketFactory } from '../net/socket';
import { ProtocolError } from '../wire';
import { decodeWatchFrame, encodeWatchClientFrame, type DoneFrame } from '../watchProtocol';
import {
  applyFrame,
  assignTiles,
  DEFAULT_PRUNE,
  INITIAL_LIVE_STATE,
  markUnsynced,
  prune,
  sameTiles,
  type LiveState,
} from './liveState';

export interface LiveSnapshot {
  readonly state: LiveState;
  /** The drawing shown on each tile (null: free tile). */
  readonly tiles: readonly (string | null)[];
  readonly connection: ConnectionState;
  /** The last drawing finished, for the screen-reader announcement. */
  readonly lastDone: DoneFrame | null;
}

export interface LiveStoreOptions {
  readonly url: string;
  readonly tiles: number;
  readonly connect?: SocketFactory;
  readonly now?: () => number;
  /** Schedules a notification (requestAnimationFrame in the browser). */
  readonly schedule?: (fn: () => void) => void;
}

/**
 * The spectator feed as an external store for React: frames are folded into LiveState as they
 * arrive, but subscribers hear about it at most once per animation frame, so a dozen players
 * streaming at 60 Hz cost one render per frame, not hundreds.
 */
export class LiveStore {
  private snapshot: LiveSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly socket: ReconnectingSocket;
  private pending = false;
  private pruneTimer: ReturnType<typeof setInterval> | null = null;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void) => void;

  constructor(private readonly options: LiveStoreOptions) {
    this.now = options.now ?? Date.now;
    this.schedule =
      options.schedule ??
      ((fn) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => fn()) : setTimeout(fn, 16)));
    this.snapshot = {
      state: INITIAL_LIVE_STATE,
      tiles: Array.from({ length: options.tiles }, () => null),
      connection: 'stopped',
      lastDone: null,
    };
    this.socket = new ReconnectingSocket({
      url: options.url,
      ...(options.connect ? { connect: options.connect } : {}),
      heartbeat: { frame: encodeWatchClientFrame({ type: 'ping' }), intervalMs: 20_000, timeoutMs: 50_000 },
      onOpen: () => {},
      onMessage: (data) => this.receive(data),
      onStatus: (status) => {
        const state = status.state === 'open' ? this.snapshot.state : markUnsynced(this.snapshot.state);
        this.update({ ...this.snapshot, state, connection: status.state });
      },
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LiveSnapshot => this.snapshot;

  start(): void {
    this.socket.start();
    this.pruneTimer = setInterval(() => {
      const state = prune(this.snapshot.state, this.now(), DEFAULT_PRUNE);
      if (state !== this.snapshot.state) this.update({ ...this.snapshot, state });
    }, 500);
  }

  stop(): void {
    this.socket.stop();
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
  }

  private receive(data: Uint8Array): void {
    let frame;
    try {
      frame = decodeWatchFrame(data);
    } catch (err) {
      if (err instanceof ProtocolError) {
        console.warn('drawstream: ignoring a /ws/watch frame:', err.message);
        return;
      }
      throw err;
    }
    const state = applyFrame(this.snapshot.state, frame, this.now());
    const lastDone = frame.type === 'done' ? frame : this.snapshot.lastDone;
    if (state !== this.snapshot.state || lastDone !== this.snapshot.lastDone) {
      this.update({ ...this.snapshot, state, lastDone });
    }
  }

  private update(next: LiveSnapshot): void {
    const tiles = assignTiles(next.tiles, next.state.lives, this.options.tiles);
    this.snapshot = sameTiles(tiles, next.tiles) ? next : { ...next, tiles };
    if (this.pending) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      for (const l of this.listeners) l();
    });
  }
}
