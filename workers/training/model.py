"""The shape classifier: a small all-convolutional network, readable in one screen.

Strided convolutions halve 32 -> 16 -> 8 -> 4 instead of max-pooling: on a CPU the pooling
and full-resolution activations cost more than the convolutions (profiled: a max-pooled
design of the same width trained ~2x slower). The head reads the whole 4x4 map rather than a global
average, because *where* ink lies matters: a heart's point is at the bottom, a triangle's apex
at the top. ~0.1M parameters; ~2,000 training samples/s on two CPU cores, augmentation and
rasterising included (bench/train.py).
"""

from __future__ import annotations

import torch
from torch import nn


def _conv(c_in: int, c_out: int, kernel: int, stride: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


class ShapeNet(nn.Module):
    """Logits over `n_classes` shapes from a (B, 1, S, S) raster, S divisible by 8."""

    def __init__(self, n_classes: int, image_size: int = 32, width: int = 16) -> None:
        super().__init__()
        self.features = nn.Sequential(
            _conv(1, width, 5, 2),  # (B, w, S/2, S/2): strokes -> edge and corner detectors
            _conv(width, 2 * width, 3, 2),  # (B, 2w, S/4, S/4)
            _conv(2 * width, 2 * width, 3, 1),  # (B, 2w, S/4, S/4): corners vs arcs
            _conv(2 * width, 4 * width, 3, 2),  # (B, 4w, S/8, S/8)
        )
        side = image_size // 8
        self.head = nn.Sequential(
            nn.Flatten(),  # (B, 4w * S/8 * S/8)
            nn.Dropout(0.2),
            nn.Linear(4 * width * side * side, 64),  # (B, 64)
            nn.ReLU(inplace=True),
            nn.Linear(64, n_classes),  # (B, C)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logits: torch.Tensor = self.head(self.features(x))  # (B, 1, S, S) -> (B, C)
        return logits
