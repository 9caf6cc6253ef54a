"""One peer's link: one batch in flight, bearers in order of preference, failover, and FLASH
traffic sent over every bearer at once (the receiver keeps one copy: envelopes dedupe)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from hotline.errors import HotlineError
from hotline.node.bearers import Bearer, BearerStatus

log = logging.getLogger("hotline.link")

Answers = Callable[[str, list[bytes]], Awaitable[None]]


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
        self._in_flight = asyncio.Lock()

    def statuses(self) -> list[BearerStatus]:
        return [b.status for b in self.bearers]

    @property
    def busy(self) -> bool:
        return self._in_flight.locked()

    async def send(self, envelopes: list[bytes], *, urgent: bool = False) -> bool:
        """Carry a batch; True if at least one bearer took it. Never raises for a bad link."""
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
        for bearer in self.bearers:
            await bearer.close()
