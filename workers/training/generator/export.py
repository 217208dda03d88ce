"""ONNX export of a trained generator's decoder, checked against PyTorch before it may serve.

The exported graph is the `Sampler` (model.py): inputs `onehot` (N, C) and `z` (N, Z), output
`steps` (N, T, 4) of (dx, dy, dt, pen-down probability), with a dynamic batch axis so one call
makes a whole request's drawings. The file is self-describing like the classifier's: kind,
class order, sequence length, latent size and time unit travel as ONNX metadata, and
inference/generation.py refuses a file without them.

The check samples latents at temperature 1 for every class (the distribution serving draws
from) and compares every output value; the exporter is the TorchScript one, for the reasons
given in workers/training/export.py.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnx
import torch

from game.shapes import shape_by_id
from inference.generation import KIND, LATENT_INPUT, ONEHOT_INPUT, OUTPUT_NAME, OnnxGenerator
from workers.training.export import MAX_ABS_DIFF, OPSET, Exported, ExportError, OnnxMismatch
from workers.training.generator.config import GeneratorConfig
from workers.training.generator.data import TIME_UNIT_MS
from workers.training.generator.model import Sampler, SketchVAE

F32 = npt.NDArray[np.float32]

# Latents checked per class: enough to cover the prior's bulk and its tails.
CHECK_PER_CLASS = 64


def metadata(config: GeneratorConfig) -> dict[str, str]:
    """Key-value metadata stored in the ONNX file (strings only, as ONNX requires)."""
    return {
        "kind": KIND,
        "shape_ids": json.dumps(list(config.shape_ids)),
        "shape_names": json.dumps([shape_by_id(i).name for i in config.shape_ids]),
        "seq_len": str(config.seq_len),
        "latent_dim": str(config.latent_dim),
        "time_unit_ms": str(TIME_UNIT_MS),
        "config_digest": config.digest(),
    }


def to_onnx(model: SketchVAE, config: GeneratorConfig) -> bytes:
    """Serialise the decoder of `model` (with its output activations) to ONNX bytes."""
    sampler = Sampler(model.cpu().eval().decoder).eval()
    onehot = torch.zeros(1, len(config.shape_ids))  # (1, C)
    z = torch.zeros(1, config.latent_dim)  # (1, Z)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generator.onnx"
        try:
            with warnings.catch_warnings():
                # The TorchScript exporter announces its own deprecation; not our error.
                warnings.simplefilter("ignore", DeprecationWarning)
                torch.onnx.export(
                    sampler,
                    (onehot, z),
                    path,
                    input_names=[ONEHOT_INPUT, LATENT_INPUT],
                    output_names=[OUTPUT_NAME],
                    dynamic_axes={
                        ONEHOT_INPUT: {0: "batch"},
                        LATENT_INPUT: {0: "batch"},
                        OUTPUT_NAME: {0: "batch"},
                    },
                    opset_version=OPSET,
                    dynamo=False,
                )
        except Exception as exc:  # the exporter raises many unrelated types
            raise ExportError(f"ONNX export failed: {exc}") from exc
        proto = onnx.load(path)
    for key, value in metadata(config).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    blob: bytes = proto.SerializeToString()
    return blob


def check_latents(config: GeneratorConfig, seed: int = 0) -> tuple[F32, F32]:
    """(one-hot (N, C), z (N, Z)): `CHECK_PER_CLASS` prior samples for every class."""
    n_classes = len(config.shape_ids)
    labels = np.repeat(np.arange(n_classes), CHECK_PER_CLASS)
    onehot = np.eye(n_classes, dtype=np.float32)[labels]
    z = np.random.default_rng(seed).standard_normal((len(labels), config.latent_dim))
    return onehot, z.astype(np.float32)


def verify(
    onnx_bytes: bytes,
    model: SketchVAE,
    config: GeneratorConfig,
    tolerance: float = MAX_ABS_DIFF,
) -> float:
    """Max |onnx - torch| over every output value of the check latents; raises
    `OnnxMismatch` above `tolerance` and `ExportError` if the file does not load."""
    onehot, z = check_latents(config)
    with torch.no_grad():
        expected = Sampler(model.cpu().eval().decoder)(torch.from_numpy(onehot), torch.from_numpy(z))
    try:
        generator = OnnxGenerator.load(onnx_bytes)
    except Exception as exc:  # ModelLoadError, or onnxruntime's own
        raise ExportError(f"the exported generator does not load: {exc}") from exc
    got = np.concatenate(
        [
            generator.steps(sid, z[onehot[:, i] == 1.0])
            for i, sid in enumerate(config.shape_ids)
        ]
    )  # (N, T, 4), classes in the same order as `check_latents` lays them out
    if got.shape != tuple(expected.shape):
        raise ExportError(f"ONNX output shape {got.shape} != PyTorch {tuple(expected.shape)}")
    diff = float(np.abs(got - expected.numpy()).max())
    if not diff <= tolerance:  # also catches NaN
        raise OnnxMismatch(diff, tolerance)
    return diff


def export(model: SketchVAE, config: GeneratorConfig) -> Exported:
    """Export the decoder to ONNX and prove it matches PyTorch on prior samples."""
    blob = to_onnx(model, config)
    return Exported(blob, verify(blob, model, config))
