"""Realistic load drawings, shaped on the real Quick, Draw! sample.

The public sample is simplified (few points, no timing), so each stroke is resampled to what a
browser sends while a person draws: a point per animation frame (16 ms) at a hand speed of
about 400 px/s on a 400 px canvas, 150 ms of pen-up between strokes.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from game.quickdraw import from_simplified
from game.strokes import Drawing, Stroke, make_stroke

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "shared" / "quickdraw-dev"
CANVAS = 400
FRAME_MS = 16
SPEED_PX_PER_MS = 0.4
PEN_UP_MS = 150


def _resample(s: Stroke, scale: float, clock: int) -> tuple[Stroke, int]:
    x = s.x.astype(np.float64) * scale + 40
    y = s.y.astype(np.float64) * scale + 40
    seg = np.hypot(np.diff(x), np.diff(y))
    along = np.concatenate([[0.0], np.cumsum(seg)])
    step = SPEED_PX_PER_MS * FRAME_MS
    n = max(2, int(along[-1] / step) + 1)
    at = np.linspace(0.0, along[-1], n)
    t = clock + np.arange(n) * FRAME_MS
    pressure = 0.5 + 0.1 * np.sin(np.linspace(0, np.pi, n))
    out = make_stroke(np.interp(at, along, x), np.interp(at, along, y), t, pressure)
    return out, int(t[-1]) + PEN_UP_MS


def load_drawings(directory: Path = SAMPLE_DIR) -> list[Drawing]:
    drawings = []
    scale = (CANVAS - 80) / 256
    for path in sorted(directory.glob("*.ndjson")):
        for line in path.read_text().splitlines():
            simplified = from_simplified(json.loads(line))
            clock = 0
            strokes = []
            for s in simplified.strokes:
                resampled, clock = _resample(s, scale, clock)
                strokes.append(resampled)
            drawings.append(
                Drawing(
                    simplified.shape_id, tuple(strokes), CANVAS, CANVAS, clock - PEN_UP_MS, "mouse"
                )
            )
    return drawings
