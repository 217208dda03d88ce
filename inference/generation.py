"""An exported shape generator inside onnxruntime: seeded sampling, decoded into drawings.

The model file holds the VAE's decoder (workers/training/generator/export.py): a condition
(shape and stroke count, one-hot) and a latent z in, T steps of (dx, dy, dt, stroke count)
out; and, in its metadata, the density the inputs are sampled from (`LatentPrior`). Sampling
is numpy around one onnxruntime call: a stroke count and a z from the shape's density, the
spread scaled by the temperature, from a random generator seeded by (seed, index), so drawing
i of a request depends only on the seed and i (asking for 1 or 16 with the same seed gives
the same first drawing), and the same seed always gives the same strokes.

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
from inference.runtime import ModelLoadError, open_session

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

KIND = "generator"
CONDITION_INPUT = "condition"
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
    """What serving samples the decoder's inputs from, per class: how often each stroke count
    occurs and, per count, a diagonal Gaussian mixture over the latent, both fitted to the
    training drawings after training (workers/training/generator/prior.py). Sampling the
    VAE's N(0, I) prior instead lands between the classes' regions and off the shapes.
    """

    strokes: F64  # (C, S) P(a drawing has s + 1 strokes), rows sum to 1
    weights: F64  # (C, S, K) mixture weights, rows sum to 1 where the count occurs
    means: F64  # (C, S, K, Z)
    stds: F64  # (C, S, K, Z)

    def sample(self, cls: int, rng: np.random.Generator, temperature: float) -> tuple[int, F64]:
        """One (stroke count index, latent (Z,)) of class index `cls`: a count by frequency,
        a component of its mixture by weight, then that Gaussian with its spread scaled by
        `temperature`."""
        s = int(rng.choice(self.strokes.shape[1], p=self.strokes[cls]))
        k = int(rng.choice(self.weights.shape[2], p=self.weights[cls, s]))
        eps = rng.standard_normal(self.means.shape[3])
        return s, np.asarray(self.means[cls, s, k] + temperature * self.stds[cls, s, k] * eps)

    def to_json(self) -> str:
        """Six decimals: far below what a decoder responds to, and a third of the size."""
        return json.dumps({k: np.round(getattr(self, k), 6).tolist() for k in _PRIOR_ARRAYS})

    @classmethod
    def from_json(cls, raw: str) -> LatentPrior:
        data = json.loads(raw)
        prior = cls(*(np.asarray(data[k], dtype=np.float64) for k in _PRIOR_ARRAYS))
        c, s = prior.strokes.shape
        if prior.weights.ndim != 3 or prior.weights.shape[:2] != (c, s):
            raise ValueError("prior weights do not fit its stroke counts")
        if prior.means.shape[:3] != prior.weights.shape or prior.stds.shape != prior.means.shape:
            raise ValueError("prior arrays disagree in shape")
        if not np.allclose(prior.strokes.sum(axis=1), 1.0) or (prior.strokes < 0).any():
            raise ValueError("prior stroke frequencies must be distributions")
        used = prior.strokes > 0  # (C, S): the mixtures sampling can reach
        if not np.allclose(prior.weights[used].sum(axis=1), 1.0) or (prior.weights < 0).any():
            raise ValueError("prior mixture weights must be distributions")
        if (prior.stds < 0).any():
            raise ValueError("prior stds must be >= 0")
        # Exact sums again after the rounding of `to_json` (numpy's choice checks to 1e-8).
        prior.strokes[:] = prior.strokes / prior.strokes.sum(axis=1, keepdims=True)
        prior.weights[used] = prior.weights[used] / prior.weights[used].sum(axis=1, keepdims=True)
        return prior


_PRIOR_ARRAYS = ("strokes", "weights", "means", "stds")


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
        if (spec.prior.means.shape[0], spec.prior.means.shape[3]) != (
            len(spec.shape_ids),
            spec.latent_dim,
        ):
            raise ModelLoadError("generator metadata: the prior does not fit the classes or z")
        return spec

    @property
    def max_strokes(self) -> int:
        return int(self.prior.strokes.shape[1])


@dataclass(frozen=True, slots=True, eq=False)
class Latents:
    strokes: I64  # (N,) stroke count index: the drawing has strokes[i] + 1 strokes
    z: F32  # (N, Z)


def latents(prior: LatentPrior, cls: int, seed: int, count: int, temperature: float) -> Latents:
    """`count` decoder inputs of class index `cls`: row i from its own stream seeded by
    (seed, i), so a drawing depends on its seed and index only."""
    rows = [prior.sample(cls, np.random.default_rng([seed, i]), temperature) for i in range(count)]
    return Latents(
        np.array([s for s, _ in rows], dtype=np.int64),
        np.stack([z for _, z in rows]).astype(np.float32),
    )


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
        session = open_session(onnx_bytes, threads, "generator")
        spec = GeneratorSpec.from_metadata(dict(session.get_modelmeta().custom_metadata_map))
        names = {i.name for i in session.get_inputs()}
        if names != {CONDITION_INPUT, LATENT_INPUT}:
            raise ModelLoadError(f"generator inputs are {sorted(names)}, expected condition, z")
        return cls(session, spec)

    def knows(self, shape_id: int) -> bool:
        return shape_id in self._index

    def condition(self, shape_id: int, strokes: I64) -> F32:
        """The decoder's condition (N, C + S): the shape and each stroke count, one-hot."""
        n, classes = strokes.shape[0], len(self.spec.shape_ids)
        out = np.zeros((n, classes + self.spec.max_strokes), dtype=np.float32)
        out[:, self._index[shape_id]] = 1.0
        out[np.arange(n), classes + strokes] = 1.0
        return out

    def run(self, condition: F32, z: F32) -> F32:
        """The exported graph's output (N, T, 4) as is."""
        feed = {CONDITION_INPUT: condition, LATENT_INPUT: z}
        return np.asarray(self._session.run([OUTPUT_NAME], feed)[0], dtype=np.float32)

    def steps(self, shape_id: int, inputs: Latents) -> F32:
        """Decoder output (N, T, 4) for N sampled inputs of one shape, with never more
        strokes than asked for (a count ramp may overshoot on its last steps)."""
        out = self.run(self.condition(shape_id, inputs.strokes), inputs.z)
        last = inputs.strokes[:, None].astype(np.float32)  # (N, 1)
        out[..., STROKE] = np.clip(out[..., STROKE], 0.0, last)
        return out

    def sample(
        self, shape_id: int, count: int, temperature: float, seed: int, tag: str = ""
    ) -> list[Drawing]:
        """`count` drawings of `shape_id` (a shape `knows` must accept); deterministic."""
        inputs = latents(self.spec.prior, self._index[shape_id], seed, count, temperature)
        steps = self.steps(shape_id, inputs)  # (N, T, 4)
        extra = {"generator": tag or self.spec.config_digest, "seed": str(seed)}
        return [
            decode(steps[i], shape_id, self.spec.time_unit_ms, {**extra, "index": str(i)})
            for i in range(count)
        ]

    def warm(self, max_batch: int) -> None:
        """Sample every shape at the largest batch once and check the output; a file whose
        decoder answers the wrong shape or NaN fails here, before it could serve."""
        for cls, shape_id in enumerate(self.spec.shape_ids):
            inputs = latents(self.spec.prior, cls, 0, max_batch, 1.0)
            try:
                out = self.steps(shape_id, inputs)
            except Exception as exc:  # onnxruntime raises its own untyped errors
                raise ModelLoadError(f"generator fails on a batch of {max_batch}: {exc}") from exc
            if out.shape != (max_batch, self.spec.seq_len, 4) or not np.isfinite(out).all():
                raise ModelLoadError(f"generator answers {out.shape} or non-finite steps")
            decode(out[0], shape_id, self.spec.time_unit_ms)
