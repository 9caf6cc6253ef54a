"""Key rotation (signed by the old and the new keys) and revocation (signed by the party)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from hotline.protocol import (
    BadSignatureError,
    IdentityMismatchError,
    MalformedStatementError,
    PartySecretKeys,
    Revocation,
    RevocationReason,
    RevocationSubject,
    Rotation,
    RotationRefusedError,
    issue_card,
    issue_node_certificate,
    issue_revocation,
    issue_rotation,
    verify_rotation,
)
from hotline.protocol.statement import canonical_json, join_statement
from hotline.testing.identities import SampleIdentity, make_identity

T0 = datetime(2026, 3, 1, tzinfo=UTC)
T1 = T0 + timedelta(days=30)


def _rotated(old: SampleIdentity, at: datetime = T1) -> tuple[PartySecretKeys, Rotation]:
    new = PartySecretKeys.generate(old.party)
    certs = [
        issue_node_certificate(new, c.node, c.public_key, at, at + timedelta(days=365))
        for c in old.card.nodes
    ]
    new_card = issue_card(new, certs, at)
    return new, issue_rotation(old.secret, old.card, new, new_card, at)


def _sig(secret: PartySecretKeys, body: bytes, domain: str) -> dict[str, str]:
    s = secret.sign(body, domain=domain)
    return {
        "ed25519": base64.b64encode(s.ed25519).decode(),
        "mldsa65": base64.b64encode(s.mldsa65).decode(),
    }


def _forge_rotation(
    body: dict[str, object], old: PartySecretKeys, new: PartySecretKeys, new_card: bytes
) -> bytes:
    raw = canonical_json(body)
    sig = {
        "old": _sig(old, raw, "hotline.rotation/1"),
        "new": _sig(new, raw, "hotline.rotation/1"),
    }
    return join_statement(raw, sig) + b"\n" + new_card


def test_rotation_produces_the_new_card() -> None:
    us = make_identity("US", ("hq",), at=T0)
    new, rotation = _rotated(us)
    new_card = verify_rotation(us.card, rotation.to_bytes())
    assert new_card.to_bytes() == rotation.new_card.to_bytes()
    assert new_card.keys.same_keys(new.public_keys())
    assert new_card.node("hq").public_key == us.nodes["hq"].public_key
    assert new_card.fingerprint != us.card.fingerprint
    assert Rotation.from_bytes(rotation.to_bytes(), us.card).issued == T1


def test_rotation_against_another_trusted_card_is_refused() -> None:
    us = make_identity("US", at=T0)
    other = make_identity("US", at=T0)
    _, rotation = _rotated(us)
    with pytest.raises(RotationRefusedError, match="continues another card"):
        verify_rotation(other.card, rotation.to_bytes())


def test_rotation_without_the_old_keys_is_refused() -> None:
    """A thief of nothing cannot rotate: the statement must carry the old keys' signatures."""
    us = make_identity("US", at=T0)
    intruder = PartySecretKeys.generate("US")
    _, rotation = _rotated(us)
    line, _, card = rotation.to_bytes().partition(b"\n")
    body = json.loads(line)["body"]
    forged = _forge_rotation(body, intruder, intruder, card)
    with pytest.raises(BadSignatureError, match="old keys"):
        verify_rotation(us.card, forged)


def test_rotation_without_possession_of_the_new_keys_is_refused() -> None:
    us = make_identity("US", at=T0)
    _, rotation = _rotated(us)
    line, _, card = rotation.to_bytes().partition(b"\n")
    body = json.loads(line)["body"]
    forged = _forge_rotation(body, us.secret, PartySecretKeys.generate("US"), card)
    with pytest.raises(BadSignatureError, match="new keys"):
        verify_rotation(us.card, forged)


def test_rotation_whose_card_is_swapped_is_refused() -> None:
    us = make_identity("US", at=T0)
    _, rotation = _rotated(us)
    _, other = _rotated(us)
    line = rotation.to_bytes().partition(b"\n")[0]
    with pytest.raises(RotationRefusedError, match="not the one the statement names"):
        verify_rotation(us.card, line + b"\n" + other.new_card.to_bytes())


