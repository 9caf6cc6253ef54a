"""Whatever bytes a peer sends, opening them succeeds or raises RemoteProtocolError."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.errors import RemoteProtocolError
from hotline.protocol.envelope import KeyTable, Kind, make_header, open_envelope, seal
from hotline.protocol.types import Marking, Precedence

KEY = Ed25519PrivateKey.generate()
TABLE = KeyTable()
KID = TABLE.add("US", KEY.public_key().public_bytes_raw())
BODY = b'{"type":"free_text","text":"hello"}'
VALID = seal(
    make_header(
        channel="ef" * 32,
        sender="US",
        seq=1,
        prev=None,
        seen={},
        now_ms=5,
        kind=Kind.NOTIFICATION,
        body=BODY,
        prec=Precedence.ROUTINE,
        mark=Marking.REAL,
    ),
    BODY,
    KEY,
    KID,
).raw


DETACHED = open_envelope(VALID, TABLE).detached()


def open_or_protocol_error(data: bytes) -> bool:
    try:
        open_envelope(data, TABLE)
    except RemoteProtocolError:
        return False
    return True


@given(st.binary(max_size=2048))
def test_random_bytes(data: bytes) -> None:
    assert open_or_protocol_error(data) is False


@settings(max_examples=300)
@given(st.data())
def test_mutated_valid_envelope(data: st.DataObject) -> None:
    raw = bytearray(VALID)
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        i = data.draw(st.integers(0, max(len(raw) - 1, 0)))
        if op == "flip" and raw:
            raw[i] ^= data.draw(st.integers(1, 255))
        elif op == "cut":
            del raw[i:]
        else:
            raw[i:i] = data.draw(st.binary(min_size=1, max_size=8))
    ok = open_or_protocol_error(bytes(raw))
    assert ok == (bytes(raw) in (VALID, DETACHED))  # the body may be withheld, nothing else


@given(st.binary(max_size=512))
def test_signed_garbage_header_is_a_protocol_error(header: bytes) -> None:
    """Even a correctly signed header must parse strictly: a key holder can't crash us."""
    import struct

    sig = KEY.sign(b"HLE1" + KID + header)
    raw = struct.pack(">4s32s64sI", b"HLE1", KID, sig, len(header)) + header
    assert open_or_protocol_error(raw) is False
