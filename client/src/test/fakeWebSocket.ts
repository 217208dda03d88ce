/**
 * A stand-in for the browser's WebSocket class, for component specs that render a whole page:
 * install it on globalThis, then drive each instance like a server would.
 */

import { encode } from '@msgpack/msgpack';
import { decodeClientFrame, type ClientFrame } from '../protocol';

export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];

  binaryType: 'blob' | 'arraybuffer' = 'blob';
  readyState = FakeWebSocket.CONNECTING;
  readonly sent: Uint8Array[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  static get last(): FakeWebSocket {
    const s = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    if (!s) throw new Error('no WebSocket was opened');
    return s;
  }

  send(data: Uint8Array): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('not open');
    this.sent.push(new Uint8Array(data));
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.readyState = FakeWebSocket.CLOSED;
    queueMicrotask(() => this.onclose?.({ code, reason }));
  }

  // ---- the server's side ----

  open(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.(new Event('open'));
  }

  receive(frame: Record<string, unknown>): void {
    const bytes = encode(frame);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    this.onmessage?.({ data: buffer });
  }

  drop(): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code: 1006, reason: '' });
  }

  frames(): ClientFrame[] {
    return this.sent.map((b) => decodeClientFrame(b));
  }
}
