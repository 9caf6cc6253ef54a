"""The signer directory: key id and time in, signer out, honouring validity and revocations."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hotline.protocol import (
    CardDirectory,
    IdentityMismatchError,
    KeyRevokedError,
    PartySecretKeys,
    RevocationReason,
    RevocationSubject,
    RotationRefusedError,
    SignerDirectory,
    SignerNotValidError,
    UnknownSignerError,
    issue_card,
    issue_node_certificate,
    issue_revocation,
    issue_rotation,
)
from hotline.protocol.identity import IdentityCard, Rotation
from hotline.testing.identities import SampleIdentity, make_identity

T0 = datetime(2026, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def _rotate(old: SampleIdentity, at: datetime) -> tuple[PartySecretKeys, IdentityCard, Rotation]:
    new = PartySecretKeys.generate(old.party)
    certs = [
        issue_node_certificate(new, c.node, c.public_key, at, at + timedelta(days=365))
        for c in old.card.nodes
    ]
    card = issue_card(new, certs, at)
    return new, card, issue_rotation(old.secret, old.card, new, card, at)


def _revoke(
    secret: PartySecretKeys,
    card: IdentityCard,
    key: bytes,
    subject: RevocationSubject,
    issued: datetime,
    effective: datetime | None = None,
) -> bytes:
    return issue_revocation(
        secret,
        card,
        subject=subject,
        revoked_key_id=key,
        reason=RevocationReason.COMPROMISED,
        issued=issued,
        effective=effective,
    ).to_bytes()


@pytest.fixture
def parties() -> tuple[SampleIdentity, SampleIdentity]:
    return make_identity("US", ("hq", "sea-1"), at=T0), make_identity("RU", ("msk",), at=T0)


def test_directory_is_a_signer_directory() -> None:
    directory: SignerDirectory = CardDirectory()
    with pytest.raises(UnknownSignerError):
        directory.node_signer(bytes(32), T0)


def test_node_signer_found_within_certificate_validity(
    parties: tuple[SampleIdentity, SampleIdentity],
) -> None:
    us, ru = parties
    directory = CardDirectory([us.card, ru.card])
    signer = directory.node_signer(us.nodes["sea-1"].key_id, T0 + DAY)
    assert (signer.party, signer.node) == ("US", "sea-1")
    assert signer.public_key == us.nodes["sea-1"].public_key
    assert directory.node_signer(ru.nodes["msk"].key_id, T0).party == "RU"
    with pytest.raises(SignerNotValidError, match="certificate of US/hq is valid from"):
        directory.node_signer(us.nodes["hq"].key_id, T0 - timedelta(seconds=1))
    with pytest.raises(SignerNotValidError):
        directory.node_signer(us.nodes["hq"].key_id, T0 + timedelta(days=365))
    with pytest.raises(UnknownSignerError):
        directory.node_signer(us.card.key_id, T0 + DAY)  # a party key is not a node key


def test_revoked_node_key_fails_from_effective_time_only(
    parties: tuple[SampleIdentity, SampleIdentity],
) -> None:
    us, _ = parties
    directory = CardDirectory([us.card])
    key = us.nodes["hq"].key_id
    directory.add_revocation(
        _revoke(us.secret, us.card, key, RevocationSubject.NODE, T0 + 10 * DAY, T0 + 5 * DAY)
    )
    assert directory.node_signer(key, T0 + 4 * DAY).node == "hq"
    with pytest.raises(KeyRevokedError, match="compromised") as caught:
        directory.node_signer(key, T0 + 5 * DAY)
    assert caught.value.effective == T0 + 5 * DAY
    assert directory.node_signer(us.nodes["sea-1"].key_id, T0 + 6 * DAY).node == "sea-1"


def test_revoked_party_key_takes_its_node_certificates_with_it(
    parties: tuple[SampleIdentity, SampleIdentity],
) -> None:
    us, _ = parties
    directory = CardDirectory([us.card])
    revocation = _revoke(us.secret, us.card, us.card.key_id, RevocationSubject.PARTY, T0 + 3 * DAY)
    directory.add_revocation(revocation)
    assert directory.party_signer(us.card.key_id, T0 + DAY).party == "US"
    with pytest.raises(KeyRevokedError):
        directory.party_signer(us.card.key_id, T0 + 3 * DAY)
    with pytest.raises(KeyRevokedError):
        directory.node_signer(us.nodes["hq"].key_id, T0 + 3 * DAY)
    assert directory.node_signer(us.nodes["hq"].key_id, T0 + 2 * DAY).node == "hq"


def test_rotation_moves_the_party_key_and_keeps_history(
    parties: tuple[SampleIdentity, SampleIdentity],
) -> None:
    us, _ = parties
    directory = CardDirectory([us.card])
    at = T0 + 10 * DAY
    _, new_card, rotation = _rotate(us, at)
    assert directory.apply_rotation(rotation.to_bytes()).digest == new_card.digest
    assert directory.current_card("US").digest == new_card.digest
    # old party key answers for its own period only; the new one from the rotation on
    assert directory.party_signer(us.card.key_id, at - DAY).keys.same_keys(us.card.keys)
    with pytest.raises(SignerNotValidError, match="in use from"):
        directory.party_signer(us.card.key_id, at)
    assert directory.party_signer(new_card.key_id, at).keys.same_keys(new_card.keys)
    with pytest.raises(SignerNotValidError):
        directory.party_signer(new_card.key_id, at - DAY)
    # node keys keep working before and after, under either certificate
    assert directory.node_signer(us.nodes["hq"].key_id, at - DAY).node == "hq"
    assert directory.node_signer(us.nodes["hq"].key_id, at + 200 * DAY).node == "hq"


def test_rotation_refused_when_the_old_key_was_revoked_before(
    parties: tuple[SampleIdentity, SampleIdentity],
) -> None:
    """A thief of the party key cannot rotate it away after the owner revoked it."""
    us, _ = parties
    directory = CardDirectory([us.card])
    directory.add_revocation(
        _revoke(us.secret, us.card, us.card.key_id, RevocationSubject.PARTY, T0 + 5 * DAY)
    )
    _, _, rotation = _rotate(us, T0 + 6 * DAY)
    with pytest.raises(RotationRefusedError, match="revoked before the rotation"):
        directory.apply_rotation(rotation.to_bytes())
    with pytest.raises(RotationRefusedError, match="no card of this party"):
        CardDirectory().apply_rotation(rotation.to_bytes())


def test_new_key_can_revoke_a_rotated_out_key(
    parties: tuple[SampleIdentity, SampleIdentity],
) -> None:
    us, _ = parties
    directory = CardDirectory([us.card])
    new_secret, new_card, rotation = _rotate(us, T0 + 10 * DAY)
    directory.apply_rotation(rotation.to_bytes())
    directory.add_revocation(
        _revoke(
            new_secret,
            new_card,
            us.card.key_id,
            RevocationSubject.PARTY,
            T0 + 11 * DAY,
            T0 + 2 * DAY,
        )
    )
    with pytest.raises(KeyRevokedError):
        directory.party_signer(us.card.key_id, T0 + 3 * DAY)


def test_card_update_adds_nodes_but_a_key_change_needs_rotation(
    parties: tuple[SampleIdentity, SampleIdentity],
) -> None:
    us, _ = parties
    directory = CardDirectory([us.card])
    extra = make_identity("US", ("air-1",), at=T0)  # only to borrow a fresh node key
    cert = issue_node_certificate(
        us.secret, "air-1", extra.nodes["air-1"].public_key, T0 + DAY, T0 + 9 * DAY
    )
    directory.trust(issue_card(us.secret, [*us.card.nodes, cert], T0 + DAY))
    assert directory.node_signer(extra.nodes["air-1"].key_id, T0 + 2 * DAY).node == "air-1"
    with pytest.raises(IdentityMismatchError, match="rotation statement"):
        directory.trust(extra.card)


def test_a_key_certified_by_two_parties_is_refused(
    parties: tuple[SampleIdentity, SampleIdentity],
) -> None:
    """RU must not be able to claim a US node's key as its own (unknown key-share)."""
    us, ru = parties
    stolen = issue_node_certificate(ru.secret, "copy", us.nodes["hq"].public_key, T0, T0 + 9 * DAY)
    ru_card = issue_card(ru.secret, [*ru.card.nodes, stolen], T0 + DAY)
    directory = CardDirectory([us.card])
    with pytest.raises(IdentityMismatchError, match="another party already certified"):
        directory.trust(ru_card)
    alias = issue_card(replace(us.secret, party="XX"), [], T0)  # US's keys under a new name
    with pytest.raises(IdentityMismatchError, match="party key is already known"):
        directory.trust(alias)
