"""Training the generator: batches of pen sequences, the VAE loss, one-cycle AdamW, progress.

Pure compute, like the classifier's loop, and it reports through the same `Progress`,
cancel callback and `StepTracker`, so the training job runs either kind the same way. The
"accuracy" a generator reports is the share of steps its reconstruction puts in the right
stroke: where the pen lifts, the part of a drawing's structure a point error does not show.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from inference.generation import LatentPrior
from workers.training.compute import cpu_threads, pick_device, seed_run
from workers.training.generator.config import GeneratorConfig
from workers.training.generator.data import (
    DT,
    STROKE,
    GeneratorInput,
    SequenceSet,
    sequence_set,
    split,
    stroke_counts,
)
from workers.training.generator.model import SketchVAE
from workers.training.generator.prior import fit_prior
from workers.training.loop import CancelCallback, ProgressCallback, RunResult, StepTracker
from workers.training.optimizer import one_cycle, train_epoch

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Losses:
    """Per-drawing means of each term (tensors while training, floats once detached)."""

    total: torch.Tensor
    position: torch.Tensor  # sum over steps of squared point error, drawing units
    kl: torch.Tensor  # nats
    stroke_correct: torch.Tensor  # steps put in the right stroke, summed over the batch


def losses(
    out: torch.Tensor,
    target: torch.Tensor,
    mu: torch.Tensor,
    logvar: torch.Tensor,
    config: GeneratorConfig,
    beta: float,
) -> Losses:
    """The negative evidence lower bound (with `beta` on the KL term) and its parts."""
    points = torch.cumsum(out[..., :DT], dim=1)  # (B, T, 2) absolute points
    true_points = torch.cumsum(target[..., :DT], dim=1)
    position = (points - true_points).square().sum(dim=(1, 2))  # (B,)
    offsets = (out[..., :DT] - target[..., :DT]).square().sum(dim=(1, 2))  # (B,)
    timing = (out[..., DT] - target[..., DT]).square().sum(dim=1)  # (B,)
    stroke = (out[..., STROKE] - target[..., STROKE]).square().sum(dim=1)  # (B,)
    kl = -0.5 * (1.0 + logvar - mu.square() - logvar.exp()).sum(dim=1)  # (B,)
    recon = (
        (position + config.offset_weight * offsets) / (2.0 * config.position_sigma**2)
        + timing / (2.0 * config.time_sigma**2)
        + stroke / (2.0 * config.stroke_sigma**2)
    )
    return Losses(
        total=(recon + beta * kl).mean(),
        position=position.mean(),
        kl=kl.mean(),
        stroke_correct=(out[..., STROKE].round() == target[..., STROKE]).sum(),
    )


@dataclass(frozen=True, slots=True)
class GeneratorMetrics:
    loss: float  # negative ELBO per drawing, on the validation split
    point_rmse: float  # per point, in drawing units (the larger side is 1)
    stroke_accuracy: float  # share of steps the reconstruction puts in the right stroke
    kl: float  # nats per drawing: how much the latent carries

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True, eq=False)
class GeneratorResult(RunResult[SketchVAE, GeneratorConfig]):
    prior: LatentPrior  # what serving samples z from
    metrics: GeneratorMetrics  # on the validation split

    def checkpoint_extras(self) -> dict[str, Any]:
        return {"metrics": self.metrics.to_dict(), "prior": self.prior.to_json()}


def build_model(config: GeneratorConfig) -> SketchVAE:
    return SketchVAE(
        len(config.shape_ids), config.max_strokes, config.seq_len, config.latent_dim, config.hidden
    )


def batches(
    data: SequenceSet, batch_size: int, rng: np.random.Generator
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """One epoch of shuffled (sequences (B, T, 4), labels (B,)) batches."""
    order = rng.permutation(len(data))
    for lo in range(0, len(order), batch_size):
        part = data.subset(order[lo : lo + batch_size])
        yield torch.from_numpy(part.sequences), torch.from_numpy(part.labels)


@torch.no_grad()
def codes(model: SketchVAE, data: SequenceSet, device: torch.device) -> F64:
    """Posterior means (N, Z) of `data`: where the encoder puts each drawing."""
    model.eval()
    seq = torch.from_numpy(data.sequences).to(device)  # (N, T, 4)
    condition = model.condition(torch.from_numpy(data.labels).to(device), seq)  # (N, C + S)
    mu, _ = model.encoder(seq, condition)  # (N, Z)
    return np.asarray(mu.cpu().numpy(), dtype=np.float64)


@torch.no_grad()
def evaluate(
    model: SketchVAE, data: SequenceSet, config: GeneratorConfig, device: torch.device
) -> GeneratorMetrics:
    """Reconstruction through the posterior mean, and the KL, on `data` (full weight)."""
    model.eval()
    seq = torch.from_numpy(data.sequences).to(device)  # (V, T, 4)
    out, mu, logvar = model(seq, model.condition(torch.from_numpy(data.labels).to(device), seq))
    parts = losses(out, seq, mu, logvar, config, 1.0)
    n = max(len(data), 1)
    return GeneratorMetrics(
        loss=float(parts.total),
        point_rmse=float(np.sqrt(float(parts.position) / config.seq_len)),
        stroke_accuracy=int(parts.stroke_correct) / (n * config.seq_len),
        kl=float(parts.kl),
    )


def fit(
    config: GeneratorConfig,
    data: SequenceSet,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> GeneratorResult:
    """Split, train, evaluate; see `train_generator`. PyTorch's CPU thread count is set for
    the run (all usable cores unless the config says otherwise) and restored after."""
    with cpu_threads(config.num_threads):
        return _fit(config, data, progress, cancel)


def _fit(
    config: GeneratorConfig,
    data: SequenceSet,
    progress: ProgressCallback | None,
    cancel: CancelCallback | None,
) -> GeneratorResult:
    started = time.perf_counter()
    parts = split(data, len(config.shape_ids), config.val_fraction, config.seed)
    device = pick_device(config.device)
    rng = seed_run(config.seed)
    model = build_model(config).to(device)
    schedule = one_cycle(model, config, len(parts.train))
    tracker = StepTracker(config.epochs, schedule.total_steps, progress, cancel)
    warmup_steps = config.kl_warmup * schedule.total_steps

    def batch_loss(seq: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The loss with the KL weight ramped by the steps done so far."""
        beta = min(1.0, tracker.step / warmup_steps) if warmup_steps > 0 else 1.0
        out, mu, logvar = model(seq, model.condition(labels, seq))  # (B, T, 4), (B, Z), (B, Z)
        terms = losses(out, seq, mu, logvar, config, beta)
        return terms.total, terms.stroke_correct

    history: list[dict[str, float]] = []
    metrics: list[GeneratorMetrics] = []
    for epoch in range(1, config.epochs + 1):
        loss, acc = train_epoch(
            model,
            schedule,
            batches(parts.train, config.batch_size, rng),
            device,
            batch_loss,
            partial(tracker.after_step, epoch),
            units_per_sample=config.seq_len,  # the accuracy is per step
            max_grad_norm=1.0,  # early KL spikes
        )
        metrics.append(evaluate(model, parts.val, config, device))
        history.append(
            {"epoch": epoch, "loss": loss, "stroke_accuracy": acc, **metrics[-1].to_dict()}
        )
        tracker.report("eval", epoch, metrics[-1].loss, metrics[-1].stroke_accuracy)
    n_classes = len(config.shape_ids)
    prior = fit_prior(
        codes(model, parts.train, device),
        parts.train.labels,
        stroke_counts(parts.train),
        n_classes,
        config.max_strokes,
        config.prior_components,
        config.seed,
    )
    return GeneratorResult(
        model=model.cpu().eval(),
        config=config,
        prior=prior,
        metrics=metrics[-1],  # the config guarantees at least one epoch
        train_counts=parts.train.class_counts(n_classes),
        val_counts=parts.val.class_counts(n_classes),
        steps=tracker.step,
        seconds=time.perf_counter() - started,
        samples_per_s=tracker.samples_per_s,
        history=history,
    )


def train_generator(
    config: GeneratorConfig,
    drawings: Sequence[GeneratorInput],
    labels: Sequence[int],
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> GeneratorResult:
    """Train a generator on drawings (or their strokes) labelled with shape ids `labels`.

    Drawings of shapes outside `config.shape_ids` are ignored; progress and cancel behave as
    in the classifier's `train` (both are called on the training thread).
    """
    data = sequence_set(drawings, labels, config.shape_ids, config.seq_len, config.max_strokes)
    return fit(config, data, progress, cancel)
