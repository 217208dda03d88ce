"""The stroke model shared by ingestion, storage, training and serving.

Points are kept as numpy arrays (float32 coordinates and pressure, uint32 milliseconds since
the drawing began) because that is what the wire carries and what the rasteriser consumes:
one representation end to end, so nothing is converted twice. float32 is the stored
precision: a coordinate survives submit -> storage -> export exactly as a float32.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
U32 = npt.NDArray[np.uint32]

DEVICES: tuple[str, ...] = ("mouse", "touch", "pen", "synthetic", "generated", "unknown")


@dataclass(frozen=True, slots=True, eq=False)
class Stroke:
    x: F32
    y: F32
    t: U32
    p: F32
    color: str = "#1e1e1e"
    width: float = 3.0

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def same_as(self, other: Stroke) -> bool:
        """Exact equality of every stored value (used by round-trip checks)."""
        return (
            np.array_equal(self.x, other.x)
            and np.array_equal(self.y, other.y)
            and np.array_equal(self.t, other.t)
            and np.array_equal(self.p, other.p)
            and self.color == other.color
            and self.width == other.width
        )


@dataclass(frozen=True, slots=True, eq=False)
class Drawing:
    shape_id: int
    strokes: tuple[Stroke, ...]
    canvas_width: int
    canvas_height: int
    duration_ms: int
    device: str
    # Wall-clock start of the drawing, ms since the epoch; point times are offsets from it.
    started_at_ms: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def point_count(self) -> int:
        return sum(len(s) for s in self.strokes)

    def same_strokes_as(self, other: Drawing) -> bool:
        return len(self.strokes) == len(other.strokes) and all(
            a.same_as(b) for a, b in zip(self.strokes, other.strokes, strict=True)
        )


def make_stroke(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    t: npt.ArrayLike,
    p: npt.ArrayLike | None = None,
    color: str = "#1e1e1e",
    width: float = 3.0,
) -> Stroke:
    """Build a stroke from anything array-like; pressure defaults to 0.5 (mouse)."""
    xs = np.ascontiguousarray(x, dtype=np.float32)
    ys = np.ascontiguousarray(y, dtype=np.float32)
    ts = np.ascontiguousarray(t, dtype=np.uint32)
    ps = (
        np.full(xs.shape, 0.5, dtype=np.float32)
        if p is None
        else np.ascontiguousarray(p, dtype=np.float32)
    )
    return Stroke(xs, ys, ts, ps, color, float(width))
