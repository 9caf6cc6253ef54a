"""Acknowledgement windows: who still owes an operator acknowledgement, and since when.

For every notification we send, each addressee's operator owes an ACK within the charter's
window for its precedence; for every notification addressed to us, our own operator does. The
window starts at the notification's own timestamp (``header.t``, the sender's clock), so both
sides compute the same deadline from the signed record. A missed deadline is reported once and
stays listed as overdue until the acknowledgement arrives; it is never dropped silently.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from hotline.protocol.envelope import Ref
from hotline.protocol.types import Marking, Precedence

AckKey = tuple[str, int, str, str]  # (notification sender, seq, id hex, party who must ack)


@dataclass(frozen=True, slots=True)
class Owed:
    """One acknowledgement owed: ``party``'s operator must acknowledge ``ref`` by ``due_ms``."""

    ref: Ref
    party: str
    prec: Precedence
    mark: Marking
    due_ms: int


class AckBook:
    __slots__ = ("_heap", "_owed", "overdue")

    def __init__(self) -> None:
        self._owed: dict[AckKey, Owed] = {}
        self._heap: list[tuple[int, AckKey]] = []
        self.overdue: dict[AckKey, Owed] = {}  # reported and still not acknowledged

    @staticmethod
    def key(ref: Ref, party: str) -> AckKey:
        return (ref.party, ref.seq, ref.id, party)

    def expect(self, owed: Owed) -> None:
        key = self.key(owed.ref, owed.party)
        if key not in self._owed:
            self._owed[key] = owed
            heapq.heappush(self._heap, (owed.due_ms, key))

    def acknowledged(self, ref: Ref, party: str) -> bool:
        """``party`` acknowledged ``ref``; True if that settled something owed."""
        key = self.key(ref, party)
        self.overdue.pop(key, None)
        return self._owed.pop(key, None) is not None

    def pending(self) -> list[Owed]:
        return sorted(self._owed.values(), key=lambda o: o.due_ms)

    def next_deadline(self) -> int | None:
        while self._heap and self._heap[0][1] not in self._owed:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def expire(self, now_ms: int) -> list[Owed]:
        """Everything whose window closed by ``now_ms``, each reported once."""
        late: list[Owed] = []
        while self._heap and self._heap[0][0] <= now_ms:
            _, key = heapq.heappop(self._heap)
            owed = self._owed.get(key)
            if owed is not None and key not in self.overdue:
                self.overdue[key] = owed
                late.append(owed)
        return late


__all__ = ["AckBook", "Owed"]
