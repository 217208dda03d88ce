"""Quick, Draw! layouts: the raw export format, and the simplified format of the public
dataset (used to evaluate models and shape test data, never to train)."""

from __future__ import annotations

from typing import Any

import numpy as np

from game.shapes import shape_by_id, shape_by_name
from game.strokes import Drawing, make_stroke


def _numbers(arr: np.ndarray) -> list[float | int]:
    """Shortest decimal that reads back as the same float32, so export is exact and small."""
    if arr.dtype.kind == "u":
        return [int(v) for v in arr.tolist()]
    return [int(f) if f.is_integer() else f for f in (float(str(v)) for v in arr)]


def to_raw(drawing_id: str, d: Drawing) -> dict[str, Any]:
    return {
        "key_id": drawing_id,
        "word": shape_by_id(d.shape_id).name,
        "countrycode": "",
        "timestamp": d.started_at_ms,
        "recognized": None,
        "drawing": [[_numbers(s.x), _numbers(s.y), _numbers(s.t)] for s in d.strokes],
    }


def from_simplified(obj: dict[str, Any], canvas: int = 256) -> Drawing:
    """A drawing of the public simplified dataset (0-255, no timing: 10 ms per point)."""
    strokes = []
    clock = 0
    for xs, ys in (stroke[:2] for stroke in obj["drawing"]):
        t = np.arange(clock, clock + 10 * len(xs), 10)
        clock = int(t[-1]) + 100 if len(t) else clock
        strokes.append(make_stroke(xs, ys, t))
    return Drawing(
        shape_id=shape_by_name(obj["word"]).id,
        strokes=tuple(strokes),
        canvas_width=canvas,
        canvas_height=canvas,
        duration_ms=clock,
        device="unknown",
    )
