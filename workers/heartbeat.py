"""The event-loop side of a running training job: heartbeat, progress, cancel, device lock.

Training runs on a thread; this runs beside it on the worker's event loop, once a second:

- progress the training thread posted (thread-safe) goes into the job row and out on the admin
  channel as a `{"type": "training", ...}` event, at most once a tick;
- the row's `heartbeat_at` is refreshed at least every `HEARTBEAT_INTERVAL_S`, so the reaper
  (workers/reaper.py) can tell a live worker from a dead one;
- the cancel flag an admin set (store.keys.training_cancel) is polled; seeing it, or seeing
  that the row is no longer running (reaped), sets `stop`, a `threading.Event` the training
  loop's cancel callback reads after every step;
- the device lock's TTL is restarted.

A tick that fails (database or Redis briefly down) is logged and retried next tick: the job
keeps training, and if the outage outlasts the reaper's threshold the job is failed by it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
from typing import Any

from store import keys
from store.device_locks import DeviceLock
from store.feed import Feed
from store.job_status import JobStatus
from store.services import Services
from store.training_jobs import heartbeat

log = logging.getLogger("drawstream.training")

TICK_S = 1.0
# The reaper's threshold (workers/reaper.py) is many of these, so a few slow ticks are fine.
HEARTBEAT_INTERVAL_S = 5.0


def training_event(job_id: uuid.UUID, status: JobStatus, **fields: Any) -> dict[str, Any]:
    """One event on the admin channel about a training job (docs/ws-protocol.md)."""
    return {"type": "training", "jobId": str(job_id), "status": status.value, **fields}


class JobHeartbeat:
    def __init__(
        self, svc: Services, job_id: uuid.UUID, progress: dict[str, Any], tick_s: float = TICK_S
    ) -> None:
        self._svc = svc
        self._feed = Feed(svc.redis)
        self.job_id = job_id
        self.progress = dict(progress)
        self._tick_s = tick_s
        self._dirty = True
        self._last_beat = 0.0
        self._loop = asyncio.get_running_loop()
        self.lock: DeviceLock | None = None
        self.stop = threading.Event()
        self.stop_reason: str | None = None
        self.cancel_requested = False  # the stop came from an admin, not the reaper
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"heartbeat-{self.job_id}")

    async def close(self) -> None:
        """Stop beating (idempotent). Called before the job's final write, so no progress
        event can follow the job's terminal event on the admin channel."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def update(self, **fields: Any) -> None:
        """Merge `fields` into the progress (event loop only); written on the next tick.

        Ticks keep only the latest progress, so each epoch's validation result ("eval") is
        also appended to `history`: the admin portal's curves miss no epoch, even after a
        reload.
        """
        self.progress.update(fields)
        if fields.get("phase") == "eval":
            point = {
                "epoch": fields["epoch"],
                "loss": fields["loss"],
                "valAccuracy": fields["accuracy"],
            }
            self.progress["history"] = [*self.progress.get("history", []), point]
        self._dirty = True

    def post(self, fields: dict[str, Any]) -> None:
        """`update` from the training thread."""
        self._loop.call_soon_threadsafe(lambda: self.update(**fields))

    def stopped(self) -> bool:
        """The training loop's cancel callback: cheap, callable from any thread."""
        return self.stop.is_set()

    def _stop(self, reason: str) -> None:
        if not self.stop.is_set():
            self.stop_reason = reason
            self.stop.set()

    async def tick(self) -> None:
        cancel = keys.training_cancel(str(self.job_id))
        if not self.stop.is_set() and await self._svc.redis.exists(cancel):
            self.cancel_requested = True
            self._stop("cancelled by an admin")
        now = time.monotonic()
        due = now - self._last_beat >= HEARTBEAT_INTERVAL_S
        if not (self._dirty or due):
            return
        dirty, self._dirty = self._dirty, False
        alive = await heartbeat(self._svc.pool, self.job_id, self.progress if dirty else None)
        if not alive:
            self._stop("the job is no longer running (cancelled or presumed dead by the reaper)")
        if dirty:
            await self._feed.publish(
                keys.ADMIN_CHANNEL, training_event(self.job_id, JobStatus.RUNNING, **self.progress)
            )
        if due:
            self._last_beat = now
            if self.lock is not None and not await self.lock.refresh():
                log.warning("training job %s lost its lock on %s", self.job_id, self.lock.device)

    async def run(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # an outage must not kill the training it watches
                log.warning("heartbeat of training job %s failed: %s", self.job_id, exc)
            await asyncio.sleep(self._tick_s)
