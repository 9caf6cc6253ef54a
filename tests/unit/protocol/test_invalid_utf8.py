"""Invalid UTF-8 inside a JSON string is a protocol error everywhere, never a crash.

msgspec raises UnicodeDecodeError (not DecodeError) for it (msgspec issue #714); a member's
node could otherwise crash whoever opens one validly signed header.
"""

import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import RemoteProtocolError
from hotline.protocol.charter import Charter
from hotline.protocol.envelope import KeyTable, open_envelope
from hotline.protocol.messages import LinkTestBody, decode_body
from hotline.protocol.sealed import parse_item
from hotline.transport.batch import unpack_batch

BAD = b'{"v":1,"ch":"\xed\xa0\x80","from":"US"}'  # a lone surrogate: not UTF-8


def test_a_signed_header_with_invalid_utf8_is_refused() -> None:
    key = Ed25519PrivateKey.generate()
    table = KeyTable()
    kid = table.add("US", key.public_key().public_bytes_raw())
    raw = struct.pack(">4s32s64sI", b"HLE1", kid, key.sign(b"HLE1" + kid + BAD), len(BAD)) + BAD
    with pytest.raises(RemoteProtocolError, match="header is not valid UTF-8"):
        open_envelope(raw, table)


def test_bodies_charters_routing_and_batches_refuse_it_too() -> None:
    with pytest.raises(RemoteProtocolError):
        decode_body(LinkTestBody, b'{"number":"\xff"}', "link test")
    with pytest.raises(RemoteProtocolError):
        Charter.from_bytes(b'{"name":"\xc3\x28"}')
    with pytest.raises(RemoteProtocolError):
        parse_item(struct.pack(">4sI", b"HLS1", len(BAD)) + BAD + b"x" * 2000)
    key = Ed25519PrivateKey.generate()
    table = KeyTable()
    kid = table.add("US", key.public_key().public_bytes_raw())
    header = b'{"from":"\xff","t":1,"to":"RU"}'
    signed = struct.pack(">I", len(header)) + header
    batch = b"HLB1" + kid + key.sign(b"HLB1" + kid + signed) + signed
    with pytest.raises(RemoteProtocolError):
        unpack_batch(batch, table, me="RU")
