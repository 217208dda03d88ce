"""A finished training becomes a model: artifacts uploaded, a models row, the job succeeded.

One transaction holds the kind's version lock while the ONNX file and its metadata are
uploaded under `models/<kind>/v<N>/`, the models row is inserted and the job is marked
succeeded. So versions never collide, and a job that was reaped or cancelled meanwhile
(its transition raises `IllegalTransition`) rolls everything back and registers nothing. An
upload that a rolled-back transaction leaves behind is overwritten by the next v<N>.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from store.job_status import JobStatus
from store.models import ModelRow, insert_model, lock_next_version
from store.services import Services
from store.training_jobs import finish


def artifact_keys(kind: str, version: int) -> tuple[str, str]:
    """Object keys of a model's ONNX file and its metadata.json."""
    base = f"models/{kind}/v{version}"
    return f"{base}/model.onnx", f"{base}/metadata.json"


async def register_trained_model(
    svc: Services,
    *,
    job_id: uuid.UUID,
    model_id: uuid.UUID,
    kind: str,
    onnx: bytes,
    metadata: dict[str, Any],
    metrics: dict[str, Any],
    dataset: dict[str, Any],
    job_metrics: dict[str, Any],
    progress: dict[str, Any],
) -> ModelRow:
    """Upload, insert and finish the job as one unit; the new (inactive) model."""
    async with svc.pool.acquire() as conn, conn.transaction():
        version = await lock_next_version(conn, kind)
        artifact, metadata_key = artifact_keys(kind, version)
        document = {
            **metadata,
            "version": version,
            "artifact_key": artifact,
            "metadata_key": metadata_key,
        }
        await svc.objects.put(artifact, onnx)
        await svc.objects.put(metadata_key, json.dumps(document, indent=1).encode())
        model = await insert_model(
            conn,
            artifact_key=artifact,
            metadata_key=metadata_key,
            kind=kind,
            version=version,
            metrics=metrics,
            dataset=dataset,
            job_id=job_id,
            model_id=model_id,
        )
        await finish(
            conn,
            job_id,
            JobStatus.SUCCEEDED,
            metrics=job_metrics,
            progress=progress,
            model_id=model.id,
        )
    return model
