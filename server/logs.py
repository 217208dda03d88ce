"""JSON log lines (one object per line) carrying the request id when there is one."""

from __future__ import annotations

import functools
import json
import logging
import time

import orjson

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


@functools.lru_cache(maxsize=4)
def _second(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": f"{_second(int(record.created))}.{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        out.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        try:
            return orjson.dumps(out, default=str).decode()
        except TypeError:  # what orjson refuses (an int over 64 bits, a non-str key)
            return json.dumps(out, default=str)


def configure_logging(level: str) -> None:
    """One JSON line per record on stderr. Lines name no source file, line, thread or process,
    so logging is told not to look them up (the documented optimisations): that was a third
    of the ~64 us an access line cost, paid on every request at the default level."""
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("drawstream.access").setLevel(
        logging.WARNING if level.lower() == "warning" else level.upper()
    )
