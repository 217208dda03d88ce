import {
  decodeServerFrame,
  encodeClientFrame,
  ProtocolError,
  type AckFrame,
  type ClientFrame,
  type Device,
  type ErrorFrame,
  type GuessFrame,
  type PointArrays,
  type WelcomeFrame,
} from '../protocol';
import type { OutboxEntry, OutboxStore } from '../outbox/outbox';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { ReconnectingSocket, type ConnectionStatus } from './reconnectingSocket';
import type { SocketFactory } from './socket';

export type PlayEvent =
  | { readonly type: 'status'; readonly status: ConnectionStatus; readonly ready: boolean }
  | { readonly type: 'welcome'; readonly frame: WelcomeFrame; readonly resumed: boolean }
  /** `entry` is undefined when the key was no longer in the outbox (a repeated ack). */
  | { readonly type: 'ack'; readonly frame: AckFrame; readonly entry: OutboxEntry | undefined }
  /** The server will never accept this drawing; it was removed from the outbox. */
  | { readonly type: 'rejected'; readonly error: ErrorFrame; readonly entry: OutboxEntry | undefined }
  /** The server could not take it now; it stays in the outbox and is sent again later. */
  | { readonly type: 'deferred'; readonly error: ErrorFrame; readonly retryInMs: number | null }
  /** No ack came in time; the connection is being renewed (which resends the outbox). */
  | { readonly type: 'ack-timeout'; readonly key: string }
  | { readonly type: 'guess'; readonly frame: GuessFrame }
  | { readonly type: 'error'; readonly frame: ErrorFrame }
  | { readonly type: 'outbox'; readonly count: number };

/** The few key-value calls we need from sessionStorage. */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

export interface PlaySessionOptions {
  readonly url: string;
  readonly outbox: OutboxStore;
  readonly userId: string;
  /** Where the session id is kept so a reload resumes the session (sessionStorage). */
  readonly storage: KeyValueStore;
  /** The device to announce in `hello` (the last pointer type used). */
  readonly device: () => Device;
  readonly onEvent: (event: PlayEvent) => void;
  /**
   * Called on every `welcome`, before the outbox is resent: the caller replays the drawing in
   * progress so the server's copy (live guess, spectators) matches the screen again.
   */
  readonly onReady?: (session: PlaySession, resumed: boolean) => void;
  readonly connect?: SocketFactory;
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
  readonly ackTimeoutMs?: number;
  readonly heartbeatMs?: number;
  readonly onlineEvents?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
}

const SESSION_KEY = 'drawstream.session';

/** Refusals that no retry can fix: the drawing itself is outside the rules. */
const PERMANENT = new Set(['invalid_drawing', 'too_large']);

/** Retries of a drawing the server deferred (`unavailable`, `rate_limited`). */
const RETRY_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 60_000, factor: 2 };

export function submitFrame(entry: OutboxEntry): ClientFrame {
  return {
    type: 'submit',
    key: entry.key,
    shape: entry.shape,
    canvas: entry.canvas,
    duration_ms: entry.durationMs,
    started_at: entry.startedAt,
    // The session's device is the one announced in `hello` (the last pointer used before it
    // opened); a hybrid device may draw this one with another, and the dataset records which.
    device: entry.device,
    // Always the full drawing, not "what was streamed": streamed batches can be lost to a
    // reconnect or a dropped frame, and the outbox copy is the one the player saw.
    strokes: entry.strokes,
  };
}

/**
 * One player's conversation with /ws/play: `hello` on every (re)connection, resuming the
 * previous session; streaming of the drawing in progress; submits through the outbox, which
 * is resent whole after every `welcome` and emptied only by acks.
 *
 * States: not ready (connecting, waiting to retry, or open before `welcome`) and ready. Only
 * a ready session sends drawing frames; submits made while not ready wait in the outbox.
 */
