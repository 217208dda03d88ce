"""The stored record format and the Quick, Draw! layouts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from game.quickdraw import from_simplified, to_raw
from game.validation import validate_drawing
from store.records import CorruptRecord, StoredDrawing, decode_record, encode_record, iter_shard
from tests.fixtures import circle_drawing, two_strokes

QUICKDRAW = Path(__file__).resolve().parents[2] / "shared" / "quickdraw-dev"


def _stored(i: int) -> StoredDrawing:
    d = two_strokes(seed=i) if i % 2 else circle_drawing(seed=i)
    return StoredDrawing(f"id-{i}", "sess-0001", "user-1", 1_700_000_000_000 + i, 0.5, d)


def test_record_round_trips_exactly() -> None:
    s = _stored(1)
    back = decode_record(encode_record(s))
    assert (back.id, back.session_id, back.user_id, back.received_at_ms, back.quality) == (
        s.id,
        s.session_id,
        s.user_id,
        s.received_at_ms,
        s.quality,
    )
    assert back.drawing.same_strokes_as(s.drawing)
    assert back.drawing.strokes[1].color == "#ff0000"


def test_each_record_of_a_shard_reads_alone() -> None:
    blobs = [encode_record(_stored(i)) for i in range(5)]
    shard = b"".join(blobs)
    parts = iter_shard(shard)
    assert [length for _, length, _ in parts] == [len(b) for b in blobs]
    for offset, length, rec in parts:
        alone = decode_record(shard[offset : offset + length])
        assert alone.id == rec.id and alone.drawing.same_strokes_as(rec.drawing)


@pytest.mark.parametrize("blob", [b"", b"\x93\x01\x02", b"\x81\xa1v\x07", b"\xc1"])
def test_corrupt_bytes_raise_typed_error(blob: bytes) -> None:
    with pytest.raises(CorruptRecord):
        decode_record(blob)


def test_raw_export_numbers_read_back_as_the_stored_float32() -> None:
    d = circle_drawing(seed=7)
    raw = json.loads(json.dumps(to_raw("abc", d)))
    xs, ys, ts = raw["drawing"][0]
    assert np.array_equal(np.array(xs, dtype=np.float32), d.strokes[0].x)
    assert np.array_equal(np.array(ys, dtype=np.float32), d.strokes[0].y)
    assert ts == d.strokes[0].t.tolist()
    assert raw["word"] == "circle" and raw["key_id"] == "abc"


def test_public_sample_converts_to_valid_drawings() -> None:
    lines = [
        json.loads(line)
        for f in sorted(QUICKDRAW.glob("*.ndjson"))
        for line in f.read_text().splitlines()
    ]
    assert len(lines) == 100
    for obj in lines:
        validate_drawing(from_simplified(obj))
