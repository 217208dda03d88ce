"""The PNG encoder and thumbnails: valid files whose pixels decode back exactly."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from server.png import encode_grey
from server.thumbnails import render_thumbnail
from tests.fixtures import circle_drawing
from tests.test_admin_data import _png_pixels


def test_pixels_survive_encoding() -> None:
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(17, 33), dtype=np.uint8)
    assert np.array_equal(_png_pixels(encode_grey(pixels)), pixels)


def test_only_2d_bytes_are_encoded() -> None:
    wrong: list[Any] = [  # float pixels, three channels, no rows
        np.zeros((4, 4), np.float32),
        np.zeros((4, 4, 3), np.uint8),
        np.zeros((0, 4), np.uint8),
    ]
    for bad in wrong:
        with pytest.raises(ValueError):
            encode_grey(bad)


def test_a_thumbnail_shows_the_drawing_fitted_in_the_square() -> None:
    pixels = _png_pixels(render_thumbnail(circle_drawing(), 64))
    ink = pixels < 128
    assert pixels.shape == (64, 64)
    assert ink[:, 32].sum() >= 2 and ink[32, :].sum() >= 2  # the ring crosses both axes
    assert not ink[28:36, 28:36].any()  # and its middle is empty
    assert not ink[[0, -1]].any() and not ink[:, [0, -1]].any()  # the rasteriser's margin
