"""The shape generator without a server: sequences, canonical order, training, ONNX export,
seeded sampling and decoding into valid drawings."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from game.shapes import SHAPES
from game.strokes import Drawing, Stroke, make_stroke
from game.synthetic import synth_drawings
from game.validation import validate_drawing
from inference.generation import OnnxGenerator, decode
from inference.runtime import ModelLoadError
from workers.training.config import TrainConfig
from workers.training.errors import ConfigError
from workers.training.export import OnnxMismatch
from workers.training.export import to_onnx as classifier_onnx
from workers.training.generator.canonical import TimedPath, canonical
from workers.training.generator.config import GeneratorConfig
from workers.training.generator.data import DT, DX, DY, STROKE, allocate, to_sequence
from workers.training.generator.export import export, verify
from workers.training.generator.loop import GeneratorResult, train_generator
from workers.training.loop import Progress, TrainingCancelled
from workers.training.loop import build_model as build_classifier

SHAPE_IDS = [s.id for s in SHAPES]


# ---- sequences and canonical order --------------------------------------------------------------


def test_allocation_gives_every_stroke_its_ends_and_the_rest_by_length() -> None:
    counts = allocate(np.array([3.0, 1.0, 0.0]), 20)
    assert counts.sum() == 20 and counts.min() >= 2
    assert counts[0] > counts[1] > counts[2] == 2


def test_a_drawing_becomes_a_fixed_length_pen_sequence() -> None:
    [d] = synth_drawings(1, np.random.default_rng(3), shape_ids=[3])
    seq = to_sequence(d.strokes, 64, 6)  # (T, 4)
    assert seq.shape == (64, 4) and seq.dtype == np.float32
    points = np.cumsum(seq[:, :DT], axis=0)
    assert np.allclose(points.min(axis=0) + points.max(axis=0), 0.0, atol=1e-5)  # centred
    assert np.isclose(np.ptp(points, axis=0).max(), 1.0)  # larger side 1
    assert (seq[:, DT] >= 0).all() and seq[0, DT] == 0
    strokes = seq[:, STROKE]
    assert strokes[0] == 0 and (np.diff(strokes) >= 0).all()
    assert strokes[-1] == min(len(d.strokes), 6) - 1


def _square(clockwise: bool, start: int) -> list[TimedPath]:
    """A unit square in one closed stroke from corner `start`, sampled every 0.1."""
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])  # y down: clockwise
    ring = corners[(start + np.arange(5) * (1 if clockwise else -1)) % 4]
    edges = [np.linspace(a, b, 10, endpoint=False) for a, b in itertools.pairwise(ring)]
    path = np.vstack([*edges, ring[-1:]])
    return [TimedPath(path, np.arange(len(path), dtype=np.float64) * 16.0)]


def _as_strokes(paths: list[TimedPath]) -> list[Stroke]:
    return [make_stroke(p.xy[:, 0] * 200, p.xy[:, 1] * 200, p.t) for p in paths]


def test_canonical_order_makes_start_and_direction_irrelevant() -> None:
    """The same square, started at any corner in either direction, is one sequence (its
    timing too, but for where the old start's pause falls)."""
    reference = to_sequence(_as_strokes(_square(True, 0)), 32, 6)
    shape = [DX, DY, STROKE]
    for clockwise in (True, False):
        for start in range(4):
            got = to_sequence(_as_strokes(_square(clockwise, start)), 32, 6)
            assert np.allclose(got[:, shape], reference[:, shape], atol=1e-5), (clockwise, start)
            assert got[:, DT].sum() == pytest.approx(reference[:, DT].sum())


def _reverse(paths: list[TimedPath], pause: float) -> list[TimedPath]:
    """The drawing done backwards: last stroke first, each from its end, same step times."""
    out: list[TimedPath] = []
    t0 = 0.0
    for p in reversed(paths):
        steps = np.concatenate([[0.0], np.diff(p.t)[::-1]])
        out.append(TimedPath(p.xy[::-1], t0 + np.cumsum(steps)))
        t0 = float(out[-1].t[-1]) + pause
    return out


def test_canonical_order_of_strokes_keeps_their_timing() -> None:
    [square] = _square(True, 1)
    t = square.t
    two = [TimedPath(square.xy[:21], t[:21]), TimedPath(square.xy[21:], t[21:] + 300.0)]
    forward, backward = canonical(two), canonical(_reverse(two, 316.0))
    assert len(forward) == len(backward) == 2
    for a, b in zip(forward, backward, strict=True):
        assert np.allclose(a.xy, b.xy) and np.allclose(a.t, b.t)
    assert forward[0].t[0] == 0.0 and (np.diff(forward[0].t) == 16.0).all()
    assert forward[1].t[0] - forward[0].t[-1] == pytest.approx(316.0)  # the pause kept


# ---- training and export ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def drawings() -> list[Drawing]:
    return synth_drawings(40, np.random.default_rng(0))  # 200 drawings, 40 per shape


# One PyTorch thread: two on a busy two-core machine mostly wait on each other.
TINY = replace(GeneratorConfig.tiny(), num_threads=1)


@pytest.fixture(scope="module")
def progress() -> list[Progress]:
    return []


@pytest.fixture(scope="module")
def trained(drawings: list[Drawing], progress: list[Progress]) -> GeneratorResult:
    return train_generator(TINY, drawings, [d.shape_id for d in drawings], progress.append)


@pytest.fixture(scope="module")
def generator(trained: GeneratorResult) -> OnnxGenerator:
    model = OnnxGenerator.load(export(trained).onnx_bytes)
    model.warm(16)
    return model


def test_training_reports_progress_and_fits_a_latent_density(
    trained: GeneratorResult, progress: list[Progress]
) -> None:
    events, result, config = progress, trained, TINY
    assert [e.epoch for e in events if e.phase == "eval"] == [1, 2, 3]
    assert events[-1].step == events[-1].steps == result.steps
    assert result.train_counts == [36] * 5 and result.val_counts == [4] * 5
    assert 0.0 <= result.metrics.stroke_accuracy <= 1.0 and result.metrics.kl >= 0.0
    prior, s, k = result.prior, config.max_strokes, config.prior_components
    assert prior.strokes.shape == (5, s) and np.allclose(prior.strokes.sum(axis=1), 1.0)
    assert prior.strokes[:, 0].min() > 0.5  # most drawings of every shape are one stroke
    assert prior.weights.shape == (5, s, k)
    assert prior.means.shape == prior.stds.shape == (5, s, k, config.latent_dim)
    used = prior.strokes > 0  # a mixture for every stroke count the class has
    assert np.allclose(prior.weights[used].sum(axis=1), 1.0)
    assert (prior.weights[~used] == 0).all()


def test_training_stops_when_cancelled(drawings: list[Drawing]) -> None:
    with pytest.raises(TrainingCancelled):
        train_generator(TINY, drawings, [d.shape_id for d in drawings], cancel=lambda: True)


def test_export_matches_pytorch_and_describes_itself(
    trained: GeneratorResult, generator: OnnxGenerator
) -> None:
    exported = export(trained)
    assert exported.max_abs_diff <= 1e-4
    spec = generator.spec
    assert spec.shape_ids == tuple(SHAPE_IDS)
    assert spec.seq_len == trained.config.seq_len and spec.latent_dim == trained.config.latent_dim
    assert spec.config_digest == trained.config.digest()
    with pytest.raises(OnnxMismatch):
        verify(exported.onnx_bytes, trained.model, trained.config, tolerance=-1.0)


def test_files_that_are_not_generators_are_refused() -> None:
    with pytest.raises(ModelLoadError, match="cannot load"):
        OnnxGenerator.load(b"not an onnx file")
    config = TrainConfig.tiny()
    classifier = classifier_onnx(build_classifier(config), config)
    with pytest.raises(ModelLoadError, match="not a generator"):
        OnnxGenerator.load(classifier)


# ---- sampling ---------------------------------------------------------------------------------


def _strokes_equal(a: list[Drawing], b: list[Drawing]) -> bool:
    return len(a) == len(b) and all(x.same_strokes_as(y) for x, y in zip(a, b, strict=True))


def test_the_same_seed_gives_the_same_drawings(generator: OnnxGenerator) -> None:
    first = generator.sample(2, 4, 1.0, seed=1234)
    assert _strokes_equal(first, generator.sample(2, 4, 1.0, seed=1234))
    assert _strokes_equal(first[:1], generator.sample(2, 1, 1.0, seed=1234))  # per index
    assert not _strokes_equal(first, generator.sample(2, 4, 1.0, seed=1235))
    assert not first[0].same_strokes_as(first[1])


@pytest.mark.parametrize("temperature", [0.1, 1.0, 2.0])
def test_every_sample_passes_submission_validation(
    generator: OnnxGenerator, temperature: float
) -> None:
    for shape_id in SHAPE_IDS:
        for d in generator.sample(shape_id, 16, temperature, seed=shape_id):
            validate_drawing(d)
            assert d.device == "generated" and d.shape_id == shape_id
            assert d.extra["seed"] == str(shape_id)
            for s in d.strokes:
                assert len(s) >= 2 and (np.diff(s.t.astype(np.int64)) >= 0).all()
            starts = [int(s.t[0]) for s in d.strokes]
            assert starts == sorted(starts) and d.duration_ms == int(d.strokes[-1].t[-1])


def test_decoding_survives_whatever_a_decoder_emits() -> None:
    """Garbage steps (huge, negative, flat) still decode into a valid drawing."""
    rng = np.random.default_rng(7)
    for scale in (0.0, 1e-3, 1.0, 1e6):
        steps = (rng.standard_normal((32, 4)) * scale).astype(np.float32)
        validate_drawing(decode(steps, 1, 100.0))


def test_a_config_rejects_what_the_pipeline_cannot_train() -> None:
    with pytest.raises(ConfigError, match="seq_len"):
        GeneratorConfig(max_strokes=40, seq_len=64)
    with pytest.raises(ConfigError, match="unknown config keys: wings"):
        GeneratorConfig.from_dict({"wings": 2})
    config = GeneratorConfig.from_dict({"epochs": 5, "shape_ids": [2, 3]})
    assert config.shape_ids == (2, 3)
    assert config.digest() == replace(config).digest() != GeneratorConfig().digest()
