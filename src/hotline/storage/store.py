"""The store: what the node keeps durably, behind one small interface.

Every write is one transaction that is durable when the call returns (SQLite: WAL with
synchronous=FULL; BEGIN IMMEDIATE). That is what lets the node say "received" (send a receipt)
or "accepted for sending" only after a call here has returned.

Appending is idempotent: an envelope already stored (same channel and id) is reported as a
duplicate and not stored twice, so delivery is exactly-once in the store however often the wire
repeats it. A second *different* chained envelope at a (sender, seq) that is taken must be
appended with role ``evidence``; appended as anything else it raises `ChainConflictError` and the
whole batch is rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from hotline.errors import HotlineError
from hotline.protocol.events import Role as Role  # why an envelope is stored: the protocol's word


class StoreError(HotlineError):
    """The store refused an operation; the message says why."""


class ChainConflictError(StoreError):
    """Another envelope already holds this (channel, sender, seq) in the chain."""

    def __init__(self, channel_id: str, sender: str, seq: int) -> None:
        super().__init__(
            f"channel {channel_id[:12]}: {sender} seq {seq} is already stored with another id;"
            " a second envelope there is equivocation evidence and must be stored as such"
        )
        self.channel_id, self.sender, self.seq = channel_id, sender, seq


class ChannelState(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class NewEnvelope:
    """An envelope to store: its exact bytes plus the header facts the store indexes."""

    raw: bytes
    id: bytes
    sender: str
    seq: int
    kind: str
    role: Role
    sender_ms: int
    prec: str | None = None
    mark: str | None = None
    refs: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class StoredEnvelope:
    n: int  # storage order within the store
    channel_id: str
    id: bytes
    sender: str
    seq: int
    kind: str
    role: Role
    prec: str | None
    mark: str | None
    sender_ms: int
    stored_ms: int
    raw: bytes


@dataclass(frozen=True, slots=True)
class ChannelRecord:
    id: str
    name: str
    charter: bytes
    my_party: str
    state: ChannelState
    created_ms: int


@dataclass(frozen=True, slots=True)
class PeerRecord:
    party: str
    fingerprint: str
    card: bytes
    added_ms: int


class Store(Protocol):
    """What the node needs from durable storage. Every adapter passes the contract suite."""

    def add_channel(self, record: ChannelRecord) -> None: ...

    def set_channel_state(self, channel_id: str, state: ChannelState) -> None: ...

    def channel(self, channel_id: str) -> ChannelRecord | None: ...

    def channels(self) -> list[ChannelRecord]: ...

    def append(self, channel_id: str, items: Sequence[NewEnvelope], now_ms: int) -> list[bool]:
        """Store a batch durably in one transaction; True for each item that was new."""
        ...

    def envelopes(self, channel_id: str, after_n: int = 0) -> Iterator[StoredEnvelope]:
        """A channel's envelopes in storage order (for replay after restart, and export)."""
        ...

    def chain_envelope(self, channel_id: str, sender: str, seq: int) -> StoredEnvelope | None: ...

    def count(self, channel_id: str) -> int: ...

    def referencing(self, channel_id: str, party: str, seq: int) -> list[StoredEnvelope]:
        """Envelopes whose refs name (party, seq): the acks and replies of a notification."""
        ...

    def put_peer(self, record: PeerRecord) -> None: ...

    def peers(self) -> list[PeerRecord]: ...

    def get_meta(self, key: str) -> bytes | None: ...

    def put_meta(self, key: str, value: bytes) -> None: ...

    def close(self) -> None: ...
