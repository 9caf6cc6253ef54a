"""Channels joined by an in-memory pipe, so that tests read like dialogues (h11's helpers).

    pipe = Pipe.open(["RU", "US"])        # proposed, accepted, opened
    sent = pipe["US"].notify(b"...", prec=Precedence.FLASH)
    pipe.flush()                          # every byte delivered, nothing lost
    [note] = pipe["RU"].of_type(NotificationReceived)

Delivery is instant. ``pipe.drop`` lets a test lose chosen bytes on the way; ``advance`` moves
the fake clock and fires every deadline on the way, in order; a party's ``offset_ms`` skews its
clock against the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from hotline.errors import RemoteProtocolError
from hotline.protocol.events import ChannelOpened, Persist
from hotline.protocol.link import Tuning
from hotline.protocol.types import Marking, Precedence
from hotline.testing.clock import FakeClock
from hotline.testing.driver import Driver
from hotline.testing.parties import sample_configs

DropRule = Callable[[str, str, bytes], bool]  # (from, to, raw) -> drop it?


class PipeDriver(Driver):
    """A Driver that reads the pipe's clock (plus its own offset), for short test lines."""

    clock: FakeClock
    offset_ms: int = 0  # this party's clock minus the true time

    @property
    def now(self) -> int:
        return self.clock.now_ms + self.offset_ms

    def notify(
        self,
        body: bytes,
        *,
        prec: Precedence = Precedence.ROUTINE,
        mark: Marking = Marking.REAL,
        to: Sequence[str] | None = None,
    ) -> Persist:
        """The operator sends a notification; it is stored at once (auto-commit)."""
        persist = self.channel.notify(body, self.now, prec=prec, mark=mark, to=to)
        self.sent(persist, self.now)
        return persist


class Pipe:
    def __init__(self, drivers: dict[str, PipeDriver], clock: FakeClock) -> None:
        self.drivers = drivers
        self.clock = clock
        self.drop: DropRule | None = None
        self.errors: list[tuple[str, RemoteProtocolError]] = []  # refused by a receiver
        self.delivered = 0

    def __getitem__(self, party: str) -> PipeDriver:
        return self.drivers[party]

    @classmethod
    def create(
        cls,
        parties: Sequence[str],
        *,
        tuning: Tuning | None = None,
        settings: Mapping[str, object] | None = None,
    ) -> Pipe:
        """Drivers over one charter (the first party in sorted order proposes), not started."""
        clock = FakeClock()
        configs = sample_configs(parties, tuning=tuning, settings=settings)
        drivers = {p: PipeDriver(c) for p, c in configs.items()}
        for d in drivers.values():
            d.clock = clock
        return cls(drivers, clock)

    @classmethod
    def open(
        cls,
        parties: Sequence[str],
        *,
        tuning: Tuning | None = None,
        settings: Mapping[str, object] | None = None,
    ) -> Pipe:
        """Proposed, accepted by everyone, delivered: every channel has opened."""
        pipe = cls.create(parties, tuning=tuning, settings=settings)
        for d in pipe.drivers.values():
            if d.channel.me == d.channel.charter.proposer:
                d.sent(d.channel.propose(d.now), d.now)
            else:
                d.sent(d.channel.accept(d.now), d.now)
        pipe.flush()
        assert all(d.of_type(ChannelOpened) for d in pipe.drivers.values()), "channel not open"
        return pipe

    def flush(self) -> int:
        """Deliver everything due now, back and forth, until nobody has anything to send."""
        moved = 0
        while True:
            batch = [(d.party, out) for d in self.drivers.values() for out in d.outgoing(d.now)]
            if not batch:
                return moved
            for sender, out in batch:
                if self.drop is not None and self.drop(sender, out.to, out.raw):
                    continue
                moved += 1
                self.delivered += 1
                receiver = self.drivers[out.to]
                try:
                    receiver.receive(out.raw, receiver.now)
                except RemoteProtocolError as exc:
                    self.errors.append((out.to, exc))

    def advance(self, ms: int) -> None:
        """Let ``ms`` pass: fire every deadline on the way, in time order, flushing each time."""
        end = self.clock.now_ms + ms
        while True:
            wakes = [t for t in map(self._wake_time, self.drivers.values()) if t is not None]
            due = min(wakes, default=end)
            if due > end:
                break
            self.clock.jump_to(due)
            for d in self.drivers.values():
                t = self._wake_time(d)
                if t is not None and t <= self.clock.now_ms:
                    d.tick(d.now)
            self.flush()
        self.clock.jump_to(end)
        self.flush()

    @staticmethod
    def _wake_time(d: PipeDriver) -> int | None:
        """A party's next deadline in true time."""
        t = d.channel.next_deadline()
        return None if t is None else t - d.offset_ms


__all__ = ["DropRule", "Pipe", "PipeDriver"]
