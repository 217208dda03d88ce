"""`GET /api/admin/models/compare`: both models on the same live, unflagged sample; the
drawings whose top-1 answer differs; errors for missing, unknown and unloadable models."""

from __future__ import annotations

import json
import uuid

import numpy as np
import onnx
from onnx import TensorProto, helper

from inference.raster import RASTER_VERSION
from inference.runtime import OnnxClassifier
from store.models import insert_model
from store.services import Services
from tests.admin_fixtures import AdminBrowser
from tests.drawing_factory import Spec, store_drawings
from tests.fixtures import circle_drawing
from tests.model_fixtures import RegisterModel, TrainedModel

COMPARE = "/api/admin/models/compare"
SHAPE_NAMES = ["line", "circle", "square", "triangle", "heart"]


def always_line_model() -> bytes:
    """A valid classifier file that answers "line" (p ~ 0.9998) for every image."""
    bias = np.array([10, 0, 0, 0, 0], dtype=np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Flatten", ["image"], ["flat"], axis=1),  # (N, 1024)
            helper.make_node("MatMul", ["flat", "w"], ["zero"]),  # (N, 5) zeros
            helper.make_node("Add", ["zero", "b"], ["logits"]),
            helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
        ],
        "always_line",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 1, 32, 32])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 5])],
        [
            helper.make_tensor("w", TensorProto.FLOAT, [1024, 5], np.zeros(5120, np.float32)),
            helper.make_tensor("b", TensorProto.FLOAT, [5], bias),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    meta = {
        "shape_ids": json.dumps([1, 2, 3, 4, 5]),
        "shape_names": json.dumps(SHAPE_NAMES),
        "image_size": "32",
        "raster_version": str(RASTER_VERSION),
    }
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    blob: bytes = model.SerializeToString()
    return blob


async def test_lists_the_drawings_whose_answer_changed(
    browser: AdminBrowser,
    svc: Services,
    register_model: RegisterModel,
    trained_model: TrainedModel,
) -> None:
    specs = [Spec(shape_id=1 + i % 5, at_ms=1_704_067_200_000 + i) for i in range(12)]
    ids = await store_drawings(svc, specs)
    await browser.request("POST", f"/api/admin/drawings/{ids[0]}/flag", json={"flagged": True})
    await browser.request("POST", f"/api/admin/drawings/{ids[1]}/delete")
    a = await register_model()
    b = await register_model(onnx=always_line_model(), activate=False)
    r = await browser.request("GET", f"{COMPARE}?a={a.id}&b={b.id}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["evaluated"] == 10  # the flagged and the deleted drawing are not sampled
    assert body["a"]["id"] == str(a.id) and body["a"]["version"] == a.version
    assert body["a"]["isActive"] is True and body["b"]["isActive"] is False
    assert body["a"]["metrics"] == {"accuracy": trained_model.accuracy}
    assert body["a"]["shapes"] == SHAPE_NAMES
    # What model a answers for each sampled drawing, computed here independently.
    sampled = [(i, s) for i, s in zip(ids, specs, strict=True) if i not in ids[:2]]
    drawings = [circle_drawing(s.shape_id, seed=ids.index(i)) for i, s in sampled]
    probs = OnnxClassifier.load(trained_model.onnx).classify(drawings)
    a_answers = {
        str(i): SHAPE_NAMES[int(k)] for (i, _), k in zip(sampled, probs.argmax(1), strict=True)
    }
    labels = {str(i): SHAPE_NAMES[s.shape_id - 1] for i, s in sampled}
    changed = {c["drawingId"]: c for c in body["changed"]}
    assert set(changed) == {i for i, name in a_answers.items() if name != "line"}
    for drawing_id, c in changed.items():
        assert c["shape"] == labels[drawing_id]
        assert c["a"]["shape"] == a_answers[drawing_id]
        assert c["b"] == {"shape": "line", "confidence": 0.9998}
    lines = sum(s.shape_id == 1 for _, s in sampled)
    assert body["b"]["sampleAccuracy"] == round(lines / 10, 4)


async def test_a_model_against_itself_changes_nothing(
    browser: AdminBrowser, svc: Services, register_model: RegisterModel
) -> None:
    await store_drawings(svc, [Spec(), Spec(shape_id=3)])
    a = await register_model()
    body = (await browser.request("GET", f"{COMPARE}?a={a.id}&b={a.id}")).json()
    assert body["changed"] == [] and body["evaluated"] == 2


async def test_bad_comparisons(
    browser: AdminBrowser, svc: Services, register_model: RegisterModel
) -> None:
    a = await register_model()
    r = await browser.request("GET", f"{COMPARE}?a={a.id}")
    assert r.status_code == 400 and {d["field"] for d in r.json()["details"]} == {"b"}
    r = await browser.request("GET", f"{COMPARE}?a=x&b=y")
    assert r.status_code == 400 and {d["field"] for d in r.json()["details"]} == {"a", "b"}
    r = await browser.request("GET", f"{COMPARE}?a={a.id}&b={uuid.uuid4()}")
    assert r.status_code == 404
    garbage = await register_model(onnx=b"not a model", activate=False)
    r = await browser.request("GET", f"{COMPARE}?a={a.id}&b={garbage.id}")
    assert r.status_code == 409 and r.json()["error"] == "model_unusable"
    lost = await insert_model(
        svc.pool, artifact_key="models/gone/model.onnx", metadata_key="models/gone/model.json"
    )
    r = await browser.request("GET", f"{COMPARE}?a={a.id}&b={lost.id}")
    assert r.status_code == 409 and r.json()["error"] == "model_unusable"
