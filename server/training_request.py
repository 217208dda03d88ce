"""The body of `POST /api/admin/training/start`: a training config and a selection filter.

    {"kind": "classifier",                                          # or "generator"
     "config": {"epochs": 2, "shape_ids": [1, 2, 3, 4, 5], ...},   # TrainConfig fields
     "selection": {"min_quality": 0.5, "synthetic": true, ...}}     # store/selection.py

Every part is optional (the defaults train the production classifier on every usable
drawing). A "generator" job takes GeneratorConfig fields (workers/training/generator/).
Keys are the Python names, as the job row, the model's metadata and the admin portal show
them. Every problem is reported at once, one detail per field, before anything is stored:
types first (so `"epochs": 2.5` is named, not crashed on hours later in a worker), then
bounds an admin would only exceed by a typo, then TrainConfig's own cross-field rules.

The request's digest (config and selection) is the idempotency key of a start: while a job
with the same digest is in flight, starting again returns that job.
"""

from __future__ import annotations

import hashlib
import json
import math
import typing
from dataclasses import dataclass
from typing import Any

from game.errors import FieldError
from game.shapes import SHAPES
from server.errors import BadRequest
from store.models import CLASSIFIER, GENERATOR
from store.selection import InvalidSelection, Selection
from workers.training.config import AugmentConfig, TrainConfig
from workers.training.errors import ConfigError
from workers.training.generator.config import GeneratorConfig

# Beyond these a run would hold its device for days or run out of memory: surely a typo.
_MAX = {
    "epochs": 200,
    "batch_size": 4096,
    "width": 256,
    "num_threads": 256,
    "hidden": 4096,
    "latent_dim": 256,
    "seq_len": 1024,
    "prior_components": 256,
}
_SHAPE_IDS = frozenset(s.id for s in SHAPES)
_PARTS = frozenset({"kind", "config", "selection"})
_CONFIGS: dict[str, type[TrainConfig] | type[GeneratorConfig]] = {
    CLASSIFIER: TrainConfig,
    GENERATOR: GeneratorConfig,
}


class InvalidTrainingRequest(BadRequest):
    code = "invalid_config"


@dataclass(frozen=True, slots=True)
class TrainingRequest:
    config: TrainConfig | GeneratorConfig
    selection: Selection

    @property
    def kind(self) -> str:
        return GENERATOR if isinstance(self.config, GeneratorConfig) else CLASSIFIER

    def document(self) -> dict[str, Any]:
        """What the job row stores and the worker reads back (the kind is also its column)."""
        return {
            "kind": self.kind,
            "train": self.config.to_dict(),
            "selection": self.selection.to_dict(),
        }

    def digest(self) -> str:
        """SHA-256 (64 hex) of the canonical JSON of the whole request."""
        blob = json.dumps(self.document(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _field_errors(raw: dict[str, Any], cls: type[Any]) -> list[FieldError]:
    """Type and bound problems of the config fields (of `cls`) present in `raw`."""
    hints = typing.get_type_hints(cls)
    errors: list[FieldError] = []
    for name, value in raw.items():
        where = f"config.{name}"
        hint = hints.get(name)
        if name == "augment":
            if not isinstance(value, dict):
                errors.append(FieldError(where, "an object"))
                continue
            for key, v in value.items():
                if key in AugmentConfig.__dataclass_fields__ and not (_number(v) and v >= 0):
                    errors.append(FieldError(f"{where}.{key}", "a number >= 0"))
        elif name == "shape_ids":
            if not (
                isinstance(value, list)
                and value
                and all(isinstance(i, int) and i in _SHAPE_IDS for i in value)
            ):
                ids = ", ".join(str(i) for i in sorted(_SHAPE_IDS))
                errors.append(FieldError(where, f"a non-empty list of shape ids ({ids})"))
        elif hint is int:
            if not isinstance(value, int) or isinstance(value, bool):
                errors.append(FieldError(where, "an integer"))
            elif name in _MAX and value > _MAX[name]:
                errors.append(FieldError(where, f"at most {_MAX[name]}"))
        elif hint is float and not _number(value):
            errors.append(FieldError(where, "a number"))
        elif hint is str and not isinstance(value, str):
            errors.append(FieldError(where, "a string"))
    return errors


def parse_training_request(body: object) -> TrainingRequest:
    if not isinstance(body, dict):
        raise InvalidTrainingRequest(
            "body must be a JSON object", [FieldError("body", "an object")]
        )
    errors = [FieldError(k, "unknown field") for k in sorted(set(body) - _PARTS)]
    kind = body.get("kind", CLASSIFIER)
    cls = _CONFIGS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        errors.append(FieldError("kind", f"one of {', '.join(_CONFIGS)}"))
        cls = TrainConfig
    raw = body.get("config") or {}
    config: TrainConfig | GeneratorConfig | None = None
    if not isinstance(raw, dict):
        errors.append(FieldError("config", "an object"))
    else:
        errors.extend(_field_errors(raw, cls))
        if not errors:
            try:
                config = cls.from_dict(raw)
            except ConfigError as exc:
                errors.append(FieldError("config", str(exc)))
    selection: Selection | None = None
    try:
        selection = Selection.from_dict(body.get("selection"), config.shape_ids if config else ())
    except InvalidSelection as exc:
        errors.extend(exc.details)
    if errors or config is None or selection is None:
        raise InvalidTrainingRequest("the training request is invalid", errors)
    return TrainingRequest(config, selection)
