"""The training loop: batches of augmented rasters, one-cycle AdamW, evaluation, progress.

Pure compute: no Redis, no database. The ARQ job passes a progress callback (it publishes to
the admin feed and the job row) and a cancel callback (it reads the job's cancel flag), and
runs this in an executor so the event loop stays free.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import KW_ONLY, asdict, dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from inference.raster import RASTER_VERSION, RasterInput, rasterize_packed
from workers.training.augment import augment
from workers.training.compute import cpu_threads, pick_device, seed_run
from workers.training.config import AugmentConfig, TrainConfig
from workers.training.dataset import LabelledSet, Split, labelled_set, split
from workers.training.kind_config import KindConfig
from workers.training.model import ShapeNet
from workers.training.optimizer import one_cycle, train_epoch

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
ModelT = TypeVar("ModelT", bound=nn.Module)
ConfigT = TypeVar("ConfigT", bound=KindConfig)

# Progress is reported at most this often (and at every epoch end): often enough for a live
# bar, rare enough that publishing never shows up in the step time.
PROGRESS_INTERVAL_S = 1.0


class TrainingCancelled(Exception):
    """Raised inside `train` when the cancel callback returns True."""


@dataclass(frozen=True, slots=True)
class Progress:
    phase: str  # "train" while stepping, "eval" after each epoch's validation
    epoch: int  # 1-based
    epochs: int
    step: int  # optimizer steps done in total
    steps: int  # optimizer steps the whole run takes
    loss: float  # mean training loss of the epoch so far
    accuracy: float  # training accuracy of the epoch so far, or validation after "eval"
    eta_s: float  # seconds left, extrapolated from the steps so far
    samples_per_s: float


ProgressCallback = Callable[[Progress], None]
CancelCallback = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Metrics:
    accuracy: float
    loss: float
    precision: list[float]  # per class, in shape_ids order (0.0 when never predicted)
    recall: list[float]  # per class
    confusion: list[list[int]]  # [true class][predicted class]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True, eq=False)
class RunResult(ABC, Generic[ModelT, ConfigT]):
    """What a training run of any kind returns besides its kind's measures: the model, its
    config and what the run did, which the job and the documents read alike for every kind."""

    model: ModelT  # in eval mode, on the CPU
    config: ConfigT
    _: KW_ONLY
    train_counts: list[int]  # drawings per class
    val_counts: list[int]
    steps: int
    seconds: float
    samples_per_s: float
    history: list[dict[str, float]] = field(default_factory=list)

    def checkpoint(self) -> dict[str, Any]:
        """Everything needed to rebuild or resume the model, as `torch.save` input."""
        return {
            "model_state": self.model.state_dict(),
            "config": self.config.to_dict(),
            "step": self.steps,
            **self.checkpoint_extras(),
        }

    @abstractmethod
    def checkpoint_extras(self) -> dict[str, Any]:
        """What else the kind needs to rebuild its model."""


@dataclass(slots=True, eq=False)
class TrainResult(RunResult[nn.Module, TrainConfig]):
    metrics: Metrics  # on the validation split
    val_images: F32  # (V, 1, S, S), what the ONNX check runs on

    def checkpoint_extras(self) -> dict[str, Any]:
        return {"raster_version": RASTER_VERSION, "metrics": self.metrics.to_dict()}


def build_model(config: TrainConfig) -> ShapeNet:
    return ShapeNet(len(config.shape_ids), config.image_size, config.width)


def batches(
    data: LabelledSet,
    batch_size: int,
    rng: np.random.Generator,
    aug: AugmentConfig,
    image_size: int,
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """One epoch of shuffled, freshly augmented (images, labels) batches."""
    order = rng.permutation(len(data))
    for lo in range(0, len(order), batch_size):
        part = data.subset(order[lo : lo + batch_size])
        images = rasterize_packed(augment(part.strokes, rng, aug), image_size)  # (B, 1, S, S)
        yield torch.from_numpy(images), torch.from_numpy(part.labels)


@torch.no_grad()
def predict_proba(
    model: nn.Module, images: F32, device: torch.device, batch_size: int = 2048
) -> F32:
    """Softmax probabilities (N, C) for (N, 1, S, S) images, in eval mode."""
    model.eval()
    out = [
        torch.softmax(model(torch.from_numpy(images[lo : lo + batch_size]).to(device)), dim=1)
        .cpu()
        .numpy()
        for lo in range(0, images.shape[0], batch_size)
    ]
    return np.concatenate(out).astype(np.float32)


def evaluate(model: nn.Module, images: F32, labels: I64, device: torch.device) -> Metrics:
    """Accuracy, per-class precision and recall and the confusion matrix of `model`."""
    probs = predict_proba(model, images, device)  # (N, C)
    n_classes = probs.shape[1]
    pred = probs.argmax(axis=1)
    confusion = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(confusion, (labels, pred), 1)
    tp = np.diag(confusion).astype(np.float64)
    predicted = confusion.sum(axis=0)
    actual = confusion.sum(axis=1)
    picked = probs[np.arange(len(labels)), labels]
    return Metrics(
        accuracy=float(tp.sum() / max(len(labels), 1)),
        loss=float(-np.log(np.maximum(picked, 1e-12)).mean()) if len(labels) else 0.0,
        precision=[float(x) for x in np.where(predicted > 0, tp / np.maximum(predicted, 1), 0)],
        recall=[float(x) for x in np.where(actual > 0, tp / np.maximum(actual, 1), 0)],
        confusion=confusion.tolist(),
    )


def fit(
    config: TrainConfig,
    data: LabelledSet,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> TrainResult:
    """Split, train, evaluate; see `train` for the arguments.

    PyTorch's CPU thread count is set for the run (all usable cores unless the config says
    otherwise) and restored after.
    """
    with cpu_threads(config.num_threads):
        return _fit(config, data, progress, cancel)


class StepTracker:
    """Counts steps and samples, checks for cancellation, throttles progress reports (the
    classifier and the generator loops share it)."""

    def __init__(
        self,
        epochs: int,
        total_steps: int,
        progress: ProgressCallback | None,
        cancel: CancelCallback | None,
    ) -> None:
        self.epochs, self.total_steps = epochs, total_steps
        self.progress, self.cancel = progress, cancel
        self.step = self.samples = 0
        self.started = time.perf_counter()
        self.last_report = 0.0

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    @property
    def samples_per_s(self) -> float:
        elapsed = self.seconds
        return self.samples / elapsed if elapsed > 0 else 0.0

    def after_step(self, epoch: int, loss: float, acc: float, batch: int) -> None:
        self.step += 1
        self.samples += batch
        if self.cancel is not None and self.cancel():
            raise TrainingCancelled(f"cancelled at step {self.step} of {self.total_steps}")
        now = time.perf_counter()
        if now - self.last_report >= PROGRESS_INTERVAL_S:
            self.last_report = now
            self.report("train", epoch, loss, acc)

    def report(self, phase: str, epoch: int, loss: float, acc: float) -> None:
        if self.progress is None:
            return
        eta = self.seconds / max(self.step, 1) * (self.total_steps - self.step)
        self.progress(
            Progress(
                phase,
                epoch,
                self.epochs,
                self.step,
                self.total_steps,
                loss,
                acc,
                eta,
                self.samples_per_s,
            )
        )


def _fit(
    config: TrainConfig,
    data: LabelledSet,
    progress: ProgressCallback | None,
    cancel: CancelCallback | None,
) -> TrainResult:
    started = time.perf_counter()
    parts: Split = split(data, len(config.shape_ids), config.val_fraction, config.seed)
    device = pick_device(config.device)
    rng = seed_run(config.seed)
    model = build_model(config).to(device)
    schedule = one_cycle(model, config, len(parts.train))
    loss_fn = nn.CrossEntropyLoss(label_smoothing=config.label_smoothing)

    def batch_loss(images: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits = model(images)  # (B, 1, S, S) -> (B, C)
        return loss_fn(logits, labels), (logits.argmax(dim=1) == labels).sum()

    # Validation images never change: rasterise once, without augmentation.
    val_images = rasterize_packed(parts.val.strokes, config.image_size)  # (V, 1, S, S)
    tracker = StepTracker(config.epochs, schedule.total_steps, progress, cancel)
    history: list[dict[str, float]] = []
    metrics: list[Metrics] = []
    for epoch in range(1, config.epochs + 1):
        loss, acc = train_epoch(
            model,
            schedule,
            batches(parts.train, config.batch_size, rng, config.augment, config.image_size),
            device,
            batch_loss,
            partial(tracker.after_step, epoch),
        )
        metrics.append(evaluate(model, val_images, parts.val.labels, device))
        val_acc = metrics[-1].accuracy
        history.append({"epoch": epoch, "loss": loss, "accuracy": acc, "val_accuracy": val_acc})
        tracker.report("eval", epoch, loss, val_acc)
    return TrainResult(
        model=model.cpu().eval(),
        config=config,
        metrics=metrics[-1],  # TrainConfig guarantees at least one epoch
        val_images=val_images,
        train_counts=parts.train.class_counts(len(config.shape_ids)),
        val_counts=parts.val.class_counts(len(config.shape_ids)),
        steps=tracker.step,
        seconds=time.perf_counter() - started,
        samples_per_s=tracker.samples_per_s,
        history=history,
    )


def train(
    config: TrainConfig,
    drawings: Sequence[RasterInput],
    labels: Sequence[int],
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> TrainResult:
    """Train a classifier on `drawings` labelled with shape ids `labels`.

    Drawings of shapes outside `config.shape_ids` are ignored. `progress` receives a
    `Progress` about once a second and after every epoch; `cancel()` is asked after every
    step and, when it returns True, the run stops with `TrainingCancelled`. Both are called
    on the training thread: from an executor, hand progress to the event loop with
    `loop.call_soon_threadsafe` and make `cancel` cheap (a `threading.Event.is_set`).
    """
    return fit(config, labelled_set(drawings, labels, config.shape_ids), progress, cancel)
