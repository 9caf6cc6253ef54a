"""Precise errors of the channel state machine (see `hotline.errors` for the tree).

Local errors: we asked the channel for something invalid; nothing changed. Remote errors: a
peer's bytes break a rule; the envelope is refused and nothing changed. Equivocation is not an
error: it is proof, reported as an event (`EquivocationDetected`) and kept.
"""

from __future__ import annotations

from hotline.errors import LocalProtocolError, RemoteProtocolError


class ChannelNotOpenError(LocalProtocolError):
    """Operator traffic before every member has accepted the charter."""

    def __init__(self, waiting_for: tuple[str, ...]) -> None:
        self.waiting_for = waiting_for
        super().__init__(
            "channel is not open: waiting for charter acceptance from "
            + ", ".join(waiting_for)
            + " (operator messages can be sent once every member has accepted)"
        )


class UnknownReferenceError(LocalProtocolError):
    """An acknowledgement or reply refers to an envelope this node does not hold."""

    def __init__(self, party: str, seq: int, why: str) -> None:
        self.party, self.seq = party, seq
        super().__init__(f"cannot refer to {party} seq {seq}: {why}")


class CorruptStoreError(LocalProtocolError):
    """The stored envelopes given to `Channel.restore` break a rule they obeyed when stored."""

    def __init__(self, index: int, why: str) -> None:
        self.index = index
        super().__init__(f"stored envelope #{index} cannot be replayed: {why}")


class ForeignChannelError(RemoteProtocolError):
    """An envelope of another channel was delivered to this one."""

    def __init__(self, channel: str, expected: str) -> None:
        self.channel = channel
        super().__init__(
            f"envelope belongs to channel {channel[:16]}..., this is {expected[:16]}..."
        )


class ReflectedEnvelopeError(RemoteProtocolError):
    """One of our own envelopes came back from the network."""

    def __init__(self, party: str) -> None:
        super().__init__(f"envelope signed by our own party {party}: a reflected or replayed copy")


class ChainRuleError(RemoteProtocolError):
    """A peer's envelope breaks a rule of its place in the chain or of its body."""

    def __init__(self, party: str, seq: int, why: str) -> None:
        self.party, self.seq = party, seq
        super().__init__(f"{party} seq {seq}: {why}")


class FalseReceiptError(RemoteProtocolError):
    """A peer claims to hold an envelope of ours that we never sent (a receipt or a cosign)."""

    def __init__(self, peer: str, seq: int, why: str) -> None:
        self.peer, self.seq = peer, seq
        super().__init__(f"{peer} claims our seq {seq}: {why}")


__all__ = [
    "ChainRuleError",
    "ChannelNotOpenError",
    "CorruptStoreError",
    "FalseReceiptError",
    "ForeignChannelError",
    "ReflectedEnvelopeError",
    "UnknownReferenceError",
]
