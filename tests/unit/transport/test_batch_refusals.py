"""A refused batch says why, inside the signed answer, bounded and printable."""

import hashlib
import struct

import msgspec
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from hotline.errors import RemoteProtocolError
from hotline.protocol.envelope import KeyTable
from hotline.transport.batch import (
    MAGIC,
    MAX_REASON_CHARS,
    MAX_REASONS,
    pack_batch,
    printable,
    unpack_batch,
)

KEY = Ed25519PrivateKey.generate()
KEYS = KeyTable()
KEYS.add("RU", KEY.public_key().public_bytes_raw())


def test_reasons_travel_signed_and_bounded() -> None:
    problems = [f"unknown channel {i:02d}\x1b[31m\n" + "x" * 500 for i in range(35)]
    answer = unpack_batch(pack_batch("RU", "US", 1, [], KEY, refused=problems), KEYS, me="US")
    assert answer.refused == 35
    assert len(answer.reasons) == MAX_REASONS
    assert answer.reasons[0].startswith("unknown channel 00?[31m?xxx")
    assert all(len(r) <= MAX_REASON_CHARS and r.isprintable() for r in answer.reasons)


def test_an_answer_without_refusals_has_the_old_header() -> None:
    answer = pack_batch("RU", "US", 1, [b"e"], KEY)
    assert b'"refused"' not in answer
    assert b'"reasons"' not in answer
    assert unpack_batch(answer, KEYS, me="US").reasons == ()


def test_a_peer_sending_more_reasons_than_the_bound_is_refused() -> None:
    header = msgspec.json.encode({"from": "RU", "to": "US", "t": 1, "reasons": ["x"] * 21})
    key_id = hashlib.sha256(KEY.public_key().public_bytes_raw()).digest()
    signed = struct.pack(">I", len(header)) + header
    frame = MAGIC + key_id + KEY.sign(MAGIC + key_id + signed) + signed  # validly signed
    with pytest.raises(RemoteProtocolError, match=r"invalid batch header.*reasons"):
        unpack_batch(frame, KEYS, me="US")


@given(st.text(max_size=1000))
def test_printable_is_one_bounded_line(text: str) -> None:
    out = printable(text)
    assert len(out) <= MAX_REASON_CHARS
    assert out.isprintable()
