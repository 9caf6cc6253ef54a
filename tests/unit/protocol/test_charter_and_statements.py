"""Charters hash to channel ids from their exact bytes; statements need both signatures."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey

from hotline.errors import RemoteProtocolError
from hotline.protocol.charter import Charter, CharterMember, channel_id
from hotline.protocol.messages import (
    CheckpointBody,
    ResendRequest,
    SeqRange,
    checkpoint_statement,
    cosign_statement,
    decode_body,
    encode_body,
    sign_statement,
    statement_is_signed,
)
from hotline.protocol.types import Precedence


def charter(**overrides: object) -> Charter:
    members = [
        CharterMember(party="RU", fingerprint="12345 67890", card=b"ru-card"),
        CharterMember(party="US", fingerprint="09876 54321", card=b"us-card"),
    ]
    fields: dict[str, object] = {
        "name": "Black Sea air safety",
        "proposer": "US",
        "created_ms": 1,
        "members": members,
    }
    fields.update(overrides)
    return Charter(**fields)  # type: ignore[arg-type]


def test_charter_round_trips_and_defaults_follow_design() -> None:
    c = charter()
    data = c.to_bytes()
    again = Charter.from_bytes(data)
    assert again == c
    assert again.ack_window_s[Precedence.FLASH] == 600
    assert again.ack_window_s[Precedence.ROUTINE] == 6 * 3600
    assert channel_id(data) == channel_id(again.to_bytes())
    assert len(channel_id(data)) == 64


def test_any_change_makes_another_channel() -> None:
    assert channel_id(charter().to_bytes()) != channel_id(charter(name="Black Sea").to_bytes())


def test_charter_errors_name_the_field() -> None:
    bad = charter().to_bytes().replace(b'"proposer":"US"', b'"proposer":"us"')
    with pytest.raises(RemoteProtocolError, match=r"\$\.proposer"):
        Charter.from_bytes(bad)
    with pytest.raises(RemoteProtocolError, match="not in canonical form"):
        Charter.from_bytes(charter().to_bytes().replace(b",", b", ", 1))


def test_unsorted_members_are_refused() -> None:
    data = charter().to_bytes().replace(b'"party":"RU"', b'"party":"ZZ"')
    with pytest.raises(RemoteProtocolError, match="unique and sorted"):
        Charter.from_bytes(data)


def test_dual_signature_needs_both_keys() -> None:
    ed, ml = Ed25519PrivateKey.generate(), MLDSA65PrivateKey.generate()
    ed_pub, ml_pub = ed.public_key().public_bytes_raw(), ml.public_key().public_bytes_raw()
    stmt = checkpoint_statement("aa" * 32, "US", 10, "bb" * 32)
    sig = sign_statement(stmt, ed, ml)
    assert statement_is_signed(stmt, sig, ed_pub, ml_pub)
    other_ml = MLDSA65PrivateKey.generate()
    half_forged = type(sig)(ed25519=sig.ed25519, mldsa65=other_ml.sign(stmt))
    assert not statement_is_signed(stmt, half_forged, ed_pub, ml_pub)
    # a checkpoint signature is not a countersignature of the same head
    assert not statement_is_signed(
        cosign_statement("aa" * 32, "US", 10, "bb" * 32), sig, ed_pub, ml_pub
    )


def test_protocol_bodies_round_trip_and_name_errors() -> None:
    req = ResendRequest(ranges=[SeqRange(3, 7)])
    assert encode_body(req) == b'{"ranges":[[3,7]]}'
    assert decode_body(ResendRequest, encode_body(req), "resend") == req
    with pytest.raises(RemoteProtocolError, match=r"resend: invalid body: .*\$\.ranges\[0\]"):
        decode_body(ResendRequest, b'{"ranges":[[0,7]]}', "resend")
    with pytest.raises(RemoteProtocolError, match="checkpoint: body is missing"):
        decode_body(CheckpointBody, None, "checkpoint")
