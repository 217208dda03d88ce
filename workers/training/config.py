"""Hyperparameters of one training run, with the reasoning for each default inline.

A config is frozen and hashable into a stable digest: the admin API uses that digest to make
"start training" idempotent, and the models row stores the config it was trained with.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from game.shapes import SHAPES
from inference.raster import IMAGE_SIZE
from workers.training.errors import ConfigError
from workers.training.kind_config import (
    build_config,
    config_dict,
    config_digest,
    reject_unknown,
)


@dataclass(frozen=True, slots=True)
class AugmentConfig:
    """Random changes to strokes before rasterising, so the model sees the variety of real
    hands that the training drawings alone do not show.

    The rasteriser normalises position and size away, so a global shift or uniform zoom would
    change nothing; "scale" is therefore per-axis (aspect) and "shift" moves whole strokes
    relative to each other (the misaligned joins of multi-stroke drawings).
    """

    # Whole-drawing rotation, uniform in +-degrees. People tilt shapes by 5-15 degrees;
    # 15 covers that without turning a square into a diamond-looking shape too often.
    rotation_deg: float = 15.0
    # Std-dev of log aspect change per axis: 0.12 stretches by up to ~25% at 2 sigma.
    scale: float = 0.12
    # Shear (x += k * y), uniform in +-k: slanted squares and leaning triangles.
    shear: float = 0.15
    # Std-dev of each stroke's offset, as a share of the drawing's larger side.
    stroke_shift: float = 0.03
    # Chance that each stroke of a multi-stroke drawing is dropped (never all of them):
    # players leave sides out, and the model should not rely on one stroke.
    stroke_dropout: float = 0.05
    # Std-dev of per-point noise, as a share of the drawing's larger side: shaky hands.
    jitter: float = 0.004

    @classmethod
    def none(cls) -> AugmentConfig:
        """No augmentation (evaluation, and tests that need exact tensors)."""
        return cls(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class TrainConfig:
    # Shape ids the model classifies, in output order; the class index is the position here.
    shape_ids: tuple[int, ...] = tuple(s.id for s in SHAPES)
    # Must match what serving rasterises at; stored in the model's metadata.
    image_size: int = IMAGE_SIZE
    # Measured at 10k synthetic drawings per shape (bench/train.py): holdout accuracy is
    # >= 99.9% after the first epoch; the second lets the one-cycle schedule anneal. Three
    # gave the same holdout and Quick, Draw! accuracy for 50% more CPU time, which the
    # 3-minute job budget on two cores cannot spare. Small data sets (a few hundred
    # drawings per shape) need ~5-10 epochs for enough optimizer steps.
    epochs: int = 2
    # 256 keeps two CPU cores busy per step and is small enough for ~200 steps per epoch at
    # 50k drawings, which one-cycle needs to anneal smoothly.
    batch_size: int = 256
    # Peak learning rate of the one-cycle schedule with AdamW; batch-norm tolerates it.
    lr: float = 3e-3
    weight_decay: float = 1e-4
    # Softened targets keep the model from being 100% sure on synthetic data it will never
    # see from real players; it generalises better to real hands.
    label_smoothing: float = 0.05
    # 10% held out, stratified by class: 1,000 per shape at 10k per shape, enough to measure
    # 99% accuracy to +-0.3 percentage points.
    val_fraction: float = 0.1
    seed: int = 0
    # Conv channels of the first layer (doubled twice on the way down): 16 -> 16/32/64.
    # 16 already reaches 99.98% holdout; 24 costs ~1.6x the CPU time per step (profiled).
    width: int = 16
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    # CPU threads for PyTorch; 0 = all cores the process may use.
    num_threads: int = 0
    # "auto" picks CUDA when present; "cpu" or "cuda" force one.
    device: str = "auto"

    def __post_init__(self) -> None:
        if not self.shape_ids or len(set(self.shape_ids)) != len(self.shape_ids):
            raise ConfigError("shape_ids must be distinct and non-empty")
        if self.image_size != IMAGE_SIZE:
            raise ConfigError(f"image_size must be {IMAGE_SIZE} (the rasteriser's)")
        if min(self.epochs, self.batch_size, self.width) < 1 or self.num_threads < 0:
            raise ConfigError("epochs, batch_size and width must be >= 1, num_threads >= 0")
        if not 0.0 < self.val_fraction < 1.0:
            raise ConfigError("val_fraction must be in (0, 1)")
        if self.lr <= 0.0:
            raise ConfigError("lr must be > 0")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ConfigError("device must be auto, cpu or cuda")

    @classmethod
    def tiny(cls) -> TrainConfig:
        """A dry-run config for CI: one short epoch of a narrow model, seconds on a CPU."""
        return cls(epochs=1, batch_size=64, width=4)

    def to_dict(self) -> dict[str, Any]:
        return config_dict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> TrainConfig:
        """Build from JSON (the admin API's body); unknown keys are an error, not ignored."""
        data = dict(raw)
        aug = data.pop("augment", None)
        reject_unknown(data, cls, "config")
        if aug is not None:
            reject_unknown(aug, AugmentConfig, "augment")
        config = build_config(cls, data)
        return config if aug is None else replace(config, augment=build_config(AugmentConfig, aug))

    def digest(self) -> str:
        """A stable hash of every value (the idempotency key of a training request)."""
        return config_digest(self.to_dict())
