"""What differs between the kinds of model a training job makes: one `Plan` per kind.

The job (workers/train_job.py) is the same for every kind: mark the row running, take the
device, stream the selected drawings, train and export on the executor, register the model.
So is the blocking part here (`Plan.train_and_export`): fit, export to ONNX, prove the export
matches PyTorch, and bind the model's documents (workers/training/documents.py). A plan's
subclass supplies the rest: the config, how a stored drawing becomes a training sample
(rasters for the classifier, pen sequences for the generator), the kind's fit and export, and
its own measures and interface in the documents.

Imported on the executor with the rest of the training code (it imports PyTorch); the job
imports it lazily, so a worker without the `train` extra still flushes drawings and fails
training jobs with a readable message.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from store.models import CLASSIFIER, GENERATOR
from workers.training import export, loop, metadata
from workers.training.compute import device_name
from workers.training.config import TrainConfig
from workers.training.dataset import DatasetBuilder, LabelledSet
from workers.training.documents import Documents, Registration, documents
from workers.training.errors import ConfigError, TrainingError
from workers.training.export import Exported, ExportError
from workers.training.generator import export as generator_export
from workers.training.generator import loop as generator_loop
from workers.training.generator import metadata as generator_metadata
from workers.training.generator.config import GeneratorConfig
from workers.training.generator.data import SequenceBuilder, SequenceSet
from workers.training.kind_config import KindConfig
from workers.training.loop import CancelCallback, Progress, ProgressCallback, RunResult
from workers.training_data import Builder, TrainingSet

D = TypeVar("D", bound=TrainingSet)
R = TypeVar("R", bound=RunResult[Any, Any])
Post = Callable[[dict[str, Any]], None]


@dataclass(frozen=True, slots=True, eq=False)
class Trained:
    """A trained, exported and verified model of any kind."""

    exported: Exported
    train_s: float
    export_s: float  # ONNX export + the onnxruntime-vs-PyTorch check
    documents: Callable[[Registration], Documents]  # the kind's, bound to its result


def progress_fields(p: Progress) -> dict[str, Any]:
    """A loop `Progress` as the job row and the admin feed carry it (camelCase, rounded)."""
    return {
        "phase": p.phase,
        "epoch": p.epoch,
        "epochs": p.epochs,
        "step": p.step,
        "steps": p.steps,
        "loss": round(p.loss, 5),
        "accuracy": round(p.accuracy, 5),
        "etaS": round(p.eta_s, 1),
        "samplesPerS": round(p.samples_per_s, 1),
    }


class Plan(ABC, Generic[D, R]):
    """One kind's config and code, as the job uses it; `D` is the kind's training set and `R`
    its training result."""

    __slots__ = ()
    kind: str
    config: KindConfig

    @property
    def shape_ids(self) -> tuple[int, ...]:
        return self.config.shape_ids

    def device_name(self) -> str:
        """The device the run will use, as the device lock names it ("cpu", "cuda:0")."""
        return device_name(self.config.device)

    @abstractmethod
    def builder(self) -> Builder[D]: ...

    @abstractmethod
    def fit(self, data: D, progress: ProgressCallback, cancel: CancelCallback) -> R: ...

    @abstractmethod
    def export(self, result: R) -> Exported:
        """Export to ONNX and measure how far the file strays from PyTorch."""

    @abstractmethod
    def metrics(self, result: R, exported: Exported) -> dict[str, Any]:
        """The metrics document (workers/training/documents.py)."""

    @abstractmethod
    def interface(self) -> dict[str, Any]:
        """What the kind's ONNX file declares besides its classes, for `metadata.json`."""

    def train_and_export(self, data: D, progress: Post, cancel: CancelCallback) -> Trained:
        """Train on `data`, export and verify: an export that does not load, or whose answers
        differ from PyTorch's by more than 1e-4, is a `TrainingError` (nothing gets registered)."""
        result = self.fit(data, lambda p: progress(progress_fields(p)), cancel)
        progress({"phase": "export"})
        started = time.perf_counter()
        try:
            exported = self.export(result)
        except ExportError as exc:
            raise TrainingError(f"the ONNX export was refused: {exc}") from exc
        export_s = time.perf_counter() - started

        def bound(registration: Registration) -> Documents:
            return documents(
                kind=self.kind,
                result=result,
                labels=data.labels,
                metrics=self.metrics(result, exported),
                interface=self.interface(),
                registration=registration,
            )

        return Trained(exported, result.seconds, export_s, bound)


@dataclass(frozen=True, slots=True)
class ClassifierPlan(Plan[LabelledSet, loop.TrainResult]):
    config: TrainConfig
    kind: str = CLASSIFIER

    def builder(self) -> DatasetBuilder:
        return DatasetBuilder(self.config.shape_ids)

    def fit(
        self, data: LabelledSet, progress: ProgressCallback, cancel: CancelCallback
    ) -> loop.TrainResult:
        return loop.fit(self.config, data, progress, cancel)

    def export(self, result: loop.TrainResult) -> Exported:
        return export.export(result.model, self.config, result.val_images)

    def metrics(self, result: loop.TrainResult, exported: Exported) -> dict[str, Any]:
        return metadata.metrics_doc(self.config, result, exported)

    def interface(self) -> dict[str, Any]:
        return metadata.interface(self.config)


@dataclass(frozen=True, slots=True)
class GeneratorPlan(Plan[SequenceSet, generator_loop.GeneratorResult]):
    config: GeneratorConfig
    kind: str = GENERATOR

    def builder(self) -> SequenceBuilder:
        return SequenceBuilder(self.config.shape_ids, self.config.seq_len, self.config.max_strokes)

    def fit(
        self, data: SequenceSet, progress: ProgressCallback, cancel: CancelCallback
    ) -> generator_loop.GeneratorResult:
        return generator_loop.fit(self.config, data, progress, cancel)

    def export(self, result: generator_loop.GeneratorResult) -> Exported:
        return generator_export.export(result)

    def metrics(self, result: generator_loop.GeneratorResult, exported: Exported) -> dict[str, Any]:
        return generator_metadata.metrics_doc(self.config, result, exported)

    def interface(self) -> dict[str, Any]:
        return generator_metadata.interface(self.config)


def plan_for(kind: str, raw_config: dict[str, Any]) -> Plan[Any, Any]:
    """The plan of a job of `kind` with the config stored in its row."""
    if kind == CLASSIFIER:
        return ClassifierPlan(TrainConfig.from_dict(raw_config))
    if kind == GENERATOR:
        return GeneratorPlan(GeneratorConfig.from_dict(raw_config))
    raise ConfigError(f"unknown model kind {kind!r}")
