"""Recognition of a drawing in progress on a socket: throttled, latest state wins.

The receiver of a socket only calls `touch()` (O(1)) when the drawing changes; this object's
own task decides when to classify: at most once per `interval_s`, always on the drawing as it
is at that moment, and never while its previous answer is still being delivered. Frames that
arrive meanwhile merge into the next snapshot, so neither a fast drawer nor a slow reader
builds a queue, and ingestion never waits for the model.

/ws/classify uses it with a short interval to answer every update; /ws/play uses it every
250 ms for the `guess` line under the canvas.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from game.strokes import Stroke
from inference.raster import RasterError
from inference.service import InferenceService, NoModelLoaded, Prediction
from store.models import ModelRow

# /ws/play shows a guess line, not an animation: four updates a second read as live.
PLAY_GUESS_INTERVAL_S = 0.25


@dataclass(frozen=True, slots=True)
class LiveUpdate:
    seq: int  # drawing frames applied when the snapshot was taken
    prediction: Prediction[ModelRow] | None  # None: nothing drawn yet, or no model
    elapsed_ms: float  # waiting for a batch + rasterising + the model
    no_model: bool = False


Deliver = Callable[[LiveUpdate], Awaitable[None]]


def drawable(strokes: Sequence[Stroke]) -> tuple[Stroke, ...]:
    """The strokes worth classifying: those with points (a batch may open an empty one)."""
    return tuple(s for s in strokes if len(s) > 0)


class LiveClassifier:
    def __init__(
        self,
        service: InferenceService[ModelRow],
        strokes: Callable[[], Sequence[Stroke]],
        deliver: Deliver,
        interval_s: float,
    ) -> None:
        self._service = service
        self._strokes = strokes
        self._deliver = deliver
        self._interval = interval_s
        self._changed = asyncio.Event()
        self._seq = 0
        self._next_at = 0.0

    @property
    def seq(self) -> int:
        return self._seq

    def touch(self) -> None:
        """The drawing changed: classify its state soon (never blocks)."""
        self._seq += 1
        self._changed.set()

    async def run(self) -> None:
        while True:
            await self._changed.wait()
            delay = self._next_at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._changed.clear()
            self._next_at = time.monotonic() + self._interval
            await self._deliver(await self._classify(self._seq))

    async def _classify(self, seq: int) -> LiveUpdate:
        if self._service.model is None:  # skip the snapshot: nothing could use it
            return LiveUpdate(seq, None, 0.0, no_model=True)
        strokes = drawable(self._strokes())
        if not strokes:
            return LiveUpdate(seq, None, 0.0)
        started = time.perf_counter()
        try:
            [prediction] = await self._service.classify_batch([strokes])
        except NoModelLoaded:
            return LiveUpdate(seq, None, 0.0, no_model=True)
        except RasterError:  # non-finite points on /ws/play: refused at submit, not guessed
            return LiveUpdate(seq, None, 0.0)
        return LiveUpdate(seq, prediction, (time.perf_counter() - started) * 1000)


def play_guesser(
    service: InferenceService[ModelRow],
    strokes: Callable[[], Sequence[Stroke]],
    tell: Callable[[dict[str, Any]], Awaitable[None]],
) -> LiveClassifier:
    """The /ws/play hook: `guess` frames sent on the socket; a client that does not read
    holds up only its own next guess (the snapshot is taken after delivery)."""

    async def deliver(update: LiveUpdate) -> None:
        p = update.prediction
        if p is not None:
            await tell(
                {
                    "type": "guess",
                    "predictions": [[n, round(c, 4)] for n, c in p.ranked()],
                    "model": p.model.record.version,
                }
            )

    return LiveClassifier(service, strokes, deliver, PLAY_GUESS_INTERVAL_S)
