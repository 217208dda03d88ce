"""The training pipeline end to end on a CPU: data, split, loop, export, ONNX check."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch

from game.shapes import SHAPES
from game.strokes import Drawing
from game.synthetic import synth_drawings
from inference.raster import RASTER_VERSION, rasterize_batch
from store.records import StoredDrawing, decode_record, encode_record
from workers.training.augment import augment
from workers.training.config import AugmentConfig, TrainConfig
from workers.training.dataset import DatasetBuilder, DatasetError, split, stratified_split
from workers.training.errors import ConfigError
from workers.training.export import (
    INPUT_NAME,
    OnnxMismatch,
    export,
    load_session,
    run_onnx,
    verify,
)
from workers.training.loop import Progress, TrainingCancelled, build_model, evaluate, train

SHAPE_IDS = [s.id for s in SHAPES]


@pytest.fixture(scope="module")
def drawings() -> list[Drawing]:
    return synth_drawings(60, np.random.default_rng(0))  # 300 drawings, 60 per shape


def _config() -> TrainConfig:
    # Wider than the CI dry-run config, five epochs: ~99% on fresh drawings for any seed tried.
    return replace(TrainConfig.tiny(), epochs=5, width=8, batch_size=32)


def test_train_export_and_classify_with_onnxruntime(drawings: list[Drawing]) -> None:
    events: list[Progress] = []
    config = _config()
    result = train(config, drawings, [d.shape_id for d in drawings], events.append)

    assert [e.epoch for e in events if e.phase == "eval"] == [1, 2, 3, 4, 5]
    assert events[-1].step == events[-1].steps == result.steps
    assert events[-1].eta_s == 0.0
    assert result.train_counts == [54] * 5 and result.val_counts == [6] * 5
    m = result.metrics
    assert len(m.precision) == len(m.recall) == 5
    assert np.array(m.confusion).sum() == 30

    exported = export(result.model, config, result.val_images)
    assert exported.max_abs_diff <= 1e-4
    session = load_session(exported.onnx_bytes)
    meta = session.get_modelmeta().custom_metadata_map
    assert json.loads(meta["shape_ids"]) == SHAPE_IDS
    assert json.loads(meta["shape_names"])[0] == "line"
    assert session.get_inputs()[0].name == INPUT_NAME

    fresh = synth_drawings(20, np.random.default_rng(99))
    probs = run_onnx(session, rasterize_batch(fresh))  # any batch size: dynamic axis
    assert probs.shape == (100, 5)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    accuracy = float(
        (np.array(SHAPE_IDS)[probs.argmax(axis=1)] == [d.shape_id for d in fresh]).mean()
    )
    assert accuracy > 0.8  # chance is 0.2


def test_training_and_serving_rasterise_identically(drawings: list[Drawing]) -> None:
    """The validation tensors the trainer builds from stored records are exactly what serving
    makes from the same drawings: one rasteriser, one normalisation, no drift."""
    builder = DatasetBuilder(SHAPE_IDS)
    for i, d in enumerate(drawings):  # the shard round trip the worker reads through
        stored = StoredDrawing(f"d{i}", "s", "u", 0, 1.0, d)
        builder.add(decode_record(encode_record(stored)))
    data = builder.build()
    config = TrainConfig.tiny()  # the split depends only on val_fraction and seed
    parts = split(data, 5, config.val_fraction, config.seed)
    _, val_idx = stratified_split(data.labels, config.val_fraction, config.seed)
    serving = rasterize_batch([drawings[i] for i in val_idx])

    result = train(config, drawings, [d.shape_id for d in drawings])
    assert np.array_equal(result.val_images, serving)
    unchanged = augment(parts.val.strokes, np.random.default_rng(0), AugmentConfig.none())
    assert unchanged is parts.val.strokes


def test_onnx_mismatch_is_a_typed_error(drawings: list[Drawing]) -> None:
    config = TrainConfig.tiny()
    torch.manual_seed(0)
    model = build_model(config)
    images = rasterize_batch(drawings[:50])
    exported = export(model, config, images)
    torch.manual_seed(1)
    other = build_model(config)
    with pytest.raises(OnnxMismatch) as caught:
        verify(exported.onnx_bytes, other, images)
    assert caught.value.max_abs_diff > 1e-4


def test_cancel_stops_at_the_next_step(drawings: list[Drawing]) -> None:
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls >= 3

    with pytest.raises(TrainingCancelled):
        train(TrainConfig.tiny(), drawings, [d.shape_id for d in drawings], cancel=cancel)
    assert calls == 3


def test_augmentation_changes_geometry_but_keeps_structure(drawings: list[Drawing]) -> None:
    builder = DatasetBuilder(SHAPE_IDS)
    for d in drawings[:40]:
        builder.add(d)
    packed = builder.build().strokes
    out = augment(packed, np.random.default_rng(0), AugmentConfig(stroke_dropout=0.0))
    assert np.array_equal(out.stroke_offsets, packed.stroke_offsets)
    assert not np.allclose(out.x, packed.x)
    dropped = augment(packed, np.random.default_rng(0), AugmentConfig(stroke_dropout=0.9))
    assert len(dropped) == len(packed)
    assert (dropped.strokes_per_drawing >= 1).all()
    assert dropped.strokes_per_drawing.sum() < packed.strokes_per_drawing.sum()


def test_split_is_stratified_and_deterministic() -> None:
    labels = np.repeat(np.arange(5), [100, 50, 20, 10, 2])
    train_a, val_a = stratified_split(labels, 0.1, seed=3)
    train_b, val_b = stratified_split(labels, 0.1, seed=3)
    assert np.array_equal(val_a, val_b) and np.array_equal(train_a, train_b)
    assert np.bincount(labels[val_a]).tolist() == [10, 5, 2, 1, 1]
    assert sorted(np.concatenate([train_a, val_a]).tolist()) == list(range(len(labels)))


def test_a_missing_class_is_refused(drawings: list[Drawing]) -> None:
    only_lines = [d for d in drawings if d.shape_id == 1]
    with pytest.raises(DatasetError):
        train(TrainConfig.tiny(), only_lines, [d.shape_id for d in only_lines])


def test_evaluate_metrics_on_a_known_confusion() -> None:
    class Fixed(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            # Predicts class 0 when the top-left pixel is inked, else class 1.
            first = x[:, 0, 0, 0]
            return torch.stack([first, 1.0 - first], dim=1) * 10.0

    images = np.zeros((4, 1, 32, 32), dtype=np.float32)
    images[:3, 0, 0, 0] = 1.0  # predicted 0, 0, 0, 1
    metrics = evaluate(Fixed(), images, np.array([0, 0, 1, 1]), torch.device("cpu"))
    assert metrics.accuracy == 0.75
    assert metrics.confusion == [[2, 0], [1, 1]]
    assert metrics.precision == [2 / 3, 1.0] and metrics.recall == [1.0, 0.5]


def test_config_round_trip_and_digest() -> None:
    config = TrainConfig(epochs=3, augment=AugmentConfig(rotation_deg=5.0))
    again = TrainConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config and again.digest() == config.digest()
    assert TrainConfig(epochs=4).digest() != config.digest()
    with pytest.raises(ConfigError):
        TrainConfig.from_dict({"epochs": 2, "learning_rate": 1.0})
    with pytest.raises(ConfigError):
        TrainConfig(val_fraction=1.5)
    with pytest.raises(ConfigError):
        TrainConfig.from_dict({"augment": {"spin": 1}})


def test_checkpoint_rebuilds_the_same_model(drawings: list[Drawing]) -> None:
    result = train(TrainConfig.tiny(), drawings, [d.shape_id for d in drawings])
    saved = result.checkpoint()
    config = TrainConfig.from_dict(saved["config"])
    rebuilt = build_model(config)
    rebuilt.load_state_dict(saved["model_state"])
    rebuilt.eval()
    images = torch.from_numpy(result.val_images)
    with torch.no_grad():
        assert torch.equal(rebuilt(images), result.model(images))
    assert saved["step"] == result.steps and saved["raster_version"] == RASTER_VERSION
