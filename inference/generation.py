"""An exported shape generator inside onnxruntime: seeded sampling, decoded into drawings.

The model file holds only the VAE's decoder (workers/training/generator/export.py): one-hot
class and latent z in, T steps of (dx, dy, dt, stroke count) out. Sampling is numpy
around one onnxruntime call: z ~ N(0, temperature^2 I) from a generator seeded by (seed,
index), so drawing i of a request depends only on the seed and i (asking for 1 or 16 with
the same seed gives the same first drawing), and the same seed always gives the same strokes.

Decoding turns the steps into what a player's browser would have sent: strokes split where
the pen lifts, points on whole pixels of a 400 x 400 canvas (the mouse's grid), timestamps
from the modelled durations, pressure 0.5, device "generated". The result passes
`game.validation.validate_drawing` by construction: every bound it checks is enforced here.

Synchronous, for a worker thread (onnxruntime releases the GIL), like inference/runtime.py.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import onnxruntime as ort

from game.strokes import Drawing, Stroke, make_stroke
from inference.runtime import ModelLoadError, session_options

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

KIND = "generator"
ONEHOT_INPUT = "onehot"
LATENT_INPUT = "z"
OUTPUT_NAME = "steps"
# Channels of a step, in the order the decoder emits them (workers/training/generator/data.py).
DX, DY, DT, STROKE = range(4)

# Sampling at 1.0 draws each class's latent density as fitted: the spread of the training
# drawings. Lower is more typical, higher more unusual (and less often recognisable).
DEFAULT_TEMPERATURE = 1.0
# Where a generated drawing is placed: the game's default square canvas, the drawing's larger
# side 60% of it and centred, the size players typically draw at.
CANVAS = 400
FILL = 0.6
# A step's duration is clamped to what a hand does: a pointer event is >= 4 ms after the last
# (240 Hz), a pen lift takes >= 50 ms, and nothing a model says stalls a drawing for long.
MIN_STEP_MS = 4.0
MAX_STEP_MS = 400.0
MIN_LIFT_MS = 50.0
MAX_LIFT_MS = 1500.0


@dataclass(frozen=True, slots=True, eq=False)
class LatentPrior:
    """Where each class's drawings live in latent space: a diagonal Gaussian mixture per class,
    fitted to the training drawings' codes after training (workers/training/generator/
    prior.py). Sampling the VAE's N(0, I) prior instead lands between the classes' regions
    and off the shapes; this density is what makes samples look like the class.
    """

    weights: F64  # (C, K) mixture weights, rows sum to 1
    means: F64  # (C, K, Z)
    stds: F64  # (C, K, Z)

    def sample(self, cls: int, rng: np.random.Generator, temperature: float) -> F64:
        """One latent (Z,) of class index `cls`: a component by weight, then its Gaussian
        with the spread scaled by `temperature`."""
        k = int(rng.choice(self.weights.shape[1], p=self.weights[cls]))
        eps = rng.standard_normal(self.means.shape[2])
        return np.asarray(self.means[cls, k] + temperature * self.stds[cls, k] * eps)

    def to_json(self) -> str:
        return json.dumps(
            {
                "weights": self.weights.tolist(),
                "means": self.means.tolist(),
                "stds": self.stds.tolist(),
            }
        )

    @classmethod
    def from_json(cls, raw: str) -> LatentPrior:
        data = json.loads(raw)
        prior = cls(*(np.asarray(data[k], dtype=np.float64) for k in ("weights", "means", "stds")))
        c, k = prior.weights.shape
        if prior.means.shape[:2] != (c, k) or prior.stds.shape != prior.means.shape:
            raise ValueError("prior arrays disagree in shape")
        if not np.allclose(prior.weights.sum(axis=1), 1.0) or (prior.stds < 0).any():
            raise ValueError("prior weights must sum to 1 and stds be >= 0")
        return prior


@dataclass(frozen=True, slots=True)
class GeneratorSpec:
    """What a generator file says about itself (its ONNX metadata)."""

    shape_ids: tuple[int, ...]  # one-hot index -> shape id
    shape_names: tuple[str, ...]
    seq_len: int
    latent_dim: int
    time_unit_ms: float
    prior: LatentPrior
    config_digest: str

    @classmethod
    def from_metadata(cls, meta: dict[str, str]) -> GeneratorSpec:
        if meta.get("kind") != KIND:
            raise ModelLoadError(f"not a generator model (kind {meta.get('kind')!r})")
        try:
            spec = cls(
                tuple(int(i) for i in json.loads(meta["shape_ids"])),
                tuple(str(n) for n in json.loads(meta["shape_names"])),
                int(meta["seq_len"]),
                int(meta["latent_dim"]),
                float(meta["time_unit_ms"]),
                LatentPrior.from_json(meta["prior"]),
                meta.get("config_digest", ""),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ModelLoadError(f"generator metadata missing or malformed: {exc!r}") from None
        if not spec.shape_ids or len(spec.shape_ids) != len(spec.shape_names):
            raise ModelLoadError("generator metadata: shape_ids and shape_names differ")
        if spec.seq_len < 2 or spec.latent_dim < 1 or spec.time_unit_ms <= 0:
            raise ModelLoadError("generator metadata: bad seq_len, latent_dim or time unit")
        if spec.prior.means.shape[0::2] != (len(spec.shape_ids), spec.latent_dim):
            raise ModelLoadError("generator metadata: the prior does not fit the classes or z")
        return spec


def latents(prior: LatentPrior, cls: int, seed: int, count: int, temperature: float) -> F32:
    """(count, Z) latents of class index `cls`: row i from its own stream seeded by (seed, i),
    so a drawing depends on its seed and index only."""
    rows = [prior.sample(cls, np.random.default_rng([seed, i]), temperature) for i in range(count)]
    return np.stack(rows).astype(np.float32)


def _durations(steps: F32, time_unit_ms: float, pen_down: npt.NDArray[np.bool_]) -> F64:
    """Milliseconds each step took, clamped to a hand's range; step 0 takes none."""
    ms = steps[:, DT].astype(np.float64) * time_unit_ms
    ms = np.where(
        pen_down, np.clip(ms, MIN_STEP_MS, MAX_STEP_MS), np.clip(ms, MIN_LIFT_MS, MAX_LIFT_MS)
    )
    ms[0] = 0.0
    return ms


