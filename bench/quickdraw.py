"""The Quick, Draw! development sample (../shared/quickdraw-dev) as Drawstream drawings.

Evaluation only: these real human drawings measure how a model trained on synthetic data
does on people's drawings; training on them would make that number meaningless.
"""

from __future__ import annotations

import json
from pathlib import Path

from game.shapes import shape_by_name
from game.strokes import Drawing, make_stroke

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "quickdraw-dev"
# The simplified format has no timing; points get a steady 10 ms apart across the drawing.
POINT_INTERVAL_MS = 10
CANVAS = 256  # coordinates are 0-255 after Quick, Draw!'s own normalisation


def load(directory: Path = DEFAULT_DIR) -> list[tuple[str, Drawing]]:
    """(key_id, drawing) for every line of every `<shape>.ndjson` in `directory`."""
    out: list[tuple[str, Drawing]] = []
    for path in sorted(directory.glob("*.ndjson")):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            shape = shape_by_name(row["word"])
            strokes = []
            index = 0
            for xs, ys in row["drawing"]:
                t = [(index + i) * POINT_INTERVAL_MS for i in range(len(xs))]
                index += len(xs)
                strokes.append(make_stroke(xs, ys, t))
            drawing = Drawing(
                shape_id=shape.id,
                strokes=tuple(strokes),
                canvas_width=CANVAS,
                canvas_height=CANVAS,
                duration_ms=index * POINT_INTERVAL_MS,
                device="unknown",
            )
            out.append((str(row["key_id"]), drawing))
    return out
