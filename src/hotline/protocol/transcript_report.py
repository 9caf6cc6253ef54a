"""What a transcript verification found: valid or not, the first problem, and a summary.

Everything here is a plain msgspec Struct, so `hotline verify --json` is the same object encoded.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

__all__ = [
    "AckSummary",
    "Check",
    "Coverage",
    "Equivocation",
    "MemberSummary",
    "Problem",
    "Report",
    "Summary",
    "WitnessSummary",
]


class Check(StrEnum):
    """Which rule a problem broke. Each has its own paragraph in docs/protocol.md."""

    LINE = "line"  # not a canonical transcript line (JSON, newline, size, order of line types)
    HEAD = "head"  # the head line: format, version, charter, channel id, exporter, cards
    ENVELOPE = "envelope"  # frame, signer, signature, header rules, body hash, channel, size
    LABEL = "label"  # a readable field disagrees with the signed header
    CHAIN = "chain"  # sequence gap or prev that is not the id of seq - 1
    DUPLICATE = "duplicate"  # the same envelope twice
    EQUIVOCATION = "equivocation"  # two different signed envelopes with one (sender, seq)
    CHARTER = "charter"  # proposal/acceptance opening each chain, acceptance signatures
    MEMBER = "member"  # names a party that is not a member of the channel
    CROSS_LINK = "cross_link"  # a seen or tip mark that does not match that envelope's id
    REF = "ref"  # refs that do not resolve to an envelope of the channel
    WITHHELD = "withheld"  # a protocol body withheld (only operator bodies may be)
    BODY = "body"  # a protocol body that does not decode
    CHECKPOINT = "checkpoint"  # size, root or dual signature of a checkpoint
    COSIGN = "cosign"  # a countersignature that does not match the checkpoint or signature
    WITNESS = "witness"  # a relay card or witness that does not check (or cannot be checked)
    END = "end"  # missing, misplaced or wrong end line (count, digest, key, signature)


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """One broken rule, located: the line, and the member and seq when known."""

    line: int
    check: Check
    detail: str
    party: str | None = None
    seq: int | None = None
    kind: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: "
        if self.party is not None and self.seq:
            where += f"{self.party} seq {self.seq}: "
        elif self.party is not None and self.kind is not None:
            where += f"{self.party} {self.kind}: "
        return where + self.detail


class Equivocation(msgspec.Struct, frozen=True, kw_only=True):
    """Two validly signed, different envelopes of one sender with one sequence number."""

    party: str
    seq: int
    first_line: int
    first_id: str
    second_line: int
    second_id: str


class MemberSummary(msgspec.Struct, frozen=True, kw_only=True):
    party: str
    chain_length: int  # chained envelopes, seq 1..chain_length
    by_kind: dict[str, int]  # chained and link envelopes by kind
    checkpoints: int  # checkpoints verified (root recomputed, both signatures)
    checkpointed: int  # envelopes covered by the newest verified checkpoint
    cosigns: int  # countersignatures by this member, verified
    withheld_bodies: int
    accepted_charter: bool


class AckSummary(msgspec.Struct, frozen=True, kw_only=True):
    """Operator acknowledgements of notifications, with latency on the senders' clocks."""

    notifications: int
    acknowledged: int  # notifications acknowledged by at least one other member
    unacknowledged: int
    acks: int  # ack references to notifications of another member
    late: int  # acks later than the charter's window for the notification's precedence
    p50_ms: int | None
    max_ms: int | None


class WitnessSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A relay's witnesses in the transcript, every one verified against its card's key."""

    relay: str
    fingerprint: str  # of the relay's card: compare it with the relay operator's
    deposits: int  # "held since": witnesses for what a member handed the relay
    deliveries: int  # "handed over at": witnesses for what a member collected


class Coverage(msgspec.Struct, frozen=True, kw_only=True):
    """How far `receiver`'s newest receipt covers `sender`'s chain."""

    receiver: str
    sender: str
    receipted_seq: int
    chain_length: int


class Summary(msgspec.Struct, kw_only=True):
    channel: str = ""
    channel_name: str = ""
    exported_by: str = ""
    exported_at: str = ""
    lines: int = 0
    envelopes: int = 0
    members: list[MemberSummary] = msgspec.field(default_factory=list)
    notifications: dict[str, dict[str, int]] = msgspec.field(default_factory=dict)
    acks: AckSummary | None = None
    receipts: list[Coverage] = msgspec.field(default_factory=list)
    withheld_bodies: int = 0
    witnesses: list[WitnessSummary] = msgspec.field(default_factory=list)
    first_t_ms: int | None = None
    last_t_ms: int | None = None


class Report(msgspec.Struct, kw_only=True):
    """The verdict. `problems[0]` is the first problem in file order; verification stops there,
    except that equivocations are collected (every one is evidence) and verification goes on."""

    valid: bool
    problems: list[Problem]
    equivocations: list[Equivocation]
    summary: Summary

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None
