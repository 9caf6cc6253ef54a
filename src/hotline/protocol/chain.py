"""Sender chains as one node holds them: our own, and each peer's.

A peer's chain has three parts: *accepted* (verified, in order, each `prev` checked), of which a
prefix is *durable* (the driver has stored it: only that is ever receipted), and *held*
(verified envelopes beyond a gap, waiting in a bounded window). A second, different envelope for
a sequence number, or one whose `prev` does not match, is a *fork*: the chain is frozen where
it stands and never advanced past it.

No crypto and no clock here: the channel verifies signatures and bodies first and asks the chain
only where an envelope goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from hotline.protocol.envelope import Envelope, Mark
from hotline.protocol.merkle import MerkleFrontier


class Placement(Enum):
    NEXT = "next"  # seq == accepted + 1 and prev matches: accept it
    DUPLICATE = "duplicate"  # the very envelope we already hold (accepted or held)
    HOLD = "hold"  # beyond a gap, inside the window: keep until the gap fills
    TOO_FAR = "too_far"  # beyond the window (or the byte budget): drop, the peer resends
    CONFLICT = "conflict"  # a second history: equivocation
    FROZEN = "frozen"  # the chain is frozen at a fork: ignore


@dataclass(frozen=True, slots=True)
class Verdict:
    placement: Placement
    fork_seq: int = 0  # CONFLICT: where the histories part
    kept_id: bytes = b""  # CONFLICT: the envelope we already have there
    kept: Envelope | None = None  # CONFLICT: its bytes if not yet durable (must become evidence)
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Fork:
    """Proof that a sender signed two histories; its chain is frozen at ``frozen_at``."""

    seq: int
    ids: tuple[str, ...]
    reason: str
    frozen_at: int


class PeerChain:
    """One peer's chain as we hold it."""

    __slots__ = (
        "_confirmed",
        "claimed_tip",
        "durable",
        "fork",
        "frontier",
        "held",
        "held_bytes",
        "ids",
        "max_held",
        "max_held_bytes",
        "party",
        "pending",
    )

    def __init__(self, party: str, max_held: int, max_held_bytes: int) -> None:
        self.party = party
        self.max_held = max_held
        self.max_held_bytes = max_held_bytes
        self.ids: list[bytes] = []  # accepted, index seq - 1
        self.frontier = MerkleFrontier()  # over the accepted ids
        self.durable = 0
        self.pending: dict[int, Envelope] = {}  # accepted, not yet durable
        self._confirmed: set[int] = set()  # stored by the driver, waiting for a gap below
        self.held: dict[int, Envelope] = {}
        self.held_bytes = 0
        self.fork: Fork | None = None
        self.claimed_tip = 0  # the highest seq the peer says it has (heartbeats, receipts)

    @property
    def accepted(self) -> int:
        return len(self.ids)

    def durable_mark(self) -> Mark | None:
        if not self.durable:
            return None
        return Mark(seq=self.durable, id=self.ids[self.durable - 1].hex())

    def holds(self, seq: int, id_: bytes) -> bool:
        """Is this exact envelope durably in our copy of the chain?"""
        return 1 <= seq <= self.durable and self.ids[seq - 1] == id_

    def place(self, env: Envelope) -> Verdict:
        """Where does this verified envelope go? Pure: changes nothing."""
        seq, accepted = env.seq, self.accepted
        if self.fork is not None and seq > self.fork.frozen_at:
            return Verdict(Placement.FROZEN)
        if seq <= accepted:
            kept_id = self.ids[seq - 1]
            if kept_id == env.id:
                return Verdict(Placement.DUPLICATE)
            return Verdict(
                Placement.CONFLICT,
                seq,
                kept_id,
                self.pending.get(seq),
                f"two different envelopes with seq {seq}",
            )
        if seq == accepted + 1:
            expected = self.ids[-1].hex() if self.ids else None
            if env.header.prev != expected:
                assert self.ids  # seq 1 has prev None by the header rules
                return Verdict(
                    Placement.CONFLICT,
                    accepted,
                    self.ids[-1],
                    self.pending.get(accepted),
                    f"seq {seq} names a different seq {accepted} (prev) than the one we hold",
                )
            return Verdict(Placement.NEXT)
        other = self.held.get(seq)
        if other is not None:
            if other.id == env.id:
                return Verdict(Placement.DUPLICATE)
            return Verdict(
                Placement.CONFLICT,
                seq,
                other.id,
                other,
                f"two different envelopes with seq {seq}",
            )
        if seq > accepted + self.max_held or self.held_bytes + len(env.raw) > self.max_held_bytes:
            return Verdict(Placement.TOO_FAR)
        return Verdict(Placement.HOLD)

    def accept(self, env: Envelope) -> None:
        self.ids.append(env.id)
        self.frontier.append(env.id)
        self.pending[env.seq] = env

    def accept_durable(self, env: Envelope) -> None:
        """Replay of a stored envelope: accepted and durable at once."""
        self.ids.append(env.id)
        self.frontier.append(env.id)
        self.durable = len(self.ids)

    def hold(self, env: Envelope) -> None:
        self.held[env.seq] = env
        self.held_bytes += len(env.raw)

    def next_held(self) -> Envelope | None:
        """Take the held envelope that now follows the accepted tip, if any."""
        env = self.held.pop(self.accepted + 1, None)
        if env is not None:
            self.held_bytes -= len(env.raw)
        return env

    def confirm(self, seq: int) -> list[Envelope]:
        """The driver stored accepted envelope ``seq``; return those that became durable."""
        if seq not in self.pending:
            return []
        self._confirmed.add(seq)
        durable: list[Envelope] = []
        while self.durable + 1 in self._confirmed:
            self.durable += 1
            self._confirmed.discard(self.durable)
            durable.append(self.pending.pop(self.durable))
        return durable

    def freeze(self, fork: Fork) -> None:
        """Record the fork and drop held envelopes past it: they continue an unproven history."""
        self.fork = fork
        for seq in [s for s in self.held if s > fork.frozen_at]:
            self.held_bytes -= len(self.held.pop(seq).raw)

    def has_gap(self) -> bool:
        """Do we know of envelopes beyond our accepted tip that we do not have in order?"""
        top = max(self.claimed_tip, max(self.held, default=0))
        if self.fork is not None:
            top = min(top, self.fork.frozen_at)
        return top > self.accepted

    def missing(self, limit: int) -> list[tuple[int, int]]:
        """Inclusive ranges we lack between the accepted tip and the highest seq we know of."""
        top = max([self.claimed_tip, *self.held])
        if self.fork is not None:
            top = min(top, self.fork.frozen_at)
        ranges: list[tuple[int, int]] = []
        seq = self.accepted + 1
        for held in sorted(self.held):
            if held > top or len(ranges) >= limit:
                break
            if held > seq:
                ranges.append((seq, held - 1))
            seq = held + 1
        if seq <= top and len(ranges) < limit:
            ranges.append((seq, top))
        return ranges


