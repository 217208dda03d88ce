"""A cheap quality heuristic computed at submit time, before any model exists.

It scores how plausible a drawing is as a deliberate attempt, not whether it is the right
shape: tiny dots, a single tap, a drawing scrawled in 50 ms or one made of hundreds of
fragments score low. Admins can override the score; training filters on it.
"""

from __future__ import annotations

import numpy as np

from game.strokes import Drawing

# Expected stroke counts per shape id: beyond these the drawing is probably a scribble.
_MAX_NATURAL_STROKES = {1: 2, 2: 3, 3: 5, 4: 4, 5: 4}


def _clip01(v: float) -> float:
    return float(min(1.0, max(0.0, v)))


def quality_score(d: Drawing) -> float:
    xs = np.concatenate([s.x for s in d.strokes])
    ys = np.concatenate([s.y for s in d.strokes])
    extent = float(max(xs.max() - xs.min(), ys.max() - ys.min()))
    side = float(min(d.canvas_width, d.canvas_height))
    size = _clip01(extent / (0.15 * side))
    points = _clip01(d.point_count / 8.0)
    pace = _clip01(d.duration_ms / 300.0) if d.duration_ms else 0.5
    natural = _MAX_NATURAL_STROKES.get(d.shape_id, 4)
    extra = max(0, len(d.strokes) - natural)
    strokes = _clip01(1.0 - extra / (2.0 * natural))
    score = size * 0.4 + points * 0.2 + pace * 0.2 + strokes * 0.2
    return round(score, 4)
