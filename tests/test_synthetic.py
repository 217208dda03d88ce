"""The synthetic drawing generator: valid, reproducible, and as varied as real players."""

from __future__ import annotations

from collections import Counter

import numpy as np

from game.shapes import SHAPES, shape_by_name
from game.synthetic import synth_drawing, synth_drawings
from game.validation import validate_drawing


def test_thousands_of_drawings_are_valid() -> None:
    drawings = synth_drawings(400, np.random.default_rng(0))
    assert len(drawings) == 400 * len(SHAPES)
    for d in drawings:
        validate_drawing(d)
        assert d.device == "synthetic"
        assert all(len(s) >= 2 for s in d.strokes)


def test_same_seed_same_drawings() -> None:
    a = synth_drawings(20, np.random.default_rng(7))
    b = synth_drawings(20, np.random.default_rng(7))
    assert all(
        x.same_strokes_as(y) and x.canvas_width == y.canvas_width for x, y in zip(a, b, strict=True)
    )
    c = synth_drawings(20, np.random.default_rng(8))
    assert not all(x.same_strokes_as(y) for x, y in zip(a, c, strict=True))


def test_interleaved_labels_cover_every_shape() -> None:
    drawings = synth_drawings(3, np.random.default_rng(1))
    assert [d.shape_id for d in drawings[:5]] == [s.id for s in SHAPES]
    assert Counter(d.shape_id for d in drawings) == {s.id: 3 for s in SHAPES}


def test_stroke_counts_vary_like_real_drawings() -> None:
    rng = np.random.default_rng(2)
    square = shape_by_name("square").id
    counts = Counter(len(synth_drawing(square, rng).strokes) for _ in range(600))
    assert set(counts) >= {1, 2, 3, 4}
    assert counts[1] > 300  # most people draw a square in one stroke


def test_timing_is_human() -> None:
    rng = np.random.default_rng(3)
    for _ in range(100):
        d = synth_drawing(shape_by_name("triangle").id, rng)
        t = np.concatenate([s.t for s in d.strokes]).astype(np.int64)
        assert (np.diff(t) >= 0).all() and t[0] == 0
        assert 150 <= d.duration_ms <= 20_000
        for a, b in zip(d.strokes, d.strokes[1:], strict=False):
            assert int(b.t[0]) - int(a.t[-1]) >= 80  # the pen lifts between strokes
        steps = np.diff(d.strokes[0].t.astype(np.int64))
        assert 5 <= np.median(steps) <= 20  # 60 or 120 Hz pointer events


def test_speed_varies_along_a_stroke() -> None:
    d = synth_drawing(shape_by_name("line").id, np.random.default_rng(4))
    s = d.strokes[0]
    speed = np.hypot(np.diff(s.x), np.diff(s.y)) / np.maximum(np.diff(s.t.astype(float)), 1)
    n = len(speed)
    assert speed[n // 3 : 2 * n // 3].mean() > 1.5 * speed[: n // 10].mean()


def test_variety_of_size_position_and_canvas() -> None:
    drawings = synth_drawings(60, np.random.default_rng(5))
    canvases = {(d.canvas_width, d.canvas_height) for d in drawings}
    assert len(canvases) >= 3
    centres, sizes = [], []
    for d in drawings:
        x = np.concatenate([s.x for s in d.strokes])
        y = np.concatenate([s.y for s in d.strokes])
        centres.append((x.min() + x.max()) / 2 / d.canvas_width)
        sizes.append(max(np.ptp(x), np.ptp(y)) / min(d.canvas_width, d.canvas_height))
    assert np.ptp(centres) > 0.3 and np.ptp(sizes) > 0.3
    pressures = {float(s.p[len(s) // 2]) for d in drawings for s in d.strokes}
    assert 0.5 in pressures and len(pressures) > 20  # mouse-like and pen-like pressure


def test_explicit_canvas_is_respected() -> None:
    d = synth_drawing(shape_by_name("heart").id, np.random.default_rng(6), canvas=(1080, 1920))
    validate_drawing(d)
    assert (d.canvas_width, d.canvas_height) == (1080, 1920)
    assert max(float(s.x.max()) for s in d.strokes) <= 1080
