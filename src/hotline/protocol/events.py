"""What the channel state machine tells its driver: events, and bytes to send.

Every event is a frozen dataclass. The driver must honour two of them before anything else:

- `Persist`: store ``envelope.raw`` durably. For roles OWN and PEER, call
  ``channel.persisted([envelope.id], now)`` once the store has committed it: our own envelopes
  leave only after that (store before send), and a peer's envelope is receipted only after that
  (receipt after store). RECEIPT and EVIDENCE are kept for the record; no confirmation needed.
- `Outgoing` (from ``channel.data_to_send(now)``): hand ``raw`` to the transport for ``to``.

The others are for the application (the node, the console, the alarms).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hotline.protocol.charter import Charter
from hotline.protocol.envelope import Envelope, Ref
from hotline.protocol.types import Marking, Precedence


class Role(StrEnum):
    """Why an envelope must be stored."""

    OWN = "own"  # our chained envelope: store, then persisted(); it leaves only after that
    PEER = "peer"  # a peer's chained envelope, verified and in order: store, then persisted()
    RECEIPT = "receipt"  # a peer's receipt that advanced: proof of delivery, keep it
    EVIDENCE = "evidence"  # proof of equivocation: keep it, never pick one silently


@dataclass(frozen=True, slots=True)
class Outgoing:
    """Bytes for the transport: one envelope for one member party."""

    to: str
    raw: bytes


class Event:
    """Base of everything the channel reports."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Persist(Event):
    """Store this envelope durably (see the module docstring for what to do after)."""

    envelope: Envelope
    role: Role


@dataclass(frozen=True, slots=True)
class CharterProposed(Event):
    """The proposer's charter is durably stored here; the operator may now accept it."""

    proposer: str
    charter: Charter


@dataclass(frozen=True, slots=True)
class CharterAccepted(Event):
    """A member's acceptance (dual-signed over the channel id) is durably stored here."""

    party: str


@dataclass(frozen=True, slots=True)
class ChannelOpened(Event):
    """Every member has accepted the charter: operator traffic may flow."""

    parties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Message(Event):
    """An operator envelope from a peer, durably stored here."""

    envelope: Envelope
    for_us: bool  # False: addressed to other members only (we hold the signed header, no body)

    @property
    def ref(self) -> Ref:
        return self.envelope.ref()

    @property
    def sender(self) -> str:
        return self.envelope.sender

    @property
    def prec(self) -> Precedence:
        assert self.envelope.header.prec is not None  # operator kinds always carry it
        return self.envelope.header.prec

    @property
    def mark(self) -> Marking:
        assert self.envelope.header.mark is not None
        return self.envelope.header.mark

    @property
    def body(self) -> bytes | None:
        return self.envelope.body

    @property
    def refs(self) -> tuple[Ref, ...]:
        return tuple(self.envelope.header.refs)

    @property
    def sent_ms(self) -> int:
        """The sender's clock when it sealed the envelope (see the peer's measured skew)."""
        return self.envelope.header.t


@dataclass(frozen=True, slots=True)
class NotificationReceived(_Message):
    """A peer's notification is durably stored here and receipted."""


@dataclass(frozen=True, slots=True)
class AckReceived(_Message):
    """A peer's operator acknowledged (read and understood) the envelopes in ``refs``."""


@dataclass(frozen=True, slots=True)
class ReplyReceived(_Message):
    """A peer's substantive answer to the envelopes in ``refs``."""


@dataclass(frozen=True, slots=True)
class ReceiptReceived(Event):
    """``peer``'s node has verified and durably stored our chain up to ``upto``."""

    peer: str
    upto: int


@dataclass(frozen=True, slots=True)
class LinkTestPassed(Event):
    """Our scheduled link test ``number`` was receipted by ``peer`` within the grace period."""

    peer: str
    number: int


@dataclass(frozen=True, slots=True)
class LinkTestMissed(Event):
    """Our scheduled link test ``number`` was not receipted by ``peer`` by ``due_ms``: alarm."""

    peer: str
    number: int
    due_ms: int


@dataclass(frozen=True, slots=True)
class PeerTestOverdue(Event):
    """``peer``'s scheduled link test has not arrived by ``due_ms`` (our clock): alarm."""

    peer: str
    due_ms: int


@dataclass(frozen=True, slots=True)
class AckOverdue(Event):
    """``party``'s operator has not acknowledged ``ref`` by ``due_ms``; ``party`` may be us."""

    ref: Ref
    party: str
    prec: Precedence
    mark: Marking
    due_ms: int


@dataclass(frozen=True, slots=True)
class CheckpointCosigned(Event):
    """``peer`` countersigned our checkpoint over envelopes 1..size (both signatures valid)."""

    peer: str
    size: int
    root: str


@dataclass(frozen=True, slots=True)
class EquivocationDetected(Event):
    """``party`` signed two different histories: proof kept, that chain frozen at the fork.

    ``seq`` is where the histories part; ``ids`` name the envelopes that together prove it (the
    node stores each as Persist(EVIDENCE) or already holds it in the chain); ``reason`` says
    which rule they break. Never resolved automatically: people must look.
    """

    party: str
    seq: int
    ids: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class ClockSkewMeasured(Event):
    """``peer``'s clock minus ours is ``offset_ms``, within +-rtt_ms/2 (NTP-style estimate)."""

    peer: str
    offset_ms: int
    rtt_ms: int


@dataclass(frozen=True, slots=True)
class PeerUnreachable(Event):
    """Nothing valid heard from ``peer`` since ``last_heard_ms`` (several heartbeat intervals)."""

    peer: str
    last_heard_ms: int


@dataclass(frozen=True, slots=True)
class PeerReachable(Event):
    """``peer`` is heard again after having been reported unreachable."""

    peer: str


__all__ = [
    "AckOverdue",
    "AckReceived",
    "ChannelOpened",
    "CharterAccepted",
    "CharterProposed",
    "CheckpointCosigned",
    "ClockSkewMeasured",
    "EquivocationDetected",
    "Event",
    "LinkTestMissed",
    "LinkTestPassed",
    "NotificationReceived",
    "Outgoing",
    "PeerReachable",
    "PeerTestOverdue",
    "PeerUnreachable",
    "Persist",
    "ReceiptReceived",
    "ReplyReceived",
    "Role",
]
