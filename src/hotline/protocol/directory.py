"""Who signed this? The directory of trusted cards that envelope and checkpoint verifiers ask.

An envelope names its signer by key id; ``SignerDirectory.node_signer(key_id, at)`` answers with
the party, node and Ed25519 key, or raises. A key answers only while its certificate is valid at
``at``, while neither it nor the party key that certified it is revoked at ``at``. Party keys
(checkpoints, charters) answer through ``party_signer`` from the card's creation until the
rotation that replaced them, unless revoked.

Every card, rotation and revocation the directory holds was verified; cards for the first time
are trusted explicitly (after comparing fingerprints at the key ceremony).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hotline.protocol.identity import (
    MAX_STATEMENT_BYTES,
    IdentityCard,
    NodeCertificate,
    Revocation,
    Rotation,
    accept_card_update,
)
from hotline.protocol.identity_errors import (
    IdentityMismatchError,
    KeyRevokedError,
    RotationRefusedError,
    SignerNotValidError,
    UnknownSignerError,
)
from hotline.protocol.keys import PartyPublicKeys
from hotline.protocol.statement import split_statement


@dataclass(frozen=True)
class Signer:
    """A node key found valid at the time asked."""

    party: str
    node: str
    public_key: Ed25519PublicKey
    key_id: bytes


@dataclass(frozen=True)
class PartySigner:
    """A party's long-term keys found valid at the time asked."""

    party: str
    keys: PartyPublicKeys
    key_id: bytes


class SignerDirectory(Protocol):
    """What a verifier needs: signers by key id, at a given time."""

    def node_signer(self, key_id: bytes, at: datetime) -> Signer:
        """The node key ``key_id`` valid at ``at``, or raise.

        UnknownSignerError, SignerNotValidError or KeyRevokedError.
        """
        ...

    def party_signer(self, key_id: bytes, at: datetime) -> PartySigner:
        """The party key ``key_id`` valid at ``at``, or raise.

        UnknownSignerError, SignerNotValidError or KeyRevokedError.
        """
        ...


@dataclass(frozen=True)
class _PartyKeyPeriod:
    card: IdentityCard
    valid_from: datetime
    valid_until: datetime | None  # set when a rotation replaced the key


