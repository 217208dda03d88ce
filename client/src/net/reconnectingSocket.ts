import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { browserSocket, type SocketFactory, type SocketHandle } from './socket';

export type ConnectionState = 'connecting' | 'open' | 'waiting' | 'stopped';

export interface ConnectionStatus {
  readonly state: ConnectionState;
  /** Failed attempts since the server last spoke to us. */
  readonly attempt: number;
  /** While waiting: when the next attempt starts (Date.now() time). */
  readonly retryAt?: number;
}

export interface Heartbeat {
  /** The encoded ping frame. */
  readonly frame: Uint8Array;
  readonly intervalMs: number;
  /** Silence longer than this means the connection is dead, even if no close event came. */
  readonly timeoutMs: number;
}

export interface ReconnectingSocketOptions {
  readonly url: string;
  readonly connect?: SocketFactory;
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly heartbeat?: Heartbeat;
  /** A socket that has not opened after this long is abandoned and retried. */
  readonly connectTimeoutMs?: number;
  /** Where the browser's `online` event is heard (window); null in tests. */
  readonly onlineEvents?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
  readonly onOpen: () => void;
  readonly onMessage: (data: Uint8Array) => void;
  readonly onStatus?: (status: ConnectionStatus) => void;
}

/**
 * A WebSocket that keeps itself connected: reconnects after any loss with capped, jittered
 * exponential backoff, detects dead connections with a heartbeat, and retries at once when the
 * browser comes back online. It knows nothing of the frames it carries.
 *
 * The backoff resets when the server first speaks on a new connection, not when it opens: a
 * server that accepts and immediately drops us must not be hammered.
 */
export class ReconnectingSocket {
  private socket: SocketHandle | null = null;
  /** Bumped for each socket; events from an older socket are ignored. */
  private generation = 0;
  private attempt = 0;
  private status: ConnectionStatus = { state: 'stopped', attempt: 0 };
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private readonly now: () => number;
  private readonly onOnline = () => this.reconnectNow();

  constructor(private readonly options: ReconnectingSocketOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): ConnectionState {
    return this.status.state;
  }

  get isOpen(): boolean {
    return this.status.state === 'open';
  }

  start(): void {
    if (this.status.state !== 'stopped') return;
    this.onlineEvents()?.addEventListener('online', this.onOnline);
    this.connect();
  }

  stop(): void {
    this.onlineEvents()?.removeEventListener('online', this.onOnline);
    this.clearTimers();
    this.generation++;
    this.socket?.close(1000, 'bye');
    this.socket = null;
    this.setStatus({ state: 'stopped', attempt: this.attempt });
  }

  /** Sends if connected; returns false (and drops the frame) otherwise. */
  send(data: Uint8Array): boolean {
    if (this.status.state !== 'open' || !this.socket) return false;
    try {
      this.socket.send(data);
      return true;
    } catch {
      return false;
    }
  }

  /** While waiting for a retry, retry now (the user pressed Retry, or the network came back). */
  reconnectNow(): void {
    if (this.status.state !== 'waiting') return;
    this.clearTimers();
    this.connect();
  }

  /** Drops the current connection, whatever its state, and connects afresh at once. */
  restart(): void {
    if (this.status.state === 'stopped') return;
    this.clearTimers();
    this.generation++;
    this.socket?.close(4000, 'restart');
    this.socket = null;
    this.connect();
  }

  private onlineEvents() {
    if (this.options.onlineEvents !== undefined) return this.options.onlineEvents;
    return typeof window === 'undefined' ? null : window;
  }

  private connect(): void {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    this.setStatus({ state: 'connecting', attempt: this.attempt });
    const connect = this.options.connect ?? browserSocket;
    try {
      this.socket = connect(this.options.url, {
        onOpen: () => current() && this.handleOpen(),
        onMessage: (data) => current() && this.handleMessage(data),
        onClose: () => current() && this.handleClose(),
      });
    } catch {
      // e.g. a malformed URL: treat like a refused connection and keep trying.
      this.handleClose();
      return;
    }
    const timeout = this.options.connectTimeoutMs ?? 10_000;
    this.connectTimer = setTimeout(() => {
      if (current() && this.status.state === 'connecting') this.abandon();
    }, timeout);
  }

  private handleOpen(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.lastHeard = this.now();
    this.setStatus({ state: 'open', attempt: this.attempt });
    this.startHeartbeat();
    this.options.onOpen();
  }

  private handleMessage(data: Uint8Array): void {
    this.lastHeard = this.now();
    if (this.attempt !== 0) {
      this.attempt = 0;
      this.setStatus({ state: this.status.state, attempt: 0 });
    }
    this.options.onMessage(data);
  }

  private handleClose(): void {
    this.clearTimers();
    this.socket = null;
    this.generation++;
    const delay = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.attempt++;
    this.setStatus({ state: 'waiting', attempt: this.attempt, retryAt: this.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  /** Gives up on the current socket without waiting for its close event (it may never come). */
  private abandon(): void {
    const socket = this.socket;
    this.handleClose();
    try {
      socket?.close(4001, 'timeout');
    } catch {
      // already closed
    }
  }

  private startHeartbeat(): void {
    const hb = this.options.heartbeat;
    if (!hb) return;
    this.heartbeatTimer = setInterval(() => {
      if (this.now() - this.lastHeard > hb.timeoutMs) {
        this.abandon();
        return;
      }
      this.send(hb.frame);
    }, hb.intervalMs);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.retryTimer = this.connectTimer = this.heartbeatTimer = null;
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.options.onStatus?.(status);
  }
}