class OwnChain:
    """Our own chain: ids of everything sealed, bytes of what some peer has not receipted."""

    __slots__ = ("_confirmed", "durable", "envelopes", "frontier", "ids", "released")

    def __init__(self) -> None:
        self.ids: list[bytes] = []
        self.frontier = MerkleFrontier()
        self.envelopes: dict[int, Envelope] = {}  # kept until every peer has receipted them
        self.durable = 0
        self.released = 0  # envelopes 1..released are receipted by everyone and dropped
        self._confirmed: set[int] = set()

    @property
    def tip(self) -> int:
        return len(self.ids)

    def tip_id(self) -> str | None:
        return self.ids[-1].hex() if self.ids else None

    def mark(self, seq: int) -> Mark:
        return Mark(seq=seq, id=self.ids[seq - 1].hex())

    def durable_mark(self) -> Mark | None:
        return self.mark(self.durable) if self.durable else None

    def append(self, env: Envelope) -> None:
        self.ids.append(env.id)
        self.frontier.append(env.id)
        self.envelopes[env.seq] = env

    def confirm(self, seq: int) -> list[Envelope]:
        """The driver stored our envelope ``seq``; return those that became durable, in order."""
        if seq <= self.durable or seq > self.tip:
            return []
        self._confirmed.add(seq)
        durable: list[Envelope] = []
        while self.durable + 1 in self._confirmed:
            self.durable += 1
            self._confirmed.discard(self.durable)
            durable.append(self.envelopes[self.durable])
        return durable

    def release(self, upto: int) -> None:
        """Every peer holds 1..upto: drop their bytes (the store keeps them)."""
        while self.released < min(upto, self.durable):
            self.released += 1
            self.envelopes.pop(self.released, None)


__all__ = ["Fork", "OwnChain", "PeerChain", "Placement", "Verdict"]
