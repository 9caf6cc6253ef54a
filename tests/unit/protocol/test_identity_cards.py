"""Identity cards and node certificates: issued, parsed, verified, refused with precise errors."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import hpke

from hotline.protocol import (
    BadSignatureError,
    IdentityCard,
    IdentityMismatchError,
    MalformedStatementError,
    NodeCertificate,
    NodeSecretKey,
    PartySecretKeys,
    StatementTooLargeError,
    WeakPublicKeyError,
    accept_card_update,
    fingerprint,
    issue_card,
    issue_node_certificate,
)
from hotline.protocol.identity import MAX_CARD_BYTES
from hotline.protocol.statement import canonical_json, join_statement
from hotline.testing.identities import SampleIdentity, make_identity

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def us() -> SampleIdentity:
    return make_identity("US", ("hq", "sea-1"), at=T0)


def _lines(card: IdentityCard) -> list[bytes]:
    return card.to_bytes().split(b"\n")[:-1]


def _resign(secret: PartySecretKeys, body: dict[str, object], domain: str) -> bytes:
    """A statement line with ``body`` signed properly: for tests that need valid signatures."""
    body_bytes = canonical_json(body)
    sig = secret.sign(body_bytes, domain=domain)
    return join_statement(
        body_bytes,
        {
            "ed25519": base64.b64encode(sig.ed25519).decode(),
            "mldsa65": base64.b64encode(sig.mldsa65).decode(),
        },
    )


def test_card_round_trips_and_carries_everything(us: SampleIdentity) -> None:
    data = us.card.to_bytes()
    card = IdentityCard.from_bytes(data)
    assert card.to_bytes() == data
    assert card.party == "US"
    assert card.created == T0
    assert card.keys.same_keys(us.secret.public_keys())
    assert [c.node for c in card.nodes] == ["hq", "sea-1"]
    assert card.node("sea-1").public_key == us.nodes["sea-1"].public_key
    assert card.node("hq").valid_from == T0
    assert card.node("hq").valid_until == T0 + timedelta(days=365)
    assert card.digest == hashlib.sha256(data).digest()
    assert card.key_id == hashlib.sha256(us.secret.ed25519.public_key().public_bytes_raw()).digest()


def test_card_bytes_are_documented_json_lines(us: SampleIdentity) -> None:
    """Line 1 is the self-signed card; then one certificate per line, hashed by the card."""
    lines = _lines(us.card)
    card = json.loads(lines[0])
    assert set(card) == {"body", "sig"}
    assert card["body"]["type"] == "hotline.identity-card/1"
    assert set(card["body"]) == {
        "type",
        "party",
        "created",
        "ed25519",
        "mldsa65",
        "mlkem768",
        "x25519",
        "nodes",
    }
    assert card["body"]["created"] == "2026-03-01T12:00:00Z"
    assert card["body"]["nodes"] == [hashlib.sha256(line).hexdigest() for line in lines[1:]]
    assert set(card["sig"]) == {"ed25519", "mldsa65"}
    cert = json.loads(lines[1])
    assert cert["body"]["type"] == "hotline.node-certificate/1"
    assert cert["body"]["issuer"] == us.card.key_id.hex()
    assert us.card.to_bytes().isascii()


def test_fingerprint_is_deterministic_and_shaped_for_reading_aloud(us: SampleIdentity) -> None:
    again = IdentityCard.from_bytes(us.card.to_bytes()).fingerprint
    assert again == us.card.fingerprint
    groups = again.groups
    assert len(groups) == 12
    assert all(len(g) == 5 and g.isdigit() for g in groups)
    assert str(again) == " ".join(groups)
    assert len(again.lines()) == 3


def test_fingerprint_changes_when_any_signing_key_or_the_party_changes(us: SampleIdentity) -> None:
    keys = us.card.keys
    other = PartySecretKeys.generate("US").public_keys()
    base = fingerprint("US", keys.ed25519, keys.mldsa65)
    assert fingerprint("US", other.ed25519, keys.mldsa65) != base
    assert fingerprint("US", keys.ed25519, other.mldsa65) != base
    assert fingerprint("RU", keys.ed25519, keys.mldsa65) != base


def test_fingerprint_matches_its_documented_algorithm(us: SampleIdentity) -> None:
    keys = us.card.keys
    material = keys.ed25519.public_bytes_raw() + keys.mldsa65.public_bytes_raw()
    h = hashlib.sha512(b"hotline-fingerprint\x00\x00\x01\x02US" + material).digest()
    for _ in range(5200):
        h = hashlib.sha512(h + material).digest()
    expected = "".join(
        f"{int.from_bytes(h[5 * i : 5 * i + 5], 'big') % 100000:05d}" for i in range(12)
    )
    assert us.card.fingerprint.digits == expected


def test_card_hpke_key_receives_what_the_party_can_decrypt(us: SampleIdentity) -> None:
    suite = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
    card = IdentityCard.from_bytes(us.card.to_bytes())
    sealed = suite.encrypt(b"for the relay", card.keys.hpke.to_hpke(), info=b"hotline test")
    assert (
        suite.decrypt(sealed, us.secret.hpke_private_key(), info=b"hotline test")
        == b"for the relay"
    )


def test_a_flipped_bit_in_the_self_signed_body_is_a_bad_signature(us: SampleIdentity) -> None:
    data = bytearray(us.card.to_bytes())
    position = data.index(b'"created":"2026') + len(b'"created":"2026-0')
    data[position] = ord("4")  # March -> April: still a valid time, still canonical
    with pytest.raises(BadSignatureError, match="identity card of US"):
        IdentityCard.from_bytes(bytes(data))


def test_a_certificate_not_listed_by_the_card_is_refused(us: SampleIdentity) -> None:
    other = make_identity("US", ("hq",), at=T0)
    lines = _lines(us.card)
    swapped = lines[0] + b"\n" + _lines(other.card)[1] + b"\n" + lines[2] + b"\n"
    with pytest.raises(IdentityMismatchError, match="node certificate 1 is not the one"):
        IdentityCard.from_bytes(swapped)
    dropped = lines[0] + b"\n" + lines[1] + b"\n"
    with pytest.raises(IdentityMismatchError, match="lists 2 node certificates but carries 1"):
        IdentityCard.from_bytes(dropped)


def test_card_size_is_checked_before_parsing() -> None:
    with pytest.raises(StatementTooLargeError, match="more than the limit"):
        IdentityCard.from_bytes(b"{" * (MAX_CARD_BYTES + 1))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda line: line.replace(b'{"body":', b'{ "body":', 1), 'start with {"body":'),
        (lambda line: line + b" ", "unexpected bytes after"),
        (lambda line: line.replace(b'"party":"US"', b'"party": "US"', 1), "canonical"),
        (lambda line: line.replace(b'"nodes":[', b'"nodes":[ ', 1), "canonical"),
        (
            lambda line: line.replace(b"hotline.identity-card/1", b"hotline.identity-card/2"),
            "not a",
        ),
        (lambda line: line.replace(b'"party":"US"', b'"party":"U\\u0053"'), "canonical"),
    ],
)
def test_card_line_form_errors_are_malformed_statements(
    us: SampleIdentity, mutate: Callable[[bytes], bytes], message: str
) -> None:
    lines = _lines(us.card)
    data = b"\n".join([mutate(lines[0]), *lines[1:]]) + b"\n"
    with pytest.raises(MalformedStatementError, match=message):
        IdentityCard.from_bytes(data)


def test_duplicate_keys_and_non_ascii_are_refused(us: SampleIdentity) -> None:
    line = _lines(us.card)[0]
    dup = line.replace(b'"party":"US"', b'"party":"US","party":"US"', 1)
    with pytest.raises(MalformedStatementError, match="duplicate key"):
        IdentityCard.from_bytes(dup + b"\n")
    with pytest.raises(MalformedStatementError, match="ASCII"):
        IdentityCard.from_bytes(line.replace(b"US", "УС".encode(), 1) + b"\n")


def test_missing_trailing_newline_and_empty_lines_are_refused(us: SampleIdentity) -> None:
    data = us.card.to_bytes()
    with pytest.raises(MalformedStatementError, match="newline"):
        IdentityCard.from_bytes(data[:-1])
    with pytest.raises(MalformedStatementError, match="empty line"):
        IdentityCard.from_bytes(data + b"\n")


def test_well_signed_card_with_a_weak_key_is_refused() -> None:
    """Signatures cannot make a small-order key acceptable: the key is checked on load."""
    secret = PartySecretKeys.generate("XX")
    public = secret.public_keys()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    body = {
        "type": "hotline.identity-card/1",
        "party": "XX",
        "created": "2026-03-01T12:00:00Z",
        "ed25519": b64(bytes([1]) + bytes(31)),
        "mldsa65": b64(public.mldsa65.public_bytes_raw()),
        "mlkem768": b64(public.hpke.mlkem768.public_bytes_raw()),
        "x25519": b64(public.hpke.x25519.public_bytes_raw()),
        "nodes": [],
    }
    line = _resign(secret, body, "hotline.identity-card/1")
    with pytest.raises(WeakPublicKeyError, match="identity card of XX"):
        IdentityCard.from_bytes(line + b"\n")


def test_certificate_with_small_order_node_key_is_refused() -> None:
    secret = PartySecretKeys.generate("XX")
    body = {
        "type": "hotline.node-certificate/1",
        "party": "XX",
        "node": "n",
        "key": base64.b64encode(bytes([1]) + bytes(31)).decode(),
        "issuer": secret.public_keys().key_id.hex(),
        "valid_from": "2026-03-01T12:00:00Z",
        "valid_until": "2027-03-01T12:00:00Z",
    }
    line = _resign(secret, body, "hotline.node-certificate/1")
    with pytest.raises(WeakPublicKeyError, match=r"node certificate at \$.body.key"):
        NodeCertificate.from_bytes(line + b"\n", secret.public_keys())


def test_certificate_verifies_only_under_its_issuer(us: SampleIdentity) -> None:
    cert = us.card.node("hq")
    assert NodeCertificate.from_bytes(cert.to_bytes(), us.card.keys) == cert
    stranger = PartySecretKeys.generate("US").public_keys()
    with pytest.raises(IdentityMismatchError, match="issued by party key"):
        NodeCertificate.from_bytes(cert.to_bytes(), stranger)


def test_certificate_signed_by_another_key_claiming_the_issuer_is_a_bad_signature(
    us: SampleIdentity,
) -> None:
    forger = PartySecretKeys.generate("US")
    body = json.loads(us.card.node("hq").line)["body"]
    line = _resign(forger, body, "hotline.node-certificate/1")
    with pytest.raises(BadSignatureError, match="Ed25519"):
        NodeCertificate.from_bytes(line + b"\n", us.card.keys)


def test_certificate_signature_is_domain_separated(us: SampleIdentity) -> None:
    """A signature made for a card cannot be replayed as a certificate's and vice versa."""
    body = json.loads(us.card.node("hq").line)["body"]
    line = _resign(us.secret, body, "hotline.identity-card/1")
    with pytest.raises(BadSignatureError):
        NodeCertificate.from_bytes(line + b"\n", us.card.keys)


