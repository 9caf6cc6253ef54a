"""Clock skew between two nodes, measured NTP style from heartbeats.

We send a heartbeat at t1 (our clock). The peer receives it at t2 (its clock) and, in its next
heartbeat sent at t3, echoes t1 and says how long it held it (t3 - t2). We receive that at t4.
Then the round trip is (t4 - t1) - (t3 - t2) and the peer's clock minus ours is
((t2 - t1) + (t3 - t4)) / 2, exact when both directions take as long, and never wrong by more
than half the round trip. Of the last few samples the one with the shortest round trip wins
(NTP's clock filter): queueing only ever adds delay.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SkewSample:
    offset_ms: int  # the peer's clock minus ours
    rtt_ms: int  # the error bound is rtt_ms / 2


def skew_sample(t1: int, t3: int, held_ms: int, t4: int) -> SkewSample | None:
    """One measurement, or None if the numbers are impossible (a bad echo)."""
    rtt = (t4 - t1) - held_ms
    if held_ms < 0 or rtt < 0:
        return None
    t2 = t3 - held_ms
    return SkewSample(offset_ms=((t2 - t1) + (t3 - t4)) // 2, rtt_ms=rtt)


class SkewFilter:
    """Keep the last ``size`` samples; the best estimate is the one with the shortest RTT."""

    __slots__ = ("_samples",)

    def __init__(self, size: int = 8) -> None:
        self._samples: deque[SkewSample] = deque(maxlen=size)

    def add(self, sample: SkewSample) -> None:
        self._samples.append(sample)

    def best(self) -> SkewSample | None:
        if not self._samples:
            return None
        return min(self._samples, key=lambda s: s.rtt_ms)


__all__ = ["SkewFilter", "SkewSample", "skew_sample"]
