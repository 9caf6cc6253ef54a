"""The channel charter: who talks, about what, in which languages, with which deadlines.

A charter is canonical compact JSON produced once by its proposer; its bytes are what every
member signs (`CharterAcceptBody`) and the channel id is their SHA-256 (domain-separated). A
changed charter is a new channel. Each member entry carries the member's identity card (the exact
card bytes, base64 in JSON) so a transcript verifies offline with nothing else, and its
fingerprint, which operators compared aloud at the key ceremony.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

import msgspec

from hotline.errors import LocalProtocolError, RemoteProtocolError
from hotline.protocol.envelope import (
    DECODE_ERRORS,
    MAX_BODY_BYTES,
    Party,
    WireStruct,
    canonical_json,
)
from hotline.protocol.types import DEFAULT_ACK_WINDOW_S, Precedence

MAX_CHARTER_BYTES = 512 * 1024
MAX_MEMBERS = 16
_DOMAIN = b"hotline-charter-v1\x00"

Language = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}$")]
TypeName = Annotated[str, msgspec.Meta(pattern=r"^(\*|[a-z][a-z0-9_]{0,63})$")]
AckWindow = Annotated[int, msgspec.Meta(ge=60, le=7 * 86400)]


class CharterMember(WireStruct, frozen=True):
    party: Party
    fingerprint: Annotated[str, msgspec.Meta(min_length=8, max_length=128)]
    card: Annotated[bytes, msgspec.Meta(min_length=1, max_length=64 * 1024)]


def _default_ack_windows() -> dict[Precedence, int]:
    return dict(DEFAULT_ACK_WINDOW_S)


class Charter(WireStruct, frozen=True):
    """What every member agreed. Defaults follow DESIGN.md; each can be set per channel."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    proposer: Party
    created_ms: Annotated[int, msgspec.Meta(ge=0)]
    members: Annotated[list[CharterMember], msgspec.Meta(min_length=2, max_length=MAX_MEMBERS)]
    v: Literal[1] = 1
    types: Annotated[list[TypeName], msgspec.Meta(min_length=1, max_length=256)] = msgspec.field(
        default_factory=lambda: ["*"]
    )
    languages: Annotated[list[Language], msgspec.Meta(min_length=1, max_length=16)] = msgspec.field(
        default_factory=lambda: ["en"]
    )
    ack_window_s: dict[Precedence, AckWindow] = msgspec.field(default_factory=_default_ack_windows)
    test_interval_s: Annotated[int, msgspec.Meta(ge=60, le=86400)] = 3600
    test_grace_s: Annotated[int, msgspec.Meta(ge=10, le=86400)] = 300
    heartbeat_interval_s: Annotated[int, msgspec.Meta(ge=1, le=3600)] = 15
    checkpoint_every: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 256
    checkpoint_interval_s: Annotated[int, msgspec.Meta(ge=60, le=7 * 86400)] = 3600
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024, le=MAX_BODY_BYTES)] = 256 * 1024
    two_person_flash: bool = False
    # Catalogue rule overrides (lead times, sizes): opaque here, decoded by the catalogue.
    rules: dict[str, object] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        parties = [m.party for m in self.members]
        if parties != sorted(set(parties)):
            raise ValueError("members must be unique and sorted by party")
        if self.proposer not in parties:
            raise ValueError(f"proposer {self.proposer} is not a member")
        if set(self.ack_window_s) != set(Precedence):
            missing = sorted(set(Precedence) - set(self.ack_window_s))
            raise ValueError(f"ack_window_s must give every precedence; missing {missing}")

    @property
    def parties(self) -> list[str]:
        return [m.party for m in self.members]

    def member(self, party: str) -> CharterMember:
        for m in self.members:
            if m.party == party:
                return m
        raise LocalProtocolError(f"{party} is not a member of channel {self.name!r}")

    def to_bytes(self) -> bytes:
        """Canonical compact JSON, produced once by the proposer; afterwards only bytes count."""
        return canonical_json(self)

    @classmethod
    def from_bytes(cls, data: bytes) -> Charter:
        """Parse charter bytes from a peer or a file. Errors name the field that is wrong."""
        if len(data) > MAX_CHARTER_BYTES:
            raise RemoteProtocolError(f"charter of {len(data)} bytes exceeds {MAX_CHARTER_BYTES}")
        try:
            charter = msgspec.json.decode(data, type=cls)
        except DECODE_ERRORS as exc:
            raise RemoteProtocolError(f"invalid charter: {exc}") from None
        if charter.to_bytes() != data:
            raise RemoteProtocolError("charter is not in canonical form")
        return charter


def channel_id(charter_bytes: bytes) -> str:
    """The channel id: SHA-256 over the exact charter bytes, hex."""
    return hashlib.sha256(_DOMAIN + charter_bytes).hexdigest()
