"""The rasteriser: deterministic, invariant to where and how big, robust to degenerate input."""

from __future__ import annotations

import numpy as np
import pytest

from game.strokes import Drawing, make_stroke
from game.synthetic import synth_drawings
from inference.raster import (
    IMAGE_SIZE,
    XY,
    RasterError,
    RasterInput,
    pack,
    rasterize,
    rasterize_batch,
    rasterize_packed,
)


def _drawing(*strokes: list[tuple[float, float]]) -> Drawing:
    made = tuple(
        make_stroke([p[0] for p in s], [p[1] for p in s], np.arange(len(s)) * 10) for s in strokes
    )
    return Drawing(1, made, 400, 400, 100, "mouse")


SQUARE = [(100.0, 100.0), (300.0, 100.0), (300.0, 300.0), (100.0, 300.0), (100.0, 100.0)]


def test_output_shape_dtype_and_range() -> None:
    drawings = synth_drawings(20, np.random.default_rng(1))
    images = rasterize_batch(drawings)
    assert images.shape == (100, 1, IMAGE_SIZE, IMAGE_SIZE)
    assert images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert (images.reshape(100, -1).max(axis=1) > 0.9).all()  # every drawing has solid ink


def test_empty_batch() -> None:
    assert rasterize_batch([]).shape == (0, 1, IMAGE_SIZE, IMAGE_SIZE)


def test_deterministic_and_batch_independent() -> None:
    drawings = synth_drawings(10, np.random.default_rng(2))
    a = rasterize_batch(drawings)
    assert np.array_equal(a, rasterize_batch(drawings))
    # A drawing renders the same alone, in any batch, at any position in it.
    assert np.array_equal(rasterize(drawings[7])[0], a[7])
    assert np.array_equal(rasterize_batch(drawings[::-1])[::-1], a)


def test_chunked_batches_match() -> None:
    drawings = synth_drawings(250, np.random.default_rng(3))  # 1,250 > one internal chunk
    images = rasterize_batch(drawings)
    assert np.array_equal(images[1100:1110], rasterize_batch(drawings[1100:1110]))


def test_translation_and_scale_invariance() -> None:
    base = _drawing(SQUARE)
    moved = _drawing([(x * 0.37 + 11.0, y * 0.37 + 53.0) for x, y in SQUARE])
    assert np.allclose(rasterize(base), rasterize(moved), atol=1e-5)


def test_aspect_is_kept_and_centred() -> None:
    flat = rasterize(_drawing([(0.0, 0.0), (200.0, 0.0), (200.0, 50.0), (0.0, 50.0), (0.0, 0.0)]))
    ink = flat[0, 0] > 0.5
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    height, width = np.ptp(rows) + 1, np.ptp(cols) + 1
    assert width > 3 * height  # a 4:1 rectangle stays flat, not stretched to a square
    assert abs((rows.min() + rows.max()) / 2 - (IMAGE_SIZE - 1) / 2) <= 1.0


def test_line_width_does_not_depend_on_size() -> None:
    small = rasterize(_drawing([(0.0, 0.0), (10.0, 10.0)]))
    large = rasterize(_drawing([(0.0, 0.0), (5000.0, 5000.0)]))
    assert np.allclose(small, large, atol=1e-5)


def test_point_density_does_not_change_ink() -> None:
    sparse = rasterize(_drawing([(0.0, 0.0), (300.0, 40.0)]))
    u = np.linspace(0.0, 1.0, 500)
    dense = rasterize(_drawing(list(zip(300.0 * u, 40.0 * u, strict=True))))
    assert np.allclose(sparse, dense, atol=1e-4)


def test_single_point_strokes_are_dots() -> None:
    image = rasterize(_drawing(SQUARE, [(200.0, 200.0)]))[0, 0]
    assert image[15:17, 15:17].max() > 0.45  # the dot in the middle of the square
    only_dot = rasterize(_drawing([(5.0, 5.0)]))[0, 0]
    assert only_dot.max() > 0.45 and only_dot[0].max() == 0.0


