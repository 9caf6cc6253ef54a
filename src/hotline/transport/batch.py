"""Batches: what one node sends another in one request, signed by the sending node.

Frame (integers big-endian)::

    magic   4 bytes  b"HLB1"
    key_id 32 bytes  SHA-256 of the sending node's Ed25519 public key
    sig    64 bytes  Ed25519 over everything after it
    hlen    4 bytes  header length
    header          canonical JSON: {"from": party, "to": party, "t": ms}
    items           repeated: 4-byte length, one envelope frame

An answer whose envelopes the receiver refused names why in its signed header: `refused` (how
many) and `reasons` (the first `MAX_REASONS`, each at most `MAX_REASON_CHARS` printable
characters). A peer's reasons are its own words: bounded by the decoder, shown, never trusted.

The batch signature authenticates the sending node independently of TLS (so a proxy or an ASGI
server that hides client certificates changes nothing), and `to` stops a batch meant for one
party from being replayed to another. Each envelope inside is still verified on its own.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import Annotated

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import RemoteProtocolError
from hotline.protocol.envelope import (
    DECODE_ERRORS,
    MAX_ENVELOPE_BYTES,
    Party,
    SignerLookup,
    WireStruct,
    canonical_json,
)
from hotline.protocol.signing import ed25519_valid

MAGIC = b"HLB1"
_PREFIX = struct.Struct(">4s32s64sI")
_LEN = struct.Struct(">I")
_SIGNED_FROM = 4 + 32 + 64  # the signature covers everything after itself
MAX_REASONS = 20
MAX_REASON_CHARS = 200
MAX_BATCH_HEADER = 32 * 1024  # room for the reasons (UTF-8: at most 4 bytes a character)
MAX_BATCH_BYTES = 16 * 1024 * 1024
MAX_BATCH_ITEMS = 10_000


class BatchHeader(WireStruct, frozen=True, rename={"sender": "from"}):
    sender: Party
    to: Party
    t: Annotated[int, msgspec.Meta(ge=0)]
    refused: Annotated[int, msgspec.Meta(ge=0)] = 0
    reasons: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=MAX_REASON_CHARS)]],
        msgspec.Meta(max_length=MAX_REASONS),
    ] = msgspec.field(default_factory=list)


_DECODER = msgspec.json.Decoder(BatchHeader)


@dataclass(frozen=True, slots=True)
class Batch:
    sender: str
    to: str
    t: int
    envelopes: list[bytes]
    refused: int = 0  # envelopes of our batch that the sender of this answer refused
    reasons: tuple[str, ...] = ()  # why (the first few, bounded, printable)


def printable(text: str, limit: int = MAX_REASON_CHARS) -> str:
    """Hostile text made safe to log and show: one line of printable characters, bounded."""
    clean = "".join(c if c.isprintable() else "?" for c in text[: limit * 2])
    return clean if len(clean) <= limit else clean[: limit - 3] + "..."


def pack_batch(
    sender: str,
    to: str,
    now_ms: int,
    envelopes: list[bytes],
    key: Ed25519PrivateKey,
    *,
    refused: list[str] | None = None,
) -> bytes:
    """Sign a batch. `refused`: why envelopes of the batch this answers were refused (all of
    them; the header carries the count and the first `MAX_REASONS`, bounded)."""
    problems = refused or []
    header = canonical_json(
        BatchHeader(
            sender=sender,
            to=to,
            t=now_ms,
            refused=len(problems),
            reasons=[printable(r) for r in problems[:MAX_REASONS]],
        )
    )
    items = b"".join(_LEN.pack(len(e)) + e for e in envelopes)
    key_id = hashlib.sha256(key.public_key().public_bytes_raw()).digest()
    signed = _LEN.pack(len(header)) + header + items
    sig = key.sign(MAGIC + key_id + signed)
    return MAGIC + key_id + sig + signed


def unpack_batch(data: bytes, signers: SignerLookup, me: str) -> Batch:
    """Verify a batch from the network and split it. Envelopes are still unverified bytes."""
    if len(data) > MAX_BATCH_BYTES:
        raise RemoteProtocolError(f"batch of {len(data)} bytes exceeds {MAX_BATCH_BYTES}")
    if len(data) < _PREFIX.size:
        raise RemoteProtocolError(f"batch too short: {len(data)} bytes")
    magic, key_id, sig, hlen = _PREFIX.unpack_from(data)
    if magic != MAGIC:
        raise RemoteProtocolError(f"not a hotline batch: magic {magic!r}")
    if hlen > MAX_BATCH_HEADER or _PREFIX.size + hlen > len(data):
        raise RemoteProtocolError(f"bad batch header length {hlen}")
    found = signers.signer(key_id)
    if found is None:
        raise RemoteProtocolError(f"batch signed by unknown node key {key_id.hex()[:16]}...")
    party, public = found
    if not ed25519_valid(sig, MAGIC + key_id + data[_SIGNED_FROM:], public):
        raise RemoteProtocolError(f"bad batch signature (key of {party})")
    header_bytes = data[_PREFIX.size : _PREFIX.size + hlen]
    try:
        header = _DECODER.decode(header_bytes)
    except DECODE_ERRORS as exc:
        raise RemoteProtocolError(f"invalid batch header: {exc}") from None
    if header.sender != party:
        raise RemoteProtocolError(f"batch claims sender {header.sender}, signed by {party}")
    if header.to != me:
        raise RemoteProtocolError(f"batch is addressed to {header.to}, not to {me}")
    envelopes: list[bytes] = []
    pos = _PREFIX.size + hlen
    while pos < len(data):
        if len(envelopes) >= MAX_BATCH_ITEMS:
            raise RemoteProtocolError(f"batch holds more than {MAX_BATCH_ITEMS} envelopes")
        if pos + 4 > len(data):
            raise RemoteProtocolError("batch ends inside an item length")
        (n,) = _LEN.unpack_from(data, pos)
        if n > MAX_ENVELOPE_BYTES or pos + 4 + n > len(data):
            raise RemoteProtocolError(f"batch item {len(envelopes)} has bad length {n}")
        envelopes.append(data[pos + 4 : pos + 4 + n])
        pos += 4 + n
    reasons = tuple(printable(r) for r in header.reasons)
    return Batch(header.sender, header.to, header.t, envelopes, header.refused, reasons)
