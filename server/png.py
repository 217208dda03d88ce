"""A minimal PNG encoder for 8-bit greyscale images (numpy in, bytes out).

Thumbnails are tiny and greyscale, so the whole format needed is one IHDR, one zlib-compressed
IDAT and IEND; writing it here costs ~20 lines instead of a new dependency (Pillow).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np
import numpy.typing as npt

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_GREY = 0  # PNG colour type: greyscale, one sample per pixel
_FILTER_UP = 2  # each row as the difference from the row above: thumbnails compress ~2x better


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_grey(pixels: npt.NDArray[np.uint8]) -> bytes:
    """PNG bytes of a (height, width) uint8 image, 0 black to 255 white."""
    if pixels.ndim != 2 or pixels.dtype != np.uint8 or 0 in pixels.shape:
        raise ValueError(f"expected a non-empty 2-D uint8 image, got {pixels.dtype} {pixels.shape}")
    height, width = pixels.shape
    up = np.empty_like(pixels)  # (H, W) row minus the row above, modulo 256
    up[0] = pixels[0]
    np.subtract(pixels[1:], pixels[:-1], out=up[1:])
    rows = np.empty((height, width + 1), dtype=np.uint8)  # (H, 1 + W): filter byte + row
    rows[:, 0] = _FILTER_UP
    rows[:, 1:] = up
    header = struct.pack(">IIBBBBB", width, height, 8, _GREY, 0, 0, 0)
    return (
        _SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + _chunk(b"IEND", b"")
    )
