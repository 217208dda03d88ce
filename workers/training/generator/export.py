"""ONNX export of a trained generator's decoder, checked against PyTorch before it may serve.

The exported graph is the `Sampler` (model.py): inputs `condition` (N, C + S: the class and the
stroke count, one-hot) and `z` (N, Z), output
`steps` (N, T, 4) of (dx, dy, dt, stroke count), with a dynamic batch axis so one call
makes a whole request's drawings. The file is self-describing like the classifier's: kind,
class order, sequence length, latent size and time unit travel as ONNX metadata, and
inference/generation.py refuses a file without them.

The latent density (prior.py) travels in the metadata too: the file is the whole generator.
The check samples latents for every class as serving does and compares every output value.
The exporter is the TorchScript one, for the reasons given in workers/training/export.py.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import torch

from game.shapes import shape_by_id
from inference.generation import (
    CONDITION_INPUT,
    KIND,
    LATENT_INPUT,
    OUTPUT_NAME,
    LatentPrior,
    OnnxGenerator,
    latents,
)
from workers.training.export import MAX_ABS_DIFF, OPSET, Exported, ExportError, OnnxMismatch
from workers.training.generator.config import GeneratorConfig
from workers.training.generator.data import TIME_UNIT_MS
from workers.training.generator.loop import GeneratorResult
from workers.training.generator.model import Sampler, SketchVAE

# Latents checked per class: enough to cover the prior's bulk and its tails.
CHECK_PER_CLASS = 64


def metadata(config: GeneratorConfig, prior: LatentPrior) -> dict[str, str]:
    """Key-value metadata stored in the ONNX file (strings only, as ONNX requires)."""
    return {
        "kind": KIND,
        "shape_ids": json.dumps(list(config.shape_ids)),
        "shape_names": json.dumps([shape_by_id(i).name for i in config.shape_ids]),
        "seq_len": str(config.seq_len),
        "latent_dim": str(config.latent_dim),
        "time_unit_ms": str(TIME_UNIT_MS),
        "prior": prior.to_json(),
        "config_digest": config.digest(),
    }


def to_onnx(model: SketchVAE, config: GeneratorConfig, prior: LatentPrior) -> bytes:
    """Serialise the decoder of `model` (with its output activations) to ONNX bytes."""
    sampler = Sampler(model.cpu().eval().decoder).eval()
    condition = torch.zeros(1, len(config.shape_ids) + config.max_strokes)  # (1, C + S)
    z = torch.zeros(1, config.latent_dim)  # (1, Z)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generator.onnx"
        try:
            with warnings.catch_warnings():
                # The TorchScript exporter announces its own deprecation; not our error.
                warnings.simplefilter("ignore", DeprecationWarning)
                torch.onnx.export(
                    sampler,
                    (condition, z),
                    path,
                    input_names=[CONDITION_INPUT, LATENT_INPUT],
                    output_names=[OUTPUT_NAME],
                    dynamic_axes={
                        CONDITION_INPUT: {0: "batch"},
                        LATENT_INPUT: {0: "batch"},
                        OUTPUT_NAME: {0: "batch"},
                    },
                    opset_version=OPSET,
                    dynamo=False,
                )
        except Exception as exc:  # the exporter raises many unrelated types
            raise ExportError(f"ONNX export failed: {exc}") from exc
        proto = onnx.load(path)
    for key, value in metadata(config, prior).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    blob: bytes = proto.SerializeToString()
    return blob


def verify(
    onnx_bytes: bytes,
    model: SketchVAE,
    config: GeneratorConfig,
    tolerance: float = MAX_ABS_DIFF,
) -> float:
    """Max |onnx - torch| over every output value for `CHECK_PER_CLASS` latents of every
    class, drawn as serving draws them; raises `OnnxMismatch` above `tolerance` and
    `ExportError` if the file does not load as a generator."""
    try:
        generator = OnnxGenerator.load(onnx_bytes)
    except Exception as exc:  # ModelLoadError, or onnxruntime's own
        raise ExportError(f"the exported generator does not load: {exc}") from exc
    sampler = Sampler(model.cpu().eval().decoder).eval()
    diff = 0.0
    for cls, shape_id in enumerate(config.shape_ids):
        inputs = latents(generator.spec.prior, cls, 0, CHECK_PER_CLASS, 1.0)
        condition = generator.condition(shape_id, inputs.strokes)  # (N, C + S)
        with torch.no_grad():
            expected = sampler(torch.from_numpy(condition), torch.from_numpy(inputs.z)).numpy()
        got = generator.run(condition, inputs.z)  # (N, T, 4)
        if got.shape != expected.shape:
            raise ExportError(f"ONNX output shape {got.shape} != PyTorch {expected.shape}")
        diff = max(diff, float(np.abs(got - expected).max()))
        if not diff <= tolerance:  # also catches NaN
            raise OnnxMismatch(diff, tolerance)
    return diff


def export(result: GeneratorResult) -> Exported:
    """Export the decoder and latent density to ONNX; prove it matches PyTorch."""
    blob = to_onnx(result.model, result.config, result.prior)
    return Exported(blob, verify(blob, result.model, result.config))
