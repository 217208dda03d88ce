"""Hyperparameters of one generator training run, with the reasoning for each default inline.

Frozen and digestible like the classifier's `TrainConfig`: the digest makes "start training"
idempotent and the models row stores the config the generator was trained with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.shapes import SHAPES
from workers.training.errors import ConfigError
from workers.training.kind_config import (
    build_config,
    config_dict,
    config_digest,
    reject_unknown,
)


@dataclass(frozen=True, slots=True)
class GeneratorConfig:
    # Shape ids the generator draws, in one-hot order; the class index is the position here.
    shape_ids: tuple[int, ...] = tuple(s.id for s in SHAPES)
    # Steps per drawing. 64 keeps a circle round (~60 points) and a square's sides straight
    # (~15 points each) while the decoder's output layer stays small; sketch-rnn's Quick,
    # Draw! models use ~100-250 because they keep every recorded point.
    seq_len: int = 64
    # Strokes kept per drawing (the longest); the synthetic and Quick, Draw! shapes use 1-4,
    # a stray mark makes 5. Each kept stroke needs 2 steps.
    max_strokes: int = 6
    # Size of z: once the order is canonical (canonical.py), stroke count and split, aspect,
    # tilt, corner and closure wobble and timing are what varies within a class; 16
    # dimensions hold them with room to spare (the KL settles at ~37 nats).
    latent_dim: int = 16
    # Width of the encoder's and decoder's hidden layers: ~0.4M decoder parameters, a 1.6 MB
    # file, and still well under a millisecond per drawing on one core.
    hidden: int = 512
    # At 2,000 drawings per shape (bench/generate.py) the held-out point error is 0.038 of
    # the drawing's size after 30 epochs and 0.035 after 40, for a third more time; 30 take
    # ~1 minute on two idle cores. A few hundred drawings per shape need more epochs.
    epochs: int = 30
    # ~70 steps per epoch at 2,000 drawings per shape; not tuned further.
    batch_size: int = 128
    # Peak learning rate of the one-cycle schedule with AdamW.
    lr: float = 2e-3
    weight_decay: float = 1e-5
    # The loss is a likelihood: squared errors are divided by 2 * sigma^2 (points, stroke
    # counts, durations), and the KL term weighs against all that. sigma, as a share of the
    # drawing's size, is therefore how much detail z must carry: smaller gives sharper
    # reconstructions and a less regular latent space, larger gives rounder, blurrier
    # shapes (0.1 and 0.2 turned squares into circles). 0.03 was chosen among a few early
    # trials (0.02-0.2) and not tuned since; the fitted density (prior.py) covers the latent.
    position_sigma: float = 0.03
    # The per-step offsets are compared too (a wobbling offset is invisible in the running
    # sum until it adds up), at this weight relative to the absolute points.
    offset_weight: float = 4.0
    # Std-dev of the running stroke count (data.py): a lift lands on the step where the
    # count crosses k + 1/2, and at 0.2 a count half a stroke off costs ~3 nats, as much as
    # a point 2.5 position sigmas off: lifts are placed about as precisely as the points.
    stroke_sigma: float = 0.2
    # Std-dev of a step's duration, in time units (100 ms): timing matters less than shape.
    time_sigma: float = 0.5
    # The KL term is ramped from 0 to full weight over this share of the steps, so the
    # decoder first learns to use z (the usual cure for posterior collapse).
    kl_warmup: float = 0.3
    # Most mixture components per class and stroke count in the latent density fitted after
    # training (prior.py gives each one per 10 codes). Measured at 2,000 drawings per shape
    # (bench/generate.py): 8 per class left broad catch-all Gaussians whose samples were
    # scribbles (lines 88% recognised); 32 gives every shape >= 95% at unchanged diversity.
    prior_components: int = 32
    # Held out, stratified, for the reconstruction and KL reported in the metrics.
    val_fraction: float = 0.1
    seed: int = 0
    # CPU threads for PyTorch; 0 = all cores the process may use.
    num_threads: int = 0
    # "auto" picks CUDA when present; "cpu" or "cuda" force one.
    device: str = "auto"

    def __post_init__(self) -> None:
        if not self.shape_ids or len(set(self.shape_ids)) != len(self.shape_ids):
            raise ConfigError("shape_ids must be distinct and non-empty")
        if self.max_strokes < 1 or self.seq_len < 2 * self.max_strokes:
            raise ConfigError("max_strokes must be >= 1 and seq_len >= 2 * max_strokes")
        if min(self.latent_dim, self.hidden, self.epochs, self.batch_size) < 1:
            raise ConfigError("latent_dim, hidden, epochs and batch_size must be >= 1")
        if self.prior_components < 1:
            raise ConfigError("prior_components must be >= 1")
        if self.num_threads < 0:
            raise ConfigError("num_threads must be >= 0")
        if not 0.0 < self.val_fraction < 1.0:
            raise ConfigError("val_fraction must be in (0, 1)")
        if not 0.0 <= self.kl_warmup < 1.0:
            raise ConfigError("kl_warmup must be in [0, 1)")
        if min(self.position_sigma, self.stroke_sigma, self.time_sigma) <= 0.0:
            raise ConfigError("position_sigma, stroke_sigma and time_sigma must be > 0")
        if self.offset_weight < 0.0:
            raise ConfigError("offset_weight must be >= 0")
        if self.lr <= 0.0:
            raise ConfigError("lr must be > 0")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ConfigError("device must be auto, cpu or cuda")

    @classmethod
    def tiny(cls) -> GeneratorConfig:
        """A dry-run config for CI: a narrow model, a few short epochs, seconds on a CPU."""
        return cls(epochs=3, batch_size=64, hidden=64, latent_dim=8, seq_len=32, prior_components=4)

    def to_dict(self) -> dict[str, Any]:
        return config_dict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> GeneratorConfig:
        """Build from JSON (the admin API's body); unknown keys are an error, not ignored."""
        reject_unknown(raw, cls, "config")
        return build_config(cls, raw)

    def digest(self) -> str:
        """A stable hash of every value, prefixed by the kind: a generator config never
        collides with a classifier config of the same idempotency key space."""
        return config_digest({"generator": self.to_dict()})