export class PlaySession {
  private readonly socket: ReconnectingSocket;
  private ready = false;
  private sessionId: string | null;
  /** Keys sent on this connection and not yet answered. */
  private readonly inFlight = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly retries = new Map<string, { attempt: number; timer: ReturnType<typeof setTimeout> | null }>();
  private stopped = false;

  constructor(private readonly options: PlaySessionOptions) {
    this.sessionId = options.storage.getItem(SESSION_KEY);
    const heartbeatMs = options.heartbeatMs ?? 20_000;
    this.socket = new ReconnectingSocket({
      url: options.url,
      ...(options.connect ? { connect: options.connect } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.onlineEvents !== undefined ? { onlineEvents: options.onlineEvents } : {}),
      heartbeat: {
        frame: encodeClientFrame({ type: 'ping' }),
        intervalMs: heartbeatMs,
        timeoutMs: heartbeatMs * 2.5,
      },
      onOpen: () => this.hello(),
      onMessage: (data) => this.receive(data),
      onStatus: (status) => this.onStatus(status),
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  get session(): string | null {
    return this.sessionId;
  }

  start(): void {
    this.stopped = false;
    this.socket.start();
    void this.reportOutbox();
  }

  stop(): void {
    this.stopped = true;
    this.socket.stop();
    this.forgetConnection();
  }

  // ---- the drawing in progress ---------------------------------------------------------------

  sendPoints(stroke: number, points: PointArrays, style?: { color: string; width: number }): boolean {
    return this.send({ type: 'points', stroke, ...points, ...(style ?? {}) });
  }

  sendEnd(stroke: number): boolean {
    return this.send({ type: 'end', stroke });
  }

  sendUndo(): boolean {
    return this.send({ type: 'undo' });
  }

  sendClear(): boolean {
    return this.send({ type: 'clear' });
  }

  // ---- submitting ----------------------------------------------------------------------------

  /**
   * Stores the drawing in the outbox, then sends it if connected. Resolves once it is safe on
   * disk (whether or not it could be sent yet); rejects only if the outbox write failed.
   */
  async submit(entry: OutboxEntry): Promise<{ sent: boolean }> {
    const stamped: OutboxEntry = this.sessionId ? { ...entry, session: this.sessionId } : entry;
    await this.options.outbox.put(stamped);
    await this.reportOutbox();
    return { sent: this.sendSubmit(stamped) };
  }

  /** The player asked to retry: resend what waits now, or reconnect now if disconnected. */
  retryNow(): void {
    if (this.ready) {
      for (const r of this.retries.values()) if (r.timer) clearTimeout(r.timer);
      this.retries.clear();
      void this.flushOutbox(true);
    } else {
      this.socket.reconnectNow();
    }
  }

  // ---- connection ----------------------------------------------------------------------------

  private send(frame: ClientFrame): boolean {
    if (!this.ready) return false;
    return this.socket.send(encodeClientFrame(frame));
  }

  private hello(): void {
    this.socket.send(
      encodeClientFrame({
        type: 'hello',
        device: this.options.device(),
        user: this.options.userId,
        ...(this.sessionId ? { session: this.sessionId } : {}),
      }),
    );
  }

  private onStatus(status: ConnectionStatus): void {
    if (status.state !== 'open') this.forgetConnection();
    this.options.onEvent({ type: 'status', status, ready: this.ready });
  }

  /** What was in flight on a lost connection is resent after the next `welcome`. */
  private forgetConnection(): void {
    this.ready = false;
    for (const timer of this.inFlight.values()) clearTimeout(timer);
    this.inFlight.clear();
    for (const r of this.retries.values()) if (r.timer) clearTimeout(r.timer);
    for (const r of this.retries.values()) r.timer = null;
  }

  private receive(data: Uint8Array): void {
    let frame;
    try {
      frame = decodeServerFrame(data);
    } catch (err) {
      if (err instanceof ProtocolError) {
        console.warn('drawstream: ignoring a frame the protocol does not define:', err.message);
        return;
      }
      throw err;
    }
    switch (frame.type) {
      case 'welcome':
        return this.onWelcome(frame);
      case 'ack':
        void this.onAck(frame);
        return;
      case 'error':
        void this.onError(frame);
        return;
      case 'guess':
        this.options.onEvent({ type: 'guess', frame });
        return;
      case 'pong':
        return;
    }
  }

  private onWelcome(frame: WelcomeFrame): void {
    const resumed = this.sessionId === frame.session;
    this.sessionId = frame.session;
    this.options.storage.setItem(SESSION_KEY, frame.session);
    this.ready = true;
    this.options.onEvent({ type: 'status', status: { state: 'open', attempt: 0 }, ready: true });
    this.options.onEvent({ type: 'welcome', frame, resumed });
    this.options.onReady?.(this, resumed);
    void this.flushOutbox(false);
  }

  private async onAck(frame: AckFrame): Promise<void> {
    this.settle(frame.key);
    const entry = await this.options.outbox.get(frame.key);
    const removed = await this.options.outbox.delete(frame.key);
    this.options.onEvent({ type: 'ack', frame, entry: removed ? entry : undefined });
    await this.reportOutbox();
  }

  private async onError(frame: ErrorFrame): Promise<void> {
    if (frame.key === undefined) {
      // The server lost our session (e.g. it expired): start over with a fresh hello.
      if (frame.code === 'no_session') this.socket.restart();
      this.options.onEvent({ type: 'error', frame });
      return;
    }
    const key = frame.key;
    this.settle(key);
    if (PERMANENT.has(frame.code)) {
      const entry = await this.options.outbox.get(key);
      await this.options.outbox.delete(key);
      this.options.onEvent({ type: 'rejected', error: frame, entry });
      await this.reportOutbox();
      return;
    }
    if (frame.code === 'unavailable' || frame.code === 'rate_limited') {
      const retry = this.retries.get(key) ?? { attempt: 0, timer: null };
      const delay = backoffDelay(retry.attempt, RETRY_BACKOFF, this.options.random);
      retry.attempt++;
      retry.timer = setTimeout(() => {
        retry.timer = null;
        void this.resend(key);
      }, delay);
      this.retries.set(key, retry);
      this.options.onEvent({ type: 'deferred', error: frame, retryInMs: delay });
      return;
    }
    // Anything else (bad_frame, an unknown code): keep the drawing and try again on the next
    // connection rather than loop on a frame this server refuses.
    this.options.onEvent({ type: 'deferred', error: frame, retryInMs: null });
  }

  private settle(key: string): void {
    const timer = this.inFlight.get(key);
    if (timer) clearTimeout(timer);
    this.inFlight.delete(key);
    const retry = this.retries.get(key);
    if (retry?.timer) clearTimeout(retry.timer);
    this.retries.delete(key);
  }

  private async resend(key: string): Promise<void> {
    const entry = await this.options.outbox.get(key);
    if (entry) this.sendSubmit(entry);
  }

  private sendSubmit(entry: OutboxEntry): boolean {
    if (!this.ready || this.inFlight.has(entry.key)) return false;
    if (!this.socket.send(encodeClientFrame(submitFrame(entry)))) return false;
    const timeout = this.options.ackTimeoutMs ?? 20_000;
    this.inFlight.set(
      entry.key,
      setTimeout(() => {
        this.inFlight.delete(entry.key);
        this.options.onEvent({ type: 'ack-timeout', key: entry.key });
        this.socket.restart();
      }, timeout),
    );
    return true;
  }

  /**
   * Sends every waiting drawing, oldest first. Deferred ones wait for their own timer unless
   * `includeDeferred` (the player pressed Retry).
   */
  private async flushOutbox(includeDeferred: boolean): Promise<void> {
    const entries = await this.options.outbox.list();
    for (const entry of entries) {
      if (!includeDeferred && this.retries.get(entry.key)?.timer) continue;
      this.sendSubmit(entry);
    }
  }

  private async reportOutbox(): Promise<void> {
    if (this.stopped) return;
    this.options.onEvent({ type: 'outbox', count: await this.options.outbox.count() });
  }
}
