"""Envelopes: sealed once, verified before decoding, every alteration named."""

import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import LocalProtocolError, RemoteProtocolError
from hotline.protocol.envelope import (
    MAX_HEADER_BYTES,
    PREFIX_LEN,
    KeyTable,
    Kind,
    Mark,
    make_header,
    open_envelope,
    seal,
)
from hotline.protocol.types import Marking, Precedence

CH = "ab" * 32


def make_party(table: KeyTable, party: str) -> tuple[Ed25519PrivateKey, bytes]:
    key = Ed25519PrivateKey.generate()
    return key, table.add(party, key.public_key().public_bytes_raw())


def notification(key: Ed25519PrivateKey, kid: bytes, body: bytes = b'{"type":"free_text"}'):
    header = make_header(
        channel=CH,
        sender="US",
        seq=1,
        prev=None,
        seen={"RU": Mark(seq=3, id="cd" * 32)},
        now_ms=1_790_000_000_000,
        kind=Kind.NOTIFICATION,
        body=body,
        prec=Precedence.FLASH,
        mark=Marking.EXERCISE,
    )
    return seal(header, body, key, kid)


def test_round_trip_keeps_exact_bytes_and_fields() -> None:
    table = KeyTable()
    key, kid = make_party(table, "US")
    env = notification(key, kid)
    opened = open_envelope(env.raw, table)
    assert opened.raw == env.raw
    assert opened.id == env.id
    assert opened.header == env.header
    assert opened.body == b'{"type":"free_text"}'
    assert opened.header.seen["RU"].seq == 3


def test_every_single_byte_change_is_rejected() -> None:
    table = KeyTable()
    key, kid = make_party(table, "US")
    raw = notification(key, kid).raw
    for i in range(len(raw)):
        altered = bytearray(raw)
        altered[i] ^= 0x01
        with pytest.raises(RemoteProtocolError):
            open_envelope(bytes(altered), table)


def test_detached_body_verifies_and_reattaches() -> None:
    table = KeyTable()
    key, kid = make_party(table, "US")
    env = notification(key, kid)
    head_only = open_envelope(env.detached(), table)
    assert head_only.body is None
    assert head_only.id == env.id
    assert head_only.with_body(env.body or b"").raw == env.raw
    with pytest.raises(RemoteProtocolError, match="SHA-256"):
        head_only.with_body(b'{"type":"free_texT"}')


def test_signature_by_another_partys_key_is_refused() -> None:
    table = KeyTable()
    _, _ = make_party(table, "US")
    ru_key, ru_kid = make_party(table, "RU")
    env = notification(ru_key, ru_kid)  # header says from US, key belongs to RU
    with pytest.raises(RemoteProtocolError, match="claims sender US but is signed by a key of RU"):
        open_envelope(env.raw, table)


def test_unknown_signer_is_refused_before_parsing() -> None:
    key = Ed25519PrivateKey.generate()
    env = notification(key, b"\x07" * 32)
    with pytest.raises(RemoteProtocolError, match="unknown signer key"):
        open_envelope(env.raw, KeyTable())


def test_oversized_header_is_refused_from_its_length_alone() -> None:
    frame = b"HLE1" + b"\x00" * 96 + struct.pack(">I", MAX_HEADER_BYTES + 1)
    with pytest.raises(RemoteProtocolError, match="header length"):
        open_envelope(frame, KeyTable())


def test_duplicate_json_keys_are_refused_even_when_signed() -> None:
    table = KeyTable()
    key, kid = make_party(table, "US")
    env = notification(key, kid)
    header = env.raw[PREFIX_LEN:].split(b'{"type"')[0]
    forged_header = header[:-1] + b',"seq":2}'
    signed = b"HLE1" + kid + forged_header
    raw = struct.pack(">4s32s64sI", b"HLE1", kid, key.sign(signed), len(forged_header))
    with pytest.raises(RemoteProtocolError, match="not in canonical form"):
        open_envelope(raw + forged_header, table)


def test_operator_kinds_need_precedence_and_marking() -> None:
    with pytest.raises(LocalProtocolError, match="must carry prec and mark"):
        make_header(
            channel=CH, sender="US", seq=1, prev=None, seen={}, now_ms=0,
            kind=Kind.NOTIFICATION, body=b"",
        )  # fmt: skip


def test_link_kinds_are_not_chained() -> None:
    with pytest.raises(LocalProtocolError, match="not chained"):
        make_header(
            channel=CH, sender="US", seq=4, prev="00" * 32, seen={}, now_ms=0,
            kind=Kind.RECEIPT, body=b"",
        )  # fmt: skip