class CardDirectory:
    """A ``SignerDirectory`` over trusted identity cards, their rotations and revocations."""

    def __init__(self, cards: Iterable[IdentityCard] = ()) -> None:
        self._history: dict[str, list[_PartyKeyPeriod]] = {}
        self._party_keys: dict[bytes, _PartyKeyPeriod] = {}
        self._node_certs: dict[bytes, list[NodeCertificate]] = {}
        self._revoked: dict[bytes, Revocation] = {}
        for card in cards:
            self.trust(card)

    # --- adding what was verified ---

    def trust(self, card: IdentityCard) -> None:
        """Trust a card met at a key ceremony (its fingerprint compared out of band).

        A card of a party already known must have the same party keys (an update with new node
        certificates); a key change goes through ``apply_rotation``.
        """
        history = self._history.get(card.party)
        if history:
            current = history[-1]
            accept_card_update(current.card, card)
            self._check_node_keys(card)
            history[-1] = _PartyKeyPeriod(card, current.valid_from, current.valid_until)
        else:
            self._check_party_key(card)
            self._check_node_keys(card)
            self._history[card.party] = [_PartyKeyPeriod(card, card.created, None)]
        self._party_keys[card.key_id] = self._history[card.party][-1]
        self._add_certificates(card)

    def apply_rotation(self, data: bytes) -> IdentityCard:
        """Verify a rotation of a trusted party's current keys and trust the new card."""
        party = _claimed_party(data)
        if party not in self._history:
            raise RotationRefusedError(str(party), "no card of this party is trusted")
        current = self._history[party][-1]
        rotation = Rotation.from_bytes(data, current.card)
        revocation = self._revoked.get(current.card.key_id)
        if revocation is not None and revocation.effective <= rotation.issued:
            raise RotationRefusedError(party, "the old party key was revoked before the rotation")
        self._check_party_key(rotation.new_card)
        self._check_node_keys(rotation.new_card)
        ended = _PartyKeyPeriod(current.card, current.valid_from, rotation.issued)
        self._history[party][-1] = ended
        self._party_keys[current.card.key_id] = ended
        period = _PartyKeyPeriod(rotation.new_card, rotation.issued, None)
        self._history[party].append(period)
        self._party_keys[rotation.new_card.key_id] = period
        self._add_certificates(rotation.new_card)
        return rotation.new_card

    def add_revocation(self, data: bytes) -> Revocation:
        """Verify a revocation signed by any trusted key of its party and apply it."""
        cards = [p.card for h in self._history.values() for p in h]
        revocation = Revocation.from_bytes(data, cards)
        earlier = self._revoked.get(revocation.key_id)
        if earlier is None or revocation.effective < earlier.effective:
            self._revoked[revocation.key_id] = revocation
        return revocation

    def current_card(self, party: str) -> IdentityCard:
        """The latest trusted card of ``party`` (KeyError if none)."""
        return self._history[party][-1].card

    # --- SignerDirectory ---

    def node_signer(self, key_id: bytes, at: datetime) -> Signer:
        certs = self._node_certs.get(key_id)
        if not certs:
            raise UnknownSignerError(key_id)
        problem: SignerNotValidError | None = None
        for cert in certs:
            try:
                self._check_not_revoked(key_id, at)
                self._check_not_revoked(cert.issuer, at)
            except KeyRevokedError as exc:
                problem = exc
                continue
            if cert.valid_at(at):
                return Signer(cert.party, cert.node, cert.public_key, key_id)
            if problem is None:
                problem = SignerNotValidError(
                    key_id,
                    at,
                    f"certificate of {cert.party}/{cert.node} is valid from "
                    f"{cert.valid_from.isoformat()} until {cert.valid_until.isoformat()}",
                )
        assert problem is not None
        raise problem

    def party_signer(self, key_id: bytes, at: datetime) -> PartySigner:
        period = self._party_keys.get(key_id)
        if period is None:
            raise UnknownSignerError(key_id)
        self._check_not_revoked(key_id, at)
        if at < period.valid_from or (period.valid_until is not None and at >= period.valid_until):
            until = "now" if period.valid_until is None else period.valid_until.isoformat()
            raise SignerNotValidError(
                key_id,
                at,
                f"party key of {period.card.party} is in use from "
                f"{period.valid_from.isoformat()} until {until}",
            )
        return PartySigner(period.card.party, period.card.keys, key_id)

    # --- internals ---

    def _check_not_revoked(self, key_id: bytes, at: datetime) -> None:
        revocation = self._revoked.get(key_id)
        if revocation is not None and at >= revocation.effective:
            raise KeyRevokedError(key_id, at, revocation.effective, revocation.reason.value)

    def _add_certificates(self, card: IdentityCard) -> None:
        for cert in card.nodes:
            known = self._node_certs.setdefault(cert.key_id, [])
            if cert not in known:
                known.append(cert)

    def _check_party_key(self, card: IdentityCard) -> None:
        """A key id means one thing: refuse a party key already known in any role."""
        if card.key_id in self._party_keys or card.key_id in self._node_certs:
            raise IdentityMismatchError(
                f"identity card of {card.party}", "its party key is already known"
            )

    def _check_node_keys(self, card: IdentityCard) -> None:
        """Refuse node keys that are party keys or that another party certified."""
        for cert in card.nodes:
            if cert.key_id in self._party_keys:
                raise IdentityMismatchError(
                    f"identity card of {card.party}", f"node {cert.node} uses a known party key"
                )
            if any(other.party != card.party for other in self._node_certs.get(cert.key_id, [])):
                raise IdentityMismatchError(
                    f"identity card of {card.party}",
                    f"node {cert.node} has a key another party already certified",
                )


def _claimed_party(data: bytes) -> str | None:
    """The party a rotation says it is about: only to find the card to verify it against."""
    raw = split_statement(data.partition(b"\n")[0], what="rotation", max_bytes=MAX_STATEMENT_BYTES)
    party = raw.body.get("party")
    return party if isinstance(party, str) else None
