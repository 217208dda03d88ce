"""Log lines are one JSON object each, extras and exceptions included."""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid

from server.logs import JsonFormatter


def _record(msg: str, extra: dict[str, object], exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("broken")
        except ValueError:
            exc_info = sys.exc_info()
    record = logging.LogRecord("drawstream.test", logging.INFO, __file__, 1, msg, (), exc_info)
    record.__dict__.update(extra)
    return record


def test_a_line_carries_time_level_logger_message_and_extras() -> None:
    model = uuid.uuid4()
    line = JsonFormatter().format(_record("request", {"request_id": "r1", "ms": 2.5, "id": model}))
    out = json.loads(line)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", out.pop("ts"))
    assert out == {
        "level": "info",
        "logger": "drawstream.test",
        "msg": "request",
        "request_id": "r1",
        "ms": 2.5,
        "id": str(model),
    }


def test_values_the_fast_encoder_refuses_and_exceptions_still_make_a_line() -> None:
    out = json.loads(JsonFormatter().format(_record("odd", {"big": 2**70, "keys": {1: "a"}})))
    assert out["big"] == 2**70 and out["keys"] == {"1": "a"}
    out = json.loads(JsonFormatter().format(_record("failed", {}, exc=True)))
    assert "ValueError: broken" in out["exc"]
