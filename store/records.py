"""The stored form of one accepted drawing.

The same bytes travel the whole path: the server encodes a record once, appends it to the
ingest stream, and the flusher concatenates records unchanged into a shard object. A record
is self-describing msgpack with point arrays as little-endian `bin` blobs, so any record can
be read alone from its byte range and decoded without the rest of the shard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgpack
import numpy as np

from game.strokes import Drawing, Stroke

RECORD_VERSION = 1


class CorruptRecord(ValueError):
    """Raised when stored bytes do not decode to a record."""


@dataclass(frozen=True, slots=True, eq=False)
class StoredDrawing:
    id: str
    session_id: str
    user_id: str
    received_at_ms: int
    quality: float
    drawing: Drawing


def encode_record(s: StoredDrawing) -> bytes:
    d = s.drawing
    packed: bytes = msgpack.packb(
        {
            "v": RECORD_VERSION,
            "id": s.id,
            "sess": s.session_id,
            "user": s.user_id,
            "at": s.received_at_ms,
            "q": s.quality,
            "shape": d.shape_id,
            "cw": d.canvas_width,
            "ch": d.canvas_height,
            "dur": d.duration_ms,
            "dev": d.device,
            "t0": d.started_at_ms,
            "extra": d.extra,
            "s": [
                {
                    "x": st.x.astype("<f4", copy=False).tobytes(),
                    "y": st.y.astype("<f4", copy=False).tobytes(),
                    "t": st.t.astype("<u4", copy=False).tobytes(),
                    "p": st.p.astype("<f4", copy=False).tobytes(),
                    "c": st.color,
                    "w": st.width,
                }
                for st in d.strokes
            ],
        },
        use_bin_type=True,
    )
    return packed


def _stroke(raw: dict[str, Any]) -> Stroke:
    return Stroke(
        np.frombuffer(raw["x"], dtype="<f4"),
        np.frombuffer(raw["y"], dtype="<f4"),
        np.frombuffer(raw["t"], dtype="<u4"),
        np.frombuffer(raw["p"], dtype="<f4"),
        raw["c"],
        float(raw["w"]),
    )


def decode_record(blob: bytes | memoryview) -> StoredDrawing:
    try:
        raw = msgpack.unpackb(blob, raw=False)
        if raw.get("v") != RECORD_VERSION:
            raise CorruptRecord(f"unsupported record version {raw.get('v')!r}")
        drawing = Drawing(
            shape_id=raw["shape"],
            strokes=tuple(_stroke(s) for s in raw["s"]),
            canvas_width=raw["cw"],
            canvas_height=raw["ch"],
            duration_ms=raw["dur"],
            device=raw["dev"],
            started_at_ms=raw["t0"],
            extra=raw["extra"],
        )
        return StoredDrawing(
            raw["id"], raw["sess"], raw["user"], raw["at"], float(raw["q"]), drawing
        )
    except CorruptRecord:
        raise
    except (ValueError, KeyError, TypeError, msgpack.UnpackException) as exc:
        raise CorruptRecord(f"record does not decode: {exc}") from exc


def iter_shard(blob: bytes) -> list[tuple[int, int, StoredDrawing]]:
    """Every record of a whole shard as (offset, length, record), in order."""
    out: list[tuple[int, int, StoredDrawing]] = []
    unpacker = msgpack.Unpacker(raw=False)
    unpacker.feed(blob)
    offset = 0
    for _ in unpacker:
        end = unpacker.tell()
        out.append((offset, end - offset, decode_record(blob[offset:end])))
        offset = end
    return out
