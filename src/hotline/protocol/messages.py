"""Bodies of the protocol's own envelope kinds, and the dual signatures on long-term statements.

Operator kinds (notification, ack, reply) carry catalogue bodies, opaque here. The kinds below
belong to the protocol; their bodies are compact JSON, decoded strictly.

Statements that must stay unforgeable for decades (checkpoints, countersignatures, charter
acceptances) are signed with the party's Ed25519 *and* ML-DSA-65 keys; a statement is valid only
if both signatures are. Every statement starts with its own domain label, so a signature over one
kind can never be replayed as another.
"""

from __future__ import annotations

from typing import Annotated, TypeVar

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey, MLDSA65PublicKey

from hotline.errors import RemoteProtocolError
from hotline.protocol.envelope import Hex64, Party, PositiveSeq, WireStruct, canonical_json
from hotline.protocol.signing import ed25519_valid

MAX_PROTOCOL_BODY_BYTES = 64 * 1024
ED25519_SIG_LEN = 64
MLDSA65_SIG_LEN = 3309
MLDSA65_PUBLIC_LEN = 1952


class DualSignature(WireStruct, frozen=True):
    """Ed25519 and ML-DSA-65 signatures over one statement (base64 in JSON)."""

    ed25519: Annotated[bytes, msgspec.Meta(min_length=64, max_length=64)]
    mldsa65: Annotated[bytes, msgspec.Meta(min_length=MLDSA65_SIG_LEN, max_length=MLDSA65_SIG_LEN)]


def sign_statement(
    statement: bytes, ed25519: Ed25519PrivateKey, mldsa65: MLDSA65PrivateKey
) -> DualSignature:
    return DualSignature(ed25519=ed25519.sign(statement), mldsa65=mldsa65.sign(statement))


def statement_is_signed(
    statement: bytes, sig: DualSignature, ed25519_public: bytes, mldsa65_public: bytes
) -> bool:
    """True only if both signatures verify. Public keys are raw bytes from a verified card."""
    if not ed25519_valid(sig.ed25519, statement, ed25519_public):
        return False
    try:
        MLDSA65PublicKey.from_public_bytes(mldsa65_public).verify(sig.mldsa65, statement)
    except (InvalidSignature, ValueError):
        return False
    return True


def checkpoint_statement(channel: str, party: str, size: int, root: str) -> bytes:
    """What a sender signs about its own log: 'my first `size` envelopes have this root'."""
    return _statement(b"hotline-checkpoint-v1", channel, party, size, root)


def cosign_statement(channel: str, party: str, size: int, root: str) -> bytes:
    """What a peer signs about another member's checkpoint: 'I hold this log with this root'."""
    return _statement(b"hotline-cosign-v1", channel, party, size, root)


def charter_accept_statement(channel: str) -> bytes:
    return b"hotline-charter-accept-v1\x00" + bytes.fromhex(channel)


def _statement(label: bytes, channel: str, party: str, size: int, root: str) -> bytes:
    return b"%s\x00%s%s\x00%s%s" % (
        label,
        bytes.fromhex(channel),
        party.encode(),
        size.to_bytes(8, "big"),
        bytes.fromhex(root),
    )


class CheckpointBody(WireStruct, frozen=True):
    """Tree head over the sender's envelopes 1..size (the checkpoint itself is size + 1)."""

    size: PositiveSeq
    root: Hex64
    sig: DualSignature


class CosignBody(WireStruct, frozen=True):
    """A countersignature of `party`'s checkpoint at `size`, by the envelope's sender."""

    party: Party
    size: PositiveSeq
    root: Hex64
    sig: DualSignature


class CharterAcceptBody(WireStruct, frozen=True):
    """A member's acceptance of the charter whose hash is the channel id."""

    sig: DualSignature


class SeqRange(WireStruct, frozen=True, array_like=True):
    """An inclusive range of sequence numbers, written [first, last]."""

    first: PositiveSeq
    last: PositiveSeq


class ResendRequest(WireStruct, frozen=True):
    """Ask the recipient to resend these ranges of its own chain."""

    ranges: Annotated[list[SeqRange], msgspec.Meta(min_length=1, max_length=64)]


class LinkTestBody(WireStruct, frozen=True):
    """The n-th scheduled link test of this sender in this channel."""

    number: PositiveSeq


class HeartbeatBody(WireStruct, frozen=True):
    """Liveness and clock comparison, NTP style.

    ``echo_t`` is the ``t`` of the newest heartbeat the sender has received from the recipient
    and ``held_ms`` how long the sender held it before sending this one; from the two the
    recipient computes the round trip and the offset between the clocks. Both absent on the
    first heartbeat (nothing to echo yet).
    """

    echo_t: Annotated[int, msgspec.Meta(ge=0, le=2**53)] | None = None
    held_ms: Annotated[int, msgspec.Meta(ge=0, le=2**53)] | None = None


B = TypeVar("B", bound=WireStruct)


def encode_body(body: WireStruct) -> bytes:
    return canonical_json(body)


def decode_body(model: type[B], data: bytes | None, what: str) -> B:
    """Decode a protocol body from a peer; every failure is a RemoteProtocolError."""
    if data is None:
        raise RemoteProtocolError(f"{what}: body is missing (detached)")
    if len(data) > MAX_PROTOCOL_BODY_BYTES:
        raise RemoteProtocolError(f"{what}: body of {len(data)} bytes exceeds limit")
    try:
        return msgspec.json.decode(data, type=model)
    except msgspec.ValidationError as exc:
        raise RemoteProtocolError(f"{what}: invalid body: {exc}") from None
    except UnicodeDecodeError:
        raise RemoteProtocolError(f"{what}: body is not valid UTF-8") from None
    except msgspec.DecodeError as exc:
        raise RemoteProtocolError(f"{what}: body is not valid JSON: {exc}") from None
