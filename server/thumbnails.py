"""Drawing thumbnails for the admin data browser: the strokes as the model sees them.

Rendered by the one rasteriser (inference/raster.py) at the requested size, so a thumbnail
shows exactly the normalised picture training and serving use (box-fitted, centred, the same
line) and curating by eye judges what the model will learn from. Dark ink on white.
"""

from __future__ import annotations

import numpy as np

from game.strokes import Drawing
from inference.raster import RASTER_VERSION, rasterize
from server.png import encode_grey

MIN_SIZE = 16
MAX_SIZE = 256
DEFAULT_SIZE = 96


def render_thumbnail(drawing: Drawing, size: int) -> bytes:
    ink = rasterize(drawing, size)[0, 0]  # (S, S) float32 in [0, 1]
    return encode_grey((255 - np.rint(ink * 255)).astype(np.uint8))


def thumbnail_etag(drawing_id: str, size: int) -> str:
    """Strokes never change once stored, so the id, size and renderer version name the
    image for good: a new rasteriser version is a new ETag."""
    return f'"{drawing_id}-{size}-r{RASTER_VERSION}"'