def test_rotation_to_the_same_signing_keys_is_refused() -> None:
    us = make_identity("US", at=T0)
    same_card = issue_card(us.secret, us.card.nodes, T1)
    with pytest.raises(RotationRefusedError, match="both signing keys must change"):
        issue_rotation(us.secret, us.card, us.secret, same_card, T1)


def test_rotation_with_times_out_of_order_is_refused() -> None:
    us = make_identity("US", at=T0)
    with pytest.raises(RotationRefusedError, match="times out of order"):
        _rotated(us, at=T0 - timedelta(days=1))


def test_rotation_of_another_party_is_refused() -> None:
    us = make_identity("US", at=T0)
    _, rotation = _rotated(us)
    line, _, card = rotation.to_bytes().partition(b"\n")
    body = {**json.loads(line)["body"], "party": "RU"}
    ru_secret = PartySecretKeys.generate("RU")
    with pytest.raises(RotationRefusedError, match="for party RU"):
        verify_rotation(us.card, _forge_rotation(body, us.secret, ru_secret, card))


def test_rotation_needs_its_card_and_is_a_rotation() -> None:
    us = make_identity("US", at=T0)
    _, rotation = _rotated(us)
    line = rotation.to_bytes().partition(b"\n")[0]
    with pytest.raises(MalformedStatementError, match="followed by the new card"):
        verify_rotation(us.card, line)
    with pytest.raises(MalformedStatementError, match=r"not a 'hotline\.rotation/1'"):
        verify_rotation(us.card, us.card.to_bytes())


def test_node_revocation_verifies_under_the_party_card() -> None:
    us = make_identity("US", ("hq",), at=T0)
    revocation = issue_revocation(
        us.secret,
        us.card,
        subject=RevocationSubject.NODE,
        revoked_key_id=us.nodes["hq"].key_id,
        reason=RevocationReason.COMPROMISED,
        issued=T1,
        effective=T1 - timedelta(days=2),
    )
    again = Revocation.from_bytes(revocation.to_bytes(), [us.card])
    assert again == revocation
    assert again.key_id == us.nodes["hq"].key_id
    assert again.effective == T1 - timedelta(days=2)
    assert again.issuer == us.card.key_id
    assert again.subject is RevocationSubject.NODE
    assert again.reason is RevocationReason.COMPROMISED


def test_revocation_needs_a_trusted_card_of_its_signer() -> None:
    us = make_identity("US", at=T0)
    other = make_identity("US", at=T0)
    revocation = issue_revocation(
        us.secret,
        us.card,
        subject=RevocationSubject.PARTY,
        revoked_key_id=us.card.key_id,
        reason=RevocationReason.RETIRED,
        issued=T1,
    )
    assert revocation.effective == T1
    with pytest.raises(IdentityMismatchError, match="no trusted card of US holds"):
        Revocation.from_bytes(revocation.to_bytes(), [other.card])
    with pytest.raises(IdentityMismatchError, match="secret keys are not those of the card"):
        issue_revocation(
            other.secret,
            us.card,
            subject=RevocationSubject.PARTY,
            revoked_key_id=us.card.key_id,
            reason=RevocationReason.RETIRED,
            issued=T1,
        )


def test_revocation_with_a_forged_signature_is_refused() -> None:
    us = make_identity("US", at=T0)
    revocation = issue_revocation(
        us.secret,
        us.card,
        subject=RevocationSubject.PARTY,
        revoked_key_id=us.card.key_id,
        reason=RevocationReason.COMPROMISED,
        issued=T1,
    )
    body = canonical_json(json.loads(revocation.to_bytes())["body"])
    forged = join_statement(
        body, _sig(PartySecretKeys.generate("US"), body, "hotline.revocation/1")
    )
    with pytest.raises(BadSignatureError):
        Revocation.from_bytes(forged + b"\n", [us.card])
