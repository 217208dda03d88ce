"""A lean WebSocket client for load generation: a raw asyncio protocol and pre-built frames.

The `websockets` client spends a few hundred microseconds of CPU per message sent and
received; 500 sessions at 5 updates/s then take most of a core on a 2-core machine, and the
benchmark measures its own client. This one writes frames built once per run and parses only
what a server sends (unmasked, unfragmented binary frames, ping, close): a few microseconds
per message. Client frames are masked, as RFC 6455 requires, with one key per run; a test
client is not a browser, and a server cannot tell the difference.
"""

from __future__ import annotations

import asyncio
import base64
import os
import struct
from collections.abc import Callable
from typing import cast
from urllib.parse import urlparse

_BINARY, _CLOSE, _PING, _PONG = 0x2, 0x8, 0x9, 0xA


def _nothing() -> None:
    pass


class HandshakeFailed(ConnectionError):
    """Raised when the server answers the upgrade with anything but 101."""


def client_frame(payload: bytes, key: bytes, opcode: int = _BINARY) -> bytes:
    """One final, masked client frame carrying `payload`."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    repeated = (key * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(n, "big")
    return head + key + masked


class WsConnection(asyncio.Protocol):
    """One client connection; `on_message(payload)` for every binary frame received."""

    def __init__(
        self,
        request: bytes,
        key: bytes,
        on_message: Callable[[bytes], None],
        on_close: Callable[[], None],
    ) -> None:
        self._request = request
        self._key = key
        self._on_message = on_message
        self._on_close = on_close
        self._buffer = bytearray()
        self._upgraded = False
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.transport.write(self._request)

    def send(self, frame: bytes) -> None:
        """Write a frame made by `client_frame` (with this run's key)."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(frame)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if not self._upgraded:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self._buffer[9:12])
            del self._buffer[: end + 4]
            if status != b"101":
                self.opened.set_exception(HandshakeFailed(f"upgrade answered {status!r}"))
                self.close()
                return
            self._upgraded = True
            self.opened.set_result(None)
        self._frames()

    def _frames(self) -> None:
        buf = self._buffer
        while len(buf) >= 2:
            opcode, n = buf[0] & 0x0F, buf[1] & 0x7F
            at = 2
            if n == 126:
                if len(buf) < 4:
                    return
                n, at = struct.unpack_from("!H", buf, 2)[0], 4
            elif n == 127:
                if len(buf) < 10:
                    return
                n, at = struct.unpack_from("!Q", buf, 2)[0], 10
            if len(buf) < at + n:
                return
            payload = bytes(buf[at : at + n])
            del buf[: at + n]
            if opcode == _BINARY:
                self._on_message(payload)
            elif opcode == _PING:
                self.send(client_frame(payload, self._key, _PONG))
            elif opcode == _CLOSE:
                self.close()
                return

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed during the upgrade"))
        if not self.closed.done():
            self.closed.set_result(None)
            self._on_close()


class Inbox:
    """Received frames in order, for a client that waits for answers (`await recv()`)."""

    def __init__(self) -> None:
        self._frames: asyncio.Queue[bytes | None] = asyncio.Queue()

    def put(self, payload: bytes) -> None:
        self._frames.put_nowait(payload)

    def closed(self) -> None:
        self._frames.put_nowait(None)

    async def recv(self) -> bytes:
        payload = await self._frames.get()
        if payload is None:
            raise ConnectionError("closed by the server")
        return payload


def _upgrade_request(host: str, port: int, path: str) -> bytes:
    nonce = base64.b64encode(os.urandom(16)).decode()
    return (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {nonce}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()


async def connect(
    url: str,
    key: bytes,
    on_message: Callable[[bytes], None],
    on_close: Callable[[], None] = _nothing,
) -> WsConnection:
    """An open connection to a ws:// `url`, frames masked with `key` (4 bytes)."""
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    request = _upgrade_request(host, port, parsed.path or "/")
    _, conn = await asyncio.get_running_loop().create_connection(
        lambda: WsConnection(request, key, on_message, on_close), host, port
    )
    await conn.opened
    return conn
