"""What a generator's documents (workers/training/documents.py) hold that another kind's do not.

Its measures: how well it reconstructs held-out drawings (point error in drawing units, the
share of steps put in the right stroke) and how much its latent carries (KL). Its interface:
inputs, output, sequence length, latent size, time unit. There is no "accuracy": how
recognisable its drawings are is measured against a classifier, by bench/generate.py.
"""

from __future__ import annotations

from typing import Any

from inference.generation import CONDITION_INPUT, LATENT_INPUT, OUTPUT_NAME
from workers.training.documents import class_names, run_metrics
from workers.training.export import Exported
from workers.training.generator.config import GeneratorConfig
from workers.training.generator.data import TIME_UNIT_MS
from workers.training.generator.loop import GeneratorResult


def metrics_doc(
    config: GeneratorConfig, result: GeneratorResult, exported: Exported
) -> dict[str, Any]:
    return {
        **result.metrics.to_dict(),  # loss, point_rmse, stroke_accuracy, kl
        "classes": class_names(config.shape_ids),
        **run_metrics(result, exported),
    }


def interface(config: GeneratorConfig) -> dict[str, Any]:
    n, z = len(config.shape_ids), config.latent_dim
    return {
        "seq_len": config.seq_len,
        "latent_dim": z,
        "time_unit_ms": TIME_UNIT_MS,
        "inputs": [
            {"name": CONDITION_INPUT, "shape": ["batch", n + config.max_strokes]},
            {"name": LATENT_INPUT, "shape": ["batch", z]},
        ],
        "output": {
            "name": OUTPUT_NAME,
            "shape": ["batch", config.seq_len, 4],
            "channels": ["dx", "dy", "dt", "stroke"],
        },
    }
