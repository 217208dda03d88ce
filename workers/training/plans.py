"""What differs between the kinds of model a training job makes: one `Plan` per kind.

The job (workers/train_job.py) is the same for every kind: mark the row running, take the
device, stream the selected drawings, train and export on the executor, register the model.
A plan supplies the rest: the config, the device it asks for, how a stored drawing becomes a
training sample (rasters for the classifier, pen sequences for the generator), the blocking
train-and-export call, and the documents the model is registered with.

Imported on the executor with the rest of the training code (it imports PyTorch).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from store.models import CLASSIFIER, GENERATOR
from store.selection import Selection
from workers.training import metadata, run
from workers.training.config import ConfigError, TrainConfig
from workers.training.dataset import DatasetBuilder, LabelledSet
from workers.training.export import Exported
from workers.training.generator import metadata as generator_metadata
from workers.training.generator import run as generator_run
from workers.training.generator.config import GeneratorConfig
from workers.training.generator.data import SequenceBuilder, SequenceSet
from workers.training.loop import CancelCallback
from workers.training_data import Builder, TrainingSet

D = TypeVar("D", bound=TrainingSet)
Post = Callable[[dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Documents:
    """What registration stores: models.metrics, models.dataset and `metadata.json`."""

    metrics: dict[str, Any]
    dataset: dict[str, Any]
    card: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Registration:
    """What the job knows at registration that training does not."""

    selection: Selection
    drawing_ids: Sequence[str]  # parallel to the training set
    device: str
    timings: dict[str, float]
    model_id: uuid.UUID
    job_id: uuid.UUID


@dataclass(frozen=True, slots=True, eq=False)
class Trained:
    """A trained, exported and verified model of any kind."""

    exported: Exported
    train_s: float
    export_s: float
    documents: Callable[[Registration], Documents]  # the kind's, bound to its result


class Plan(Protocol[D]):
    @property
    def kind(self) -> str: ...

    @property
    def shape_ids(self) -> tuple[int, ...]: ...

    def device_name(self) -> str: ...

    def builder(self) -> Builder[D]: ...

    def train_and_export(self, data: D, progress: Post, cancel: CancelCallback) -> Trained: ...


@dataclass(frozen=True, slots=True)
class ClassifierPlan:
    config: TrainConfig
    kind: str = CLASSIFIER

    @property
    def shape_ids(self) -> tuple[int, ...]:
        return self.config.shape_ids

    def device_name(self) -> str:
        return run.device_name(self.config)

    def builder(self) -> DatasetBuilder:
        return DatasetBuilder(self.config.shape_ids)

    def train_and_export(
        self, data: LabelledSet, progress: Post, cancel: CancelCallback
    ) -> Trained:
        done = run.train_and_export(self.config, data, progress, cancel)
        config, result = self.config, done.result

        def documents(r: Registration) -> Documents:
            metrics = metadata.metrics_doc(config, result, done.exported)
            dataset = metadata.dataset_doc(config, r.selection, result)
            card = metadata.model_metadata(
                model_id=str(r.model_id),
                job_id=str(r.job_id),
                kind=CLASSIFIER,
                device=r.device,
                config=config,
                metrics=metrics,
                dataset=dataset,
                timings=r.timings,
                validation_drawing_ids=metadata.validation_ids(config, data, r.drawing_ids),
            )
            return Documents(metrics, dataset, card)

        return Trained(done.exported, result.seconds, done.export_s, documents)


@dataclass(frozen=True, slots=True)
class GeneratorPlan:
    config: GeneratorConfig
    kind: str = GENERATOR

    @property
    def shape_ids(self) -> tuple[int, ...]:
        return self.config.shape_ids

    def device_name(self) -> str:
        return generator_run.device_name(self.config)

    def builder(self) -> SequenceBuilder:
        return SequenceBuilder(self.config.shape_ids, self.config.seq_len, self.config.max_strokes)

    def train_and_export(
        self, data: SequenceSet, progress: Post, cancel: CancelCallback
    ) -> Trained:
        done = generator_run.train_and_export(self.config, data, progress, cancel)
        config, result = self.config, done.result

        def documents(r: Registration) -> Documents:
            metrics = generator_metadata.metrics_doc(config, result, done.exported)
            dataset = generator_metadata.dataset_doc(config, r.selection, result)
            card = generator_metadata.model_metadata(
                model_id=str(r.model_id),
                job_id=str(r.job_id),
                device=r.device,
                config=config,
                metrics=metrics,
                dataset=dataset,
                timings=r.timings,
                validation_drawing_ids=generator_metadata.validation_ids(
                    config, data, r.drawing_ids
                ),
            )
            return Documents(metrics, dataset, card)

        return Trained(done.exported, result.seconds, done.export_s, documents)


def plan_for(kind: str, raw_config: dict[str, Any]) -> Plan[Any]:
    """The plan of a job of `kind` with the config stored in its row."""
    if kind == CLASSIFIER:
        return ClassifierPlan(TrainConfig.from_dict(raw_config))
    if kind == GENERATOR:
        return GeneratorPlan(GeneratorConfig.from_dict(raw_config))
    raise ConfigError(f"unknown model kind {kind!r}")
