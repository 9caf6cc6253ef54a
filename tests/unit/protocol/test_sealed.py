"""Sealed items: a relay sees routing only; moving, altering or swapping anything is detected."""

import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import RemoteProtocolError
from hotline.protocol.envelope import Kind, make_header, seal
from hotline.protocol.sealed import (
    hpke_public_key,
    open_item,
    parse_item,
    seal_for,
)
from hotline.protocol.types import Marking, Precedence

CH = "aa" * 32
NODE = Ed25519PrivateKey.generate()
KID = b"\x01" * 32


def receiver() -> tuple[hpke.MLKEM768X25519PrivateKey, hpke.MLKEM768X25519PublicKey]:
    ml, xk = mlkem.MLKEM768PrivateKey.generate(), x25519.X25519PrivateKey.generate()
    wire = ml.public_key().public_bytes_raw() + xk.public_key().public_bytes_raw()
    return hpke.MLKEM768X25519PrivateKey(ml, xk), hpke_public_key(wire)


def envelope(seq: int, text: bytes):
    header = make_header(
        channel=CH, sender="US", seq=seq, prev=None if seq == 1 else "bb" * 32, seen={},
        now_ms=7, kind=Kind.NOTIFICATION, body=text, prec=Precedence.FLASH, mark=Marking.REAL,
    )  # fmt: skip
    return seal(header, text, NODE, KID)


RU_KEY, RU_PUB = receiver()


def test_round_trip_and_relay_sees_only_routing() -> None:
    env = envelope(1, b"CHECK FIRE grid 37T")
    item = seal_for(env.raw, env.id, CH, "US", "RU", RU_PUB)
    parsed = parse_item(item.raw)
    assert (parsed.routing.sender, parsed.routing.to, parsed.routing.id) == ("US", "RU", env.id_hex)
    assert b"CHECK FIRE" not in item.raw
    assert b"FLASH" not in item.raw  # even the precedence is hidden from the relay
    assert open_item(parsed, RU_KEY, "RU") == env.raw


def test_any_altered_byte_is_detected() -> None:
    env = envelope(1, b"hello")
    raw = seal_for(env.raw, env.id, CH, "US", "RU", RU_PUB).raw
    for i in range(0, len(raw), 7):
        altered = bytearray(raw)
        altered[i] ^= 0x04
        with pytest.raises(RemoteProtocolError):
            open_item(parse_item(bytes(altered)), RU_KEY, "RU")


def test_ciphertext_moved_under_another_routing_header_fails() -> None:
    a, b = envelope(1, b"first"), envelope(2, b"second")
    item_a = seal_for(a.raw, a.id, CH, "US", "RU", RU_PUB)
    item_b = seal_for(b.raw, b.id, CH, "US", "RU", RU_PUB)
    spliced = item_b.raw[: 8 + len(item_b.routing_bytes)] + item_a.ciphertext
    with pytest.raises(RemoteProtocolError):
        open_item(parse_item(spliced), RU_KEY, "RU")


def test_only_the_addressee_can_open() -> None:
    env = envelope(1, b"x")
    other_key, _ = receiver()
    item = seal_for(env.raw, env.id, CH, "US", "RU", RU_PUB)
    with pytest.raises(RemoteProtocolError, match="not encrypted to this node"):
        open_item(item, other_key, "RU")
    with pytest.raises(RemoteProtocolError, match="is for RU, not UA"):
        open_item(item, other_key, "UA")


def test_envelope_other_than_the_routing_names_is_refused() -> None:
    a, b = envelope(1, b"first"), envelope(2, b"second")
    lying = seal_for(b.raw, a.id, CH, "US", "RU", RU_PUB)  # routing names a, carries b
    with pytest.raises(RemoteProtocolError, match="holds a different envelope"):
        open_item(parse_item(lying.raw), RU_KEY, "RU")
