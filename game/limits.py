"""Bounds on what a player may send.

Every limit protects memory or storage from a hostile or broken client; the numbers leave
ample room for a human drawing (a slow, careful heart at 120 Hz pointer events is ~1,500
points) while keeping one drawing well under a few hundred kilobytes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_strokes: int = 64
    max_points_per_stroke: int = 4_096
    max_points: int = 16_384
    # Canvas sides the client may report, in CSS pixels.
    min_canvas: int = 16
    max_canvas: int = 8_192
    # Pointer capture lets a stroke leave the canvas; allow half a canvas of slack each side.
    coord_slack: float = 0.5
    max_duration_ms: int = 10 * 60 * 1000
    max_payload_bytes: int = 512 * 1024
    # WebSocket frames per second per connection (pointer batches are sent per frame).
    max_frames_per_second: int = 240
    max_idempotency_key_len: int = 128
    max_color_len: int = 32
    max_stroke_width: float = 100.0


DEFAULT_LIMITS = Limits()