def test_all_points_equal_is_a_centred_dot() -> None:
    image = rasterize(_drawing([(50.0, 50.0)] * 30, [(50.0, 50.0)] * 3))[0, 0]
    ys, xs = np.nonzero(image)
    assert image.max() > 0.45
    assert ys.min() >= 14 and ys.max() <= 17 and xs.min() >= 14 and xs.max() <= 17


def test_tiny_jitter_is_not_blown_up() -> None:
    image = rasterize(_drawing([(50.0, 50.0), (50.0002, 50.0001), (50.0, 50.0003)]))[0, 0]
    assert np.count_nonzero(image) <= 16


def test_plain_xy_strokes_equal_drawing_strokes() -> None:
    d = _drawing(SQUARE)
    plain = [XY.of([p[0] for p in SQUARE], [p[1] for p in SQUARE])]
    assert np.array_equal(rasterize(d), rasterize(plain))


def test_packed_select_matches_packing_the_subset() -> None:
    drawings = synth_drawings(6, np.random.default_rng(4))
    idx = [5, 0, 17, 17, 29]
    assert np.array_equal(
        rasterize_packed(pack(drawings).select(idx)),
        rasterize_batch([drawings[i] for i in idx]),
    )


@pytest.mark.parametrize(
    "bad",
    [
        [],  # no strokes
        [XY.of([], [])],  # an empty stroke
        [XY.of([1.0, np.nan], [1.0, 2.0])],
        [XY.of([1.0, np.inf], [1.0, 2.0])],
    ],
)
def test_bad_input_raises(bad: list[XY]) -> None:
    with pytest.raises(RasterError):
        rasterize(bad)


def _awkward_inputs(rng: np.random.Generator) -> list[list[XY]]:
    """Degenerate geometry next to random multi-stroke scribbles at wildly different scales."""
    awkward = [
        [XY.of([5.0], [5.0])],  # one point
        [XY.of([5.0], [5.0]), XY.of([7.0], [9.0])],  # two one-point strokes
        [XY.of([50.0] * 30, [50.0] * 30), XY.of([50.0] * 3, [50.0] * 3)],  # all coincident
        [XY.of([50.0, 50.0002, 50.0], [50.0, 50.0001, 50.0003])],  # sub-MIN_EXTENT jitter
        [XY.of([0.0, 1e6], [0.0, 3.0])],  # extreme aspect
        [XY.of([0.0, 0.0], [0.0, 500.0])],  # zero width
        [XY.of([float(i)], [float(i * i % 7)]) for i in range(60)],  # many one-point strokes
        [XY.of([0.0, 28.0, 28.0, 0.0], [0.0, 0.0, 28.0, 28.0])],  # samples on pixel edges
    ]
    for _ in range(12):
        strokes = []
        for _ in range(int(rng.integers(1, 12))):
            n = int(rng.integers(1, 10))
            scale = float(10 ** rng.uniform(-4, 4))
            x = rng.normal(size=n).cumsum() * scale + rng.uniform(-1e3, 1e3)
            strokes.append(XY.of(x, rng.normal(size=n).cumsum() * scale))
        awkward.append(strokes)
    return awkward


def test_batches_of_awkward_drawings_match_each_drawing_alone() -> None:
    # A lone drawing and a batch take different vectorised routes (broadcast vs per-point
    # repeat); the pixels must not depend on which, bit for bit, degenerate input included.
    rng = np.random.default_rng(5)
    items: list[RasterInput] = [*_awkward_inputs(rng), *synth_drawings(4, rng)]
    alone = np.concatenate([rasterize(it) for it in items])
    assert np.array_equal(rasterize_batch(items), alone)
    order = rng.permutation(len(items))
    assert np.array_equal(rasterize_batch([items[i] for i in order]), alone[order])
    for lo in range(0, len(items), 3):  # small batches, as live requests arrive
        assert np.array_equal(rasterize_batch(items[lo : lo + 3]), alone[lo : lo + 3])
    assert (alone.reshape(len(items), -1).max(axis=1) > 0.45).all()  # every one has ink
