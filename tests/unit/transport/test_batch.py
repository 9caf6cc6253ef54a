"""Batches are signed by the sending node and addressed; any alteration or misdirection fails."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import RemoteProtocolError
from hotline.protocol.envelope import KeyTable
from hotline.transport.batch import pack_batch, unpack_batch

KEY = Ed25519PrivateKey.generate()
TABLE = KeyTable()
TABLE.add("US", KEY.public_key().public_bytes_raw())
ITEMS = [b"first envelope", b"", b"third" * 100]


def test_round_trip() -> None:
    batch = unpack_batch(pack_batch("US", "RU", 42, ITEMS, KEY), TABLE, me="RU")
    assert (batch.sender, batch.to, batch.t, batch.envelopes) == ("US", "RU", 42, ITEMS)


def test_every_byte_is_covered_by_the_signature() -> None:
    data = pack_batch("US", "RU", 42, ITEMS, KEY)
    for i in range(len(data)):
        altered = bytearray(data)
        altered[i] ^= 0x20
        with pytest.raises(RemoteProtocolError):
            unpack_batch(bytes(altered), TABLE, me="RU")


def test_a_batch_for_another_party_is_refused() -> None:
    with pytest.raises(RemoteProtocolError, match="addressed to RU, not to UA"):
        unpack_batch(pack_batch("US", "RU", 1, ITEMS, KEY), TABLE, me="UA")


def test_a_batch_claiming_another_sender_is_refused() -> None:
    with pytest.raises(RemoteProtocolError, match="claims sender RU, signed by US"):
        unpack_batch(pack_batch("RU", "UA", 1, ITEMS, KEY), TABLE, me="UA")


def test_unknown_node_key_is_refused() -> None:
    stranger = Ed25519PrivateKey.generate()
    with pytest.raises(RemoteProtocolError, match="unknown node key"):
        unpack_batch(pack_batch("US", "RU", 1, ITEMS, stranger), TABLE, me="RU")