def test_certificate_validity_must_be_a_period(us: SampleIdentity) -> None:
    node = NodeSecretKey.generate("US", "n")
    with pytest.raises(MalformedStatementError, match="valid_until is not after valid_from"):
        issue_node_certificate(us.secret, "n", node.public_key, T0, T0)
    cert = us.card.node("hq")
    assert cert.valid_at(T0)
    assert not cert.valid_at(T0 - timedelta(seconds=1))
    assert not cert.valid_at(cert.valid_until)


def test_times_are_utc_seconds_and_naive_times_are_refused(us: SampleIdentity) -> None:
    node = NodeSecretKey.generate("US", "n")
    cert = issue_node_certificate(
        us.secret, "n", node.public_key, T0 + timedelta(microseconds=999), T0 + timedelta(days=1)
    )
    assert cert.valid_from == T0
    with pytest.raises(ValueError, match="timezone-aware"):
        issue_node_certificate(us.secret, "n", node.public_key, T0.replace(tzinfo=None), T0)


def test_bad_times_name_the_field(us: SampleIdentity) -> None:
    body = json.loads(us.card.node("hq").line)["body"]
    for bad, message in (("2026-02-30T00:00:00Z", "not a real time"), ("2026-03-01 00:00", "form")):
        line = _resign(us.secret, {**body, "valid_from": bad}, "hotline.node-certificate/1")
        with pytest.raises(MalformedStatementError, match=message) as caught:
            NodeCertificate.from_bytes(line + b"\n", us.card.keys)
        assert caught.value.path == "$.body.valid_from"


