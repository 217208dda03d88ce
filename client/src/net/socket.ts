/**
 * The one place that touches the browser's WebSocket. Everything above it talks to a
 * SocketHandle, so connection logic is tested with a fake (test/fakeSocket.ts).
 */

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: Uint8Array): void;
  onClose(code: number, reason: string): void;
}

export interface SocketHandle {
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketHandle;

/** Opens a real WebSocket that delivers binary messages as bytes. */
export const browserSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (ev: MessageEvent) => {
    // Both protocols are binary only; a text message is not ours to interpret.
    if (ev.data instanceof ArrayBuffer) handlers.onMessage(new Uint8Array(ev.data));
  };
  // 'error' is always followed by 'close', which carries the useful information.
  ws.onclose = (ev: CloseEvent) => handlers.onClose(ev.code, ev.reason);
  return {
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
  };
};

/** ws:// or wss:// for a path on the page's own origin. */
export function socketUrl(path: string, location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}
