"""What every kind of model's training config has in common: the fields the job and the
model's documents read, and its JSON form.

A config arrives as the admin API's body, is stored in the job row and the models row, and is
read back by the worker; its digest is the config's identity in the model's metadata. Every
kind must therefore read, write and hash its config the same way, or a config would not
survive the round trip through the job row, or two equal configs could hash apart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from workers.training.errors import ConfigError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

C = TypeVar("C")


class KindConfig(Protocol):
    """What the job, the optimiser and the documents read of any kind's config (TrainConfig,
    GeneratorConfig), so they handle every kind with one piece of code."""

    @property
    def shape_ids(self) -> tuple[int, ...]: ...

    @property
    def val_fraction(self) -> float: ...

    @property
    def seed(self) -> int: ...

    @property
    def epochs(self) -> int: ...

    @property
    def batch_size(self) -> int: ...

    @property
    def lr(self) -> float: ...

    @property
    def weight_decay(self) -> float: ...

    @property
    def num_threads(self) -> int: ...

    @property
    def device(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...

    def digest(self) -> str: ...


def config_dict(config: DataclassInstance) -> dict[str, Any]:
    """`asdict` with the shape ids as a list, as JSON reads them back, so a stored config
    compares equal to the one it was written from."""
    out = asdict(config)
    out["shape_ids"] = list(out["shape_ids"])
    return out


def reject_unknown(raw: Mapping[str, Any], cls: type[DataclassInstance], what: str) -> None:
    """Unknown keys are an error, not ignored: a misspelt field would otherwise train with
    its default and nobody would notice."""
    unknown = set(raw) - set(cls.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"unknown {what} keys: {', '.join(sorted(unknown))}")


def build_config(cls: Callable[..., C], fields: Mapping[str, Any]) -> C:
    """`cls(**fields)` with the shape ids (a JSON list) made the tuple a frozen config holds;
    a value of the wrong type is a `ConfigError`, the message an admin sees."""
    try:
        if "shape_ids" in fields:
            fields = {**fields, "shape_ids": tuple(int(i) for i in fields["shape_ids"])}
        return cls(**fields)
    except TypeError as exc:
        raise ConfigError(f"bad config value: {exc}") from exc


def config_digest(document: Mapping[str, Any]) -> str:
    """32 hex digits of SHA-256 over the canonical JSON of `document`: independent of key
    order and white space, so equal configs always hash alike."""
    blob = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:32]