def test_schema_errors_carry_a_path(us: SampleIdentity) -> None:
    body = json.loads(us.card.node("hq").line)["body"]
    line = _resign(us.secret, {**body, "node": "Bad Name"}, "hotline.node-certificate/1")
    with pytest.raises(MalformedStatementError) as caught:
        NodeCertificate.from_bytes(line + b"\n", us.card.keys)
    assert caught.value.path == "$.body.node"
    line = _resign(us.secret, {**body, "extra": 1}, "hotline.node-certificate/1")
    with pytest.raises(MalformedStatementError) as caught:
        NodeCertificate.from_bytes(line + b"\n", us.card.keys)
    assert caught.value.path == "$.body.extra"


def test_a_card_refuses_two_nodes_with_one_name_or_one_key(us: SampleIdentity) -> None:
    key = NodeSecretKey.generate("US", "a")
    cert_a = issue_node_certificate(us.secret, "a", key.public_key, T0, T0 + timedelta(days=1))
    cert_b = issue_node_certificate(us.secret, "b", key.public_key, T0, T0 + timedelta(days=1))
    with pytest.raises(IdentityMismatchError, match="reuses a key"):
        issue_card(us.secret, [cert_a, cert_b], T0)
    other = NodeSecretKey.generate("US", "a")
    cert_a2 = issue_node_certificate(us.secret, "a", other.public_key, T0, T0 + timedelta(days=1))
    with pytest.raises(IdentityMismatchError, match="certified twice"):
        issue_card(us.secret, [cert_a, cert_a2], T0)


