"""The shape generator: a class-conditional VAE over fixed-length pen sequences, in one file.

The encoder reads a whole drawing (T steps of dx, dy, dt, stroke) and its class and proposes a
posterior over z; the decoder maps (class one-hot, z) straight to all T steps at once. Only
the decoder is served: sampling is z ~ N(0, temperature^2 I) and one decoder call, so the
exported graph is static-size, has no loop, and makes a drawing in well under a millisecond.

Why not an autoregressive sketch-rnn decoder: it needs a sampling loop of T small steps
(hundreds of onnxruntime calls, or a scan op) and is harder to train on a CPU in minutes.
Pen states and offsets of the five shapes are smooth functions of a few latent factors
(where the stroke starts, which way it goes, how many strokes, aspect, wobble), which an MLP
decodes well. Why not a GAN: a VAE trains stably with a plain loss and its latent prior is
what temperature scales. ~0.8M parameters at the default width.
"""

from __future__ import annotations

import torch
from torch import nn

from workers.training.generator.data import CHANNELS, DT


def _mlp(n_in: int, hidden: int, n_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(n_in, hidden),
        nn.GELU(),
        nn.Linear(hidden, hidden),
        nn.GELU(),
        nn.Linear(hidden, n_out),
    )


class Encoder(nn.Module):
    """(B, T, 4) sequence and (B, C) one-hot -> posterior mean and log-variance (B, Z) each."""

    def __init__(self, n_classes: int, seq_len: int, latent_dim: int, hidden: int) -> None:
        super().__init__()
        self.net = _mlp(seq_len * CHANNELS + n_classes, hidden, 2 * latent_dim)

    def forward(self, seq: torch.Tensor, onehot: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = torch.cat([seq.flatten(1), onehot], dim=1)  # (B, 4T + C)
        mu, logvar = self.net(x).chunk(2, dim=1)  # (B, Z), (B, Z)
        return mu, logvar


class Decoder(nn.Module):
    """(B, C) one-hot and (B, Z) latent -> (B, T, 4) of (dx, dy, dt, stroke)."""

    def __init__(self, n_classes: int, seq_len: int, latent_dim: int, hidden: int) -> None:
        super().__init__()
        self.seq_len = seq_len
        self.net = _mlp(n_classes + latent_dim, hidden, seq_len * CHANNELS)

    def forward(self, onehot: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        x = torch.cat([onehot, z], dim=1)  # (B, C + Z)
        out: torch.Tensor = self.net(x).view(-1, self.seq_len, CHANNELS)  # (B, T, 4)
        return out


class SketchVAE(nn.Module):
    def __init__(
        self, n_classes: int, seq_len: int = 64, latent_dim: int = 16, hidden: int = 512
    ) -> None:
        super().__init__()
        self.n_classes = n_classes
        self.latent_dim = latent_dim
        self.encoder = Encoder(n_classes, seq_len, latent_dim, hidden)
        self.decoder = Decoder(n_classes, seq_len, latent_dim, hidden)

    def forward(
        self, seq: torch.Tensor, onehot: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Reconstruction (B, T, 4) through a reparameterised z, and the posterior (B, Z) x 2."""
        mu, logvar = self.encoder(seq, onehot)  # (B, Z) each
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar) if self.training else mu
        return self.decoder(onehot, z), mu, logvar


class Sampler(nn.Module):
    """The served graph: the decoder with negative durations cut to zero."""

    def __init__(self, decoder: Decoder) -> None:
        super().__init__()
        self.decoder = decoder

    def forward(self, onehot: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        out = self.decoder(onehot, z)  # (N, T, 4)
        moves, dt, stroke = out[..., :DT], out[..., DT : DT + 1], out[..., DT + 1 :]
        return torch.cat([moves, torch.relu(dt), stroke], dim=2)  # (N, T, 4)
