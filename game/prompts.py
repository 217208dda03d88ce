"""Which shape to ask for next.

Balanced classes make better training data, so the next prompt is the shape this session has
drawn least, never the one just drawn when another is available; ties are broken by the
random draw passed in (so tests fix it).
"""

from __future__ import annotations

from collections.abc import Mapping

from game.shapes import SHAPES, Shape


def next_prompt(drawn: Mapping[int, int], previous: int | None, roll: float) -> Shape:
    """`drawn`: shape id -> drawings this session; `roll`: a uniform number in [0, 1)."""
    candidates = [s for s in SHAPES if s.id != previous] or list(SHAPES)
    fewest = min(drawn.get(s.id, 0) for s in candidates)
    pool = [s for s in candidates if drawn.get(s.id, 0) == fewest]
    return pool[min(int(roll * len(pool)), len(pool) - 1)]
