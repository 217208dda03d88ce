"""The drawing in progress on one play socket: point batches appended stroke by stroke.

Bounded by the limits, so a client streaming forever cannot grow server memory; chunks are
kept as received and concatenated once, at submit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from game.errors import FieldError, InvalidFrame
from game.limits import Limits
from game.strokes import F32, U32, Stroke


class TooLarge(InvalidFrame):
    code = "too_large"


@dataclass(slots=True)
class _Open:
    xs: list[F32] = field(default_factory=list)
    ys: list[F32] = field(default_factory=list)
    ts: list[U32] = field(default_factory=list)
    ps: list[F32] = field(default_factory=list)
    color: str = "#1e1e1e"
    width: float = 3.0
    count: int = 0


class Sketch:
    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self._strokes: list[_Open] = []
        self._points = 0

    @property
    def stroke_count(self) -> int:
        return len(self._strokes)

    @property
    def point_count(self) -> int:
        return self._points

    def add(
        self,
        stroke: int,
        x: F32,
        y: F32,
        t: U32,
        p: F32,
        color: str | None = None,
        width: float | None = None,
    ) -> None:
        if stroke == len(self._strokes):
            if stroke >= self._limits.max_strokes:
                raise TooLarge("too many strokes", [FieldError("stroke", "over the limit")])
            self._strokes.append(_Open())
        elif not 0 <= stroke < len(self._strokes):
            raise InvalidFrame(
                "stroke index out of order",
                [FieldError("stroke", f"expected at most {len(self._strokes)}")],
            )
        s = self._strokes[stroke]
        n = len(x)
        if s.count + n > self._limits.max_points_per_stroke or (
            self._points + n > self._limits.max_points
        ):
            raise TooLarge("too many points", [FieldError("x", "over the point limit")])
        s.xs.append(x)
        s.ys.append(y)
        s.ts.append(t)
        s.ps.append(p)
        s.count += n
        self._points += n
        if color is not None:
            s.color = color
        if width is not None:
            s.width = width

    def undo(self) -> None:
        if self._strokes:
            self._points -= self._strokes.pop().count

    def clear(self) -> None:
        self._strokes.clear()
        self._points = 0

    def strokes(self) -> tuple[Stroke, ...]:
        return tuple(
            Stroke(
                np.concatenate(s.xs) if s.xs else np.zeros(0, np.float32),
                np.concatenate(s.ys) if s.ys else np.zeros(0, np.float32),
                np.concatenate(s.ts) if s.ts else np.zeros(0, np.uint32),
                np.concatenate(s.ps) if s.ps else np.zeros(0, np.float32),
                s.color,
                s.width,
            )
            for s in self._strokes
        )
