"""The shape catalogue: the five prompts players draw and models learn.

Ids are stable: they are stored in PostgreSQL (seeded by the first migration), sent on the
wire and used as class indices by models, so a shape is never renumbered.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Shape:
    id: int
    name: str
    description: str
    difficulty: int


SHAPES: tuple[Shape, ...] = (
    Shape(1, "line", "One straight stroke, any direction.", 1),
    Shape(2, "circle", "A round closed loop.", 2),
    Shape(3, "square", "Four equal sides and four right angles.", 2),
    Shape(4, "triangle", "Three straight sides meeting in three corners.", 2),
    Shape(5, "heart", "Two rounded lobes meeting in a point at the bottom.", 3),
)

SHAPE_NAMES: tuple[str, ...] = tuple(s.name for s in SHAPES)
_BY_ID = {s.id: s for s in SHAPES}
_BY_NAME = {s.name: s for s in SHAPES}


class UnknownShape(LookupError):
    """Raised when a shape id or name is not in the catalogue."""


def shape_by_id(shape_id: int) -> Shape:
    try:
        return _BY_ID[shape_id]
    except KeyError:
        raise UnknownShape(f"unknown shape id {shape_id}") from None


def shape_by_name(name: str) -> Shape:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownShape(f"unknown shape {name!r}") from None