def test_a_card_refuses_a_certificate_of_another_party(us: SampleIdentity) -> None:
    ru = make_identity("RU", ("n",), at=T0)
    with pytest.raises(IdentityMismatchError, match="issued by party key"):
        issue_card(us.secret, [ru.card.node("n")], T0)


def test_card_update_needs_same_keys_and_is_not_older(us: SampleIdentity) -> None:
    newer = issue_card(us.secret, us.card.nodes[:1], T0 + timedelta(days=1))
    assert accept_card_update(us.card, newer) is newer
    with pytest.raises(IdentityMismatchError, match="older"):
        accept_card_update(newer, us.card)
    stranger = make_identity("US", at=T0)
    with pytest.raises(IdentityMismatchError, match="rotation statement"):
        accept_card_update(us.card, stranger.card)


def test_party_and_node_names_are_restricted_ascii() -> None:
    for bad in ("us", "U S", "", "-US", "A" * 33, "США"):
        with pytest.raises(ValueError, match="party id"):
            PartySecretKeys.generate(bad)
    for bad in ("HQ", "a b", "", "-a", "a" * 65):
        with pytest.raises(ValueError, match="node name"):
            NodeSecretKey.generate("US", bad)


def test_secret_keys_round_trip_through_bytes(us: SampleIdentity) -> None:
    again = PartySecretKeys.from_bytes(us.secret.to_bytes())
    assert again.public_keys().same_keys(us.secret.public_keys())
    assert again.party == "US"
    node = us.nodes["hq"]
    again_node = NodeSecretKey.from_bytes(node.to_bytes())
    assert (again_node.party, again_node.node, again_node.key_id) == ("US", "hq", node.key_id)
    assert "ed25519" not in repr(again)  # private keys are kept out of repr
    with pytest.raises(MalformedStatementError, match="party secret key"):
        PartySecretKeys.from_bytes(node.to_bytes())
