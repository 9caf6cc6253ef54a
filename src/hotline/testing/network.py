"""A simulated network between parties: latency, and faults drawn from a seeded random source.

Every decision comes from the one `random.Random` the simulation passes in, in the order the
simulation asks, so a seed replays exactly. Faults:

- drop: a message vanishes; dup: it arrives twice; reorder: jitter lets later messages overtake
  earlier ones (without it each link is FIFO); delay: now and then a message takes seconds;
- partition: links cut in both directions for a while, then healed (`cut` / `heal`).

`heal_all` ends every fault at once: the simulation then runs to quiescence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

FAULTS = ("drop", "dup", "reorder", "delay", "partition", "crash", "skew", "equivocate")


@dataclass(slots=True)
class NetworkStats:
    messages: int = 0
    dropped: int = 0
    duplicated: int = 0
    delayed: int = 0
    partitioned: int = 0  # dropped because the link was cut


@dataclass(slots=True)
class SimNetwork:
    """Decides when (and whether, and how often) a message arrives."""

    rng: random.Random
    faults: frozenset[str]
    base_ms: int = 20
    jitter_ms: int = 400  # only with "reorder"
    drop_p: float = 0.1
    dup_p: float = 0.05
    delay_p: float = 0.03
    delay_max_ms: int = 20_000
    healed: bool = False
    stats: NetworkStats = field(default_factory=NetworkStats)
    _cut: set[tuple[str, str]] = field(default_factory=set)
    _last: dict[tuple[str, str], int] = field(default_factory=dict)  # FIFO without reorder

    def active(self, fault: str) -> bool:
        return not self.healed and fault in self.faults

    def cut(self, a: str, b: str) -> None:
        self._cut |= {(a, b), (b, a)}

    def heal(self, a: str, b: str) -> None:
        self._cut -= {(a, b), (b, a)}

    def heal_all(self) -> None:
        self.healed = True
        self._cut.clear()

    def is_cut(self, a: str, b: str) -> bool:
        return (a, b) in self._cut

    def arrivals(self, src: str, dst: str, now_ms: int) -> list[int]:
        """Arrival times (true ms) of one message sent now: none if lost, two if duplicated."""
        self.stats.messages += 1
        if (src, dst) in self._cut:
            self.stats.partitioned += 1
            return []
        if self.active("drop") and self.rng.random() < self.drop_p:
            self.stats.dropped += 1
            return []
        copies = 1
        if self.active("dup") and self.rng.random() < self.dup_p:
            self.stats.duplicated += 1
            copies = 2
        times: list[int] = []
        for _ in range(copies):
            delay = self.base_ms
            if self.active("reorder"):
                delay += self.rng.randrange(self.jitter_ms)
            if self.active("delay") and self.rng.random() < self.delay_p:
                self.stats.delayed += 1
                delay += self.rng.randrange(1_000, self.delay_max_ms)
            at = now_ms + delay
            if not self.active("reorder") and not self.active("delay"):
                at = max(at, self._last.get((src, dst), 0))  # a FIFO link
                self._last[(src, dst)] = at
            times.append(at)
        return times


__all__ = ["FAULTS", "NetworkStats", "SimNetwork"]
