/**
 * A scripted stand-in for the server end of a WebSocket, for specs of the connection logic.
 * `connect` is a SocketFactory; each socket it made records what the client sent and lets the
 * spec open it, push server frames into it, or drop it.
 */

import { encode } from '@msgpack/msgpack';
import { decodeClientFrame, type ClientFrame } from '../protocol';
import type { SocketFactory, SocketHandle, SocketHandlers } from '../net/socket';

export class FakeSocket implements SocketHandle {
  readonly sent: Uint8Array[] = [];
  closed = false;

  constructor(
    readonly url: string,
    private readonly handlers: SocketHandlers,
  ) {}

  send(data: Uint8Array): void {
    if (this.closed) throw new Error('send on a closed socket');
    this.sent.push(data.slice());
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    // A browser reports the close asynchronously.
    queueMicrotask(() => this.handlers.onClose(code, reason));
  }

  /** The server accepted the connection. */
  open(): void {
    this.handlers.onOpen();
  }

  /** The server sends one frame (an object, encoded here as msgpack). */
  receive(frame: Record<string, unknown>): void {
    this.handlers.onMessage(encode(frame));
  }

  receiveBytes(bytes: Uint8Array): void {
    this.handlers.onMessage(bytes);
  }

  /** The connection is lost (server killed, network gone). */
  drop(code = 1006): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose(code, '');
  }

  /** What the client sent, decoded as /ws/play frames. */
  frames(): ClientFrame[] {
    return this.sent.map((b) => decodeClientFrame(b));
  }

  framesOfType<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.frames().filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type);
  }
}

export class FakeServer {
  readonly sockets: FakeSocket[] = [];

  readonly connect: SocketFactory = (url, handlers) => {
    const socket = new FakeSocket(url, handlers);
    this.sockets.push(socket);
    return socket;
  };

  get last(): FakeSocket {
    const s = this.sockets[this.sockets.length - 1];
    if (!s) throw new Error('no socket was opened');
    return s;
  }
}
