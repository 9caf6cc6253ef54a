"""One peer's link: a queue drained one batch at a time, bearers in order of preference with
failover, and FLASH traffic sent over every bearer at once (the receiver keeps one copy:
envelopes dedupe).

Delivery here is best-effort on purpose: the channel state machine resends every envelope until
the peer receipts it, so a batch that no bearer could carry is dropped, not retried here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

from hotline.errors import HotlineError
from hotline.node.bearers import Bearer, BearerStatus

log = logging.getLogger("hotline.link")

Answers = Callable[[str, list[bytes]], Awaitable[None]]
MAX_BATCH_ENVELOPES = 1024
MAX_BATCH_BYTES = 4 * 1024 * 1024


class PeerLink:
    def __init__(
        self,
        peer: str,
        bearers: Sequence[Bearer],
        on_answers: Answers,
        clock_ms: Callable[[], int],
    ) -> None:
        self.peer = peer
        self.bearers = list(bearers)
        self._on_answers = on_answers
        self._clock_ms = clock_ms
        self._queue: list[tuple[bytes, bool]] = []
        self._queued: set[bytes] = set()
        self._task: asyncio.Task[None] | None = None
        self._in_flight = asyncio.Lock()
        self._closed = False

    def statuses(self) -> list[BearerStatus]:
        return [b.status for b in self.bearers]

    def submit(self, envelopes: list[bytes], *, urgent: bool = False) -> None:
        """Queue envelopes for the peer (a copy already queued is not queued twice)."""
        if self._closed:
            return  # stopping: the channel resends whatever is not receipted, after restart
        for raw in envelopes:
            if raw not in self._queued:
                self._queued.add(raw)
                self._queue.append((raw, urgent))
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        while self._queue:
            batch: list[bytes] = []
            size, urgent = 0, False
            while self._queue and len(batch) < MAX_BATCH_ENVELOPES and size < MAX_BATCH_BYTES:
                raw, flash = self._queue.pop(0)
                self._queued.discard(raw)
                batch.append(raw)
                size += len(raw)
                urgent = urgent or flash
            await self.send(batch, urgent=urgent)

    async def send(self, envelopes: list[bytes], *, urgent: bool = False) -> bool:
        """Carry one batch now; True if a bearer took it. Never raises for a bad link."""
        if not envelopes:
            return True
        async with self._in_flight:
            now = self._clock_ms()
            ready = [b for b in self.bearers if b.status.ready(now)]
            if not ready:
                return False
            if urgent:
                results = await asyncio.gather(*(self._try(b, envelopes) for b in ready))
                return any(results)
            for bearer in ready:
                if await self._try(bearer, envelopes):
                    return True
            return False

    async def _try(self, bearer: Bearer, envelopes: list[bytes]) -> bool:
        now = self._clock_ms()
        try:
            answers = await bearer.carry(envelopes, now)
        except HotlineError as exc:
            bearer.status.failed(now, str(exc))
            log.warning("link %s via %s failed: %s", self.peer, bearer.status.name, exc)
            return False
        bearer.status.sent += len(envelopes)
        if answers:
            await self._on_answers(self.peer, answers)
        return True

    async def close(self) -> None:
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for bearer in self.bearers:
            await bearer.close()
