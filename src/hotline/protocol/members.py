"""The public keys of a channel member, as the protocol needs them.

Built from a verified identity card (`hotline.protocol.identity`); the channel state machine and
the transcript verifier take these, so they never parse cards themselves.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hotline.errors import RemoteProtocolError

if TYPE_CHECKING:
    from hotline.protocol.charter import Charter
    from hotline.protocol.identity import IdentityCard


@dataclass(frozen=True, slots=True)
class MemberKeys:
    """One party's keys: node keys sign envelopes; party keys sign long-term statements."""

    party: str
    ed25519: bytes  # raw 32-byte party Ed25519 public key
    mldsa65: bytes  # raw ML-DSA-65 public key
    node_keys: tuple[bytes, ...] = field(default=())  # raw 32-byte Ed25519 node public keys

    @classmethod
    def from_card(cls, card: IdentityCard) -> MemberKeys:
        """The keys of a verified identity card (see `IdentityCard.from_bytes`)."""
        return cls(
            party=card.party,
            ed25519=card.keys.ed25519.public_bytes_raw(),
            mldsa65=card.keys.mldsa65.public_bytes_raw(),
            node_keys=tuple(n.public_key.public_bytes_raw() for n in card.nodes),
        )


class MemberDirectory:
    """A SignerLookup over the members of one channel: node key id -> (party, public key)."""

    def __init__(self, members: dict[str, MemberKeys]) -> None:
        self.members = dict(members)
        self._by_key_id: dict[bytes, tuple[str, bytes]] = {}
        for m in members.values():
            for key in m.node_keys:
                self._by_key_id[hashlib.sha256(key).digest()] = (m.party, key)

    def signer(self, key_id: bytes) -> tuple[str, bytes] | None:
        return self._by_key_id.get(key_id)

    def __getitem__(self, party: str) -> MemberKeys:
        return self.members[party]


def members_from_cards(charter: Charter) -> dict[str, MemberKeys]:
    """Every member's keys, from the identity cards the charter carries.

    Each card is verified (`IdentityCard.from_bytes`: self-signatures, node certificates, weak
    keys) and must be the named party's, with the fingerprint the charter records. This is the
    `MembersOf` of transcripts and proofs; a node additionally checks each card against the one
    it trusts for that party.
    """
    members: dict[str, MemberKeys] = {}
    for member in charter.members:
        party, fingerprint, keys = _verified_card(member.card)
        if party != member.party:
            raise RemoteProtocolError(f"the charter's card for {member.party} is {party}'s")
        if fingerprint != member.fingerprint:
            raise RemoteProtocolError(
                f"the charter records fingerprint {member.fingerprint} for {member.party}, "
                f"but its card has {fingerprint}"
            )
        members[party] = keys
    return members


def card_keys(card_bytes: bytes) -> tuple[str, str, MemberKeys]:
    """A verified card's party, fingerprint and keys (raises a HotlineError if it is bad)."""
    return _verified_card(card_bytes)


@functools.lru_cache(maxsize=64)
def _verified_card(card_bytes: bytes) -> tuple[str, str, MemberKeys]:
    """Verify a card once: a pure function of its bytes (the fingerprint alone costs 15 ms)."""
    from hotline.protocol.identity import IdentityCard

    card = IdentityCard.from_bytes(card_bytes)
    return card.party, str(card.fingerprint), MemberKeys.from_card(card)
