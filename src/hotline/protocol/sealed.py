"""Sealed items: envelopes carried by a blind relay, which sees routing and nothing else.

An item is a routing header in clear (channel, from, to, envelope id, size) and the whole
envelope encrypted to the recipient with HPKE (RFC 9180), KEM ML-KEM-768 + X25519 (post-quantum
hybrid), HKDF-SHA256, ChaCha20-Poly1305. The routing header's exact bytes are the HPKE `info`,
so a relay that moves a ciphertext to another header, or alters either, makes decryption fail;
and the decrypted envelope must have the id the routing header names, so the relay can't swap in
another valid envelope either. The envelope inside still carries its own signature.

A relay countersigns what it forwarded (`witness_statement`): a neutral timestamped record that
an item with this routing passed through it, kept by both parties as evidence.

Frame of an item (integers big-endian)::

    magic  4 bytes  b"HLS1"
    rlen   4 bytes  routing header length
    routing         canonical JSON (`Routing`)
    ct              HPKE ciphertext (encapsulated key + AEAD output)
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Annotated

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519

from hotline.errors import KeyMaterialError, RemoteProtocolError
from hotline.protocol.envelope import (
    DECODE_ERRORS,
    MAX_ENVELOPE_BYTES,
    Hex64,
    Party,
    WireStruct,
    canonical_json,
    envelope_id,
    split_frame,
)

MAGIC = b"HLS1"
_HEAD = struct.Struct(">4sI")
MAX_ROUTING_BYTES = 1024
MLKEM768_PUBLIC_LEN = 1184
X25519_LEN = 32
HPKE_PUBLIC_LEN = MLKEM768_PUBLIC_LEN + X25519_LEN
_SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
_OVERHEAD = 1088 + 32 + 16  # ML-KEM-768 ciphertext + X25519 share + Poly1305 tag


class Routing(WireStruct, frozen=True, rename={"sender": "from"}):
    """What the relay may see: who sends what size of which envelope to whom, in which channel."""

    ch: Hex64
    sender: Party
    to: Party
    id: Hex64
    size: Annotated[int, msgspec.Meta(ge=1, le=MAX_ENVELOPE_BYTES)]


_ROUTING = msgspec.json.Decoder(Routing)


@dataclass(frozen=True, slots=True)
class SealedItem:
    routing: Routing
    routing_bytes: bytes
    raw: bytes  # the whole item frame

    @property
    def ciphertext(self) -> bytes:
        return self.raw[_HEAD.size + len(self.routing_bytes) :]


def hpke_public_key(data: bytes) -> hpke.MLKEM768X25519PublicKey:
    """The hybrid key from its wire form: ML-KEM-768 public key || X25519 public key."""
    if len(data) != HPKE_PUBLIC_LEN:
        raise KeyMaterialError(f"HPKE public key must be {HPKE_PUBLIC_LEN} bytes, got {len(data)}")
    try:
        return hpke.MLKEM768X25519PublicKey(
            mlkem.MLKEM768PublicKey.from_public_bytes(data[:MLKEM768_PUBLIC_LEN]),
            x25519.X25519PublicKey.from_public_bytes(data[MLKEM768_PUBLIC_LEN:]),
        )
    except ValueError as exc:
        raise KeyMaterialError(f"invalid HPKE public key: {exc}") from None


def seal_for(
    envelope_raw: bytes,
    envelope_id: bytes,
    channel: str,
    sender: str,
    to: str,
    recipient_key: hpke.MLKEM768X25519PublicKey,
) -> SealedItem:
    """Encrypt a whole envelope to one recipient, for a relay to carry."""
    routing = Routing(
        ch=channel, sender=sender, to=to, id=envelope_id.hex(), size=len(envelope_raw)
    )
    routing_bytes = canonical_json(routing)
    ct = _SUITE.encrypt(envelope_raw, recipient_key, info=_info(routing_bytes))
    return SealedItem(
        routing, routing_bytes, _HEAD.pack(MAGIC, len(routing_bytes)) + routing_bytes + ct
    )


def parse_item(data: bytes) -> SealedItem:
    """Split an item from the network; checks framing and routing, not the ciphertext."""
    if len(data) < _HEAD.size:
        raise RemoteProtocolError(f"sealed item too short: {len(data)} bytes")
    magic, rlen = _HEAD.unpack_from(data)
    if magic != MAGIC:
        raise RemoteProtocolError(f"not a sealed item: magic {magic!r}")
    if rlen > MAX_ROUTING_BYTES or _HEAD.size + rlen > len(data):
        raise RemoteProtocolError(f"bad routing header length {rlen}")
    routing_bytes = data[_HEAD.size : _HEAD.size + rlen]
    routing = parse_routing(routing_bytes)
    ct_len = len(data) - _HEAD.size - rlen
    if ct_len != routing.size + _OVERHEAD:
        raise RemoteProtocolError(
            f"ciphertext is {ct_len} bytes; routing says an envelope of {routing.size}"
        )
    return SealedItem(routing, routing_bytes, data)


def parse_routing(routing_bytes: bytes) -> Routing:
    """A routing header from its exact bytes, which must be its canonical encoding."""
    if len(routing_bytes) > MAX_ROUTING_BYTES:
        raise RemoteProtocolError(f"routing header of {len(routing_bytes)} bytes is too long")
    try:
        routing = _ROUTING.decode(routing_bytes)
    except DECODE_ERRORS as exc:
        raise RemoteProtocolError(f"invalid routing header: {exc}") from None
    if canonical_json(routing) != routing_bytes:
        raise RemoteProtocolError("routing header is not in canonical form")
    return routing


def open_item(item: SealedItem, key: hpke.MLKEM768X25519PrivateKey, me: str) -> bytes:
    """Decrypt an item addressed to us; returns the envelope bytes (still to be verified)."""
    if item.routing.to != me:
        raise RemoteProtocolError(f"sealed item is for {item.routing.to}, not {me}")
    try:
        raw = _SUITE.decrypt(item.ciphertext, key, info=_info(item.routing_bytes))
    except (InvalidTag, ValueError):
        raise RemoteProtocolError(
            f"sealed item {item.routing.id[:12]} from {item.routing.sender} does not decrypt:"
            " altered in transit or not encrypted to this node"
        ) from None
    key_id, _, header_bytes, _ = split_frame(raw)
    if envelope_id(key_id, header_bytes).hex() != item.routing.id:
        raise RemoteProtocolError(
            f"sealed item {item.routing.id[:12]} holds a different envelope than its routing names"
        )
    return raw


def witness_statement(routing_bytes: bytes, deposited_ms: int, forwarded_ms: int) -> bytes:
    """What a relay signs for each item it forwards."""
    return (
        b"hotline-relay-witness-v1\x00"
        + struct.pack(">QQ", deposited_ms, forwarded_ms)
        + routing_bytes
    )


def _info(routing_bytes: bytes) -> bytes:
    return b"hotline-sealed-v1\x00" + routing_bytes