def decode(
    steps: F32,
    shape_id: int,
    time_unit_ms: float,
    extra: dict[str, str] | None = None,
) -> Drawing:
    """One (T, 4) step sequence as a drawing on the default canvas (see the module doc)."""
    points = np.cumsum(steps[:, [DX, DY]].astype(np.float64), axis=0)  # (T, 2)
    # The pen lifts where the rounded running stroke count goes up (never down: a count that
    # dips and recovers is one stroke, not three).
    stroke = np.maximum.accumulate(np.maximum(np.round(steps[:, STROKE]), 0.0))  # (T,)
    pen_down = np.concatenate([[False], np.diff(stroke) <= 0])
    times = np.cumsum(_durations(steps, time_unit_ms, pen_down))  # (T,) ms
    bounds = [*np.flatnonzero(~pen_down).tolist(), len(steps)]
    # A lift straight after a lift leaves a one-point stroke: a dot no hand meant to make.
    runs = [(lo, hi) for lo, hi in itertools.pairwise(bounds) if hi - lo >= 2] or [(0, len(steps))]
    kept = np.concatenate([points[lo:hi] for lo, hi in runs])
    lo_xy, hi_xy = kept.min(axis=0), kept.max(axis=0)
    scale = FILL * CANVAS / max(float((hi_xy - lo_xy).max()), 1e-6)
    offset = CANVAS / 2 - (lo_xy + hi_xy) / 2 * scale
    pixels = np.clip(np.round(points * scale + offset), 0, CANVAS)  # (T, 2) mouse grid
    start = times[runs[0][0]]
    strokes: list[Stroke] = [
        make_stroke(pixels[lo:hi, 0], pixels[lo:hi, 1], np.floor(times[lo:hi] - start))
        for lo, hi in runs
    ]
    return Drawing(
        shape_id=shape_id,
        strokes=tuple(strokes),
        canvas_width=CANVAS,
        canvas_height=CANVAS,
        duration_ms=int(strokes[-1].t[-1]),
        device="generated",
        extra=dict(extra or {}),
    )


class OnnxGenerator:
    """A loaded, checked generator: (shape, count, temperature, seed) in, drawings out."""

    def __init__(self, session: ort.InferenceSession, spec: GeneratorSpec) -> None:
        self.spec = spec
        self._session = session
        self._index = {sid: i for i, sid in enumerate(spec.shape_ids)}

    @classmethod
    def load(cls, onnx_bytes: bytes, threads: int = 1) -> OnnxGenerator:
        try:
            session = ort.InferenceSession(
                onnx_bytes, session_options(threads), providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelLoadError(f"onnxruntime cannot load the generator: {exc}") from exc
        spec = GeneratorSpec.from_metadata(dict(session.get_modelmeta().custom_metadata_map))
        names = {i.name for i in session.get_inputs()}
        if names != {ONEHOT_INPUT, LATENT_INPUT}:
            raise ModelLoadError(f"generator inputs are {sorted(names)}, expected onehot and z")
        return cls(session, spec)

    def knows(self, shape_id: int) -> bool:
        return shape_id in self._index

    def steps(self, shape_id: int, z: F32) -> F32:
        """Decoder output (N, T, 4) for N latents (N, Z) of one shape."""
        onehot = np.zeros((z.shape[0], len(self.spec.shape_ids)), dtype=np.float32)  # (N, C)
        onehot[:, self._index[shape_id]] = 1.0
        out = self._session.run([OUTPUT_NAME], {ONEHOT_INPUT: onehot, LATENT_INPUT: z})[0]
        return np.asarray(out, dtype=np.float32)

    def sample(
        self, shape_id: int, count: int, temperature: float, seed: int, tag: str = ""
    ) -> list[Drawing]:
        """`count` drawings of `shape_id` (a shape `knows` must accept); deterministic."""
        z = latents(self.spec.prior, self._index[shape_id], seed, count, temperature)  # (N, Z)
        steps = self.steps(shape_id, z)  # (N, T, 4)
        extra = {"generator": tag or self.spec.config_digest, "seed": str(seed)}
        return [
            decode(steps[i], shape_id, self.spec.time_unit_ms, {**extra, "index": str(i)})
            for i in range(count)
        ]

    def warm(self, max_batch: int) -> None:
        """Sample every shape at the largest batch once and check the output; a file whose
        decoder answers the wrong shape or NaN fails here, before it could serve."""
        for cls, shape_id in enumerate(self.spec.shape_ids):
            z = latents(self.spec.prior, cls, 0, max_batch, 1.0)  # (B, Z)
            try:
                out = self.steps(shape_id, z)
            except Exception as exc:  # onnxruntime raises its own untyped errors
                raise ModelLoadError(f"generator fails on a batch of {max_batch}: {exc}") from exc
            if out.shape != (max_batch, self.spec.seq_len, 4) or not np.isfinite(out).all():
                raise ModelLoadError(f"generator answers {out.shape} or non-finite steps")
            decode(out[0], shape_id, self.spec.time_unit_ms)
