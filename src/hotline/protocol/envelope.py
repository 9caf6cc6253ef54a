"""Envelopes: the one signed unit on the wire, in the store and in the transcript.

Frame (all integers big-endian)::

    magic    4 bytes   b"HLE1"
    key_id  32 bytes   SHA-256 of the signer's raw Ed25519 node public key
    sig     64 bytes   Ed25519 over  magic || key_id || header
    hlen     4 bytes   length of header
    header  hlen bytes compact UTF-8 JSON (see `Header`)
    body    0 or header.blen bytes; absent = detached (encrypted for a relay, or redacted)

The signature covers the header bytes exactly as they travel; the header binds the body by its
length and SHA-256, so a relay can check who sent an envelope without reading its body, and a
transcript can be shown with some bodies withheld and still verify. Nothing is decoded before the
signature has been checked, and lengths are checked before anything is parsed.

The envelope id (chains, dedupe, Merkle leaves) is SHA-256 over magic || key_id || header: it
names what was signed, independent of the body's transport form.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal, Protocol

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import LocalProtocolError, RemoteProtocolError
from hotline.protocol.signing import ed25519_valid
from hotline.protocol.types import Marking, Precedence

MAGIC = b"HLE1"
KEY_ID_LEN = 32
SIG_LEN = 64
HASH_LEN = 32
_PREFIX = struct.Struct(">4s32s64sI")
PREFIX_LEN = _PREFIX.size  # 104
MAX_HEADER_BYTES = 16 * 1024
MAX_BODY_BYTES = 1024 * 1024
MAX_ENVELOPE_BYTES = PREFIX_LEN + MAX_HEADER_BYTES + MAX_BODY_BYTES
MAX_SEQ = 2**53

PARTY_PATTERN = r"^[A-Z][A-Z0-9-]{0,31}$"
HEX64_PATTERN = r"^[0-9a-f]{64}$"
Party = Annotated[str, msgspec.Meta(pattern=PARTY_PATTERN)]
Hex64 = Annotated[str, msgspec.Meta(pattern=HEX64_PATTERN)]
Seq = Annotated[int, msgspec.Meta(ge=0, le=MAX_SEQ)]
PositiveSeq = Annotated[int, msgspec.Meta(ge=1, le=MAX_SEQ)]
_PARTY_RE = re.compile(PARTY_PATTERN)


class Kind(StrEnum):
    """What an envelope is. Chained kinds take the sender's next sequence number."""

    NOTIFICATION = "notification"  # a catalogue message (opaque body here)
    ACK = "ack"  # an operator read and understood (refs: what)
    REPLY = "reply"  # a substantive answer (refs: what)
    LINK_TEST = "link_test"  # the scheduled test; passes when receipted in time
    CHECKPOINT = "checkpoint"  # signed Merkle tree head over the sender's own log
    COSIGN = "cosign"  # countersignature of a peer's checkpoint
    CHARTER_PROPOSAL = "charter_proposal"  # body: the charter bytes
    CHARTER_ACCEPT = "charter_accept"  # body: a member's signatures over the channel id
    # Link kinds: signed but not chained, never resent; the newest supersedes the older ones.
    RECEIPT = "receipt"  # node: durably stored and verified, cumulative (header.seen)
    HEARTBEAT = "heartbeat"  # liveness, clock skew, tip (so the peer can spot a missing tail)
    RESEND = "resend"  # please resend these ranges of your chain (body: ResendRequest)


LINK_KINDS = frozenset({Kind.RECEIPT, Kind.HEARTBEAT, Kind.RESEND})
OPERATOR_KINDS = frozenset({Kind.NOTIFICATION, Kind.ACK, Kind.REPLY})


class WireStruct(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Base of every protocol wire structure: strict, immutable, canonical when encoded."""


class Mark(WireStruct, frozen=True):
    """A position in one sender's chain: sequence number and envelope id (hex)."""

    seq: Seq
    id: Hex64


class Ref(WireStruct, frozen=True):
    """A reference to one envelope of a channel (what an ack or reply is about)."""

    party: Party
    seq: PositiveSeq
    id: Hex64


class Header(WireStruct, frozen=True, rename={"sender": "from"}):
    """The signed header. Field names are short because they travel in every envelope.

    - ``v``: format version (1); ``ch``: channel id; ``from``: sending party.
    - ``seq``/``prev``: place in the sender's chain (chained kinds: seq >= 1, prev is the id of
      seq - 1, absent for seq 1; link kinds: seq 0, no prev).
    - ``tip``: link kinds only: the sender's newest chained envelope.
    - ``seen``: per other member, the newest envelope of theirs the sender has durably stored
      with no gap before it. In a receipt this is the receipt.
    - ``t``: the sender's clock, ms since the Unix epoch, UTC.
    - ``prec``/``mark``: required on operator kinds; ``to``: recipients (absent = all members).
    - ``refs``: envelopes this one is about; ``blen``/``bsha``: the body's length and SHA-256.
    """

    v: Literal[1]
    ch: Hex64
    sender: Party
    seq: Seq
    t: Annotated[int, msgspec.Meta(ge=0, le=MAX_SEQ)]
    kind: Kind
    blen: Annotated[int, msgspec.Meta(ge=0, le=MAX_BODY_BYTES)]
    bsha: Hex64
    seen: dict[Party, Mark] = {}
    prev: Hex64 | None = None
    tip: Mark | None = None
    prec: Precedence | None = None
    mark: Marking | None = None
    to: Annotated[list[Party], msgspec.Meta(max_length=64)] | None = None
    refs: Annotated[list[Ref], msgspec.Meta(max_length=64)] = []

    @property
    def chained(self) -> bool:
        return self.kind not in LINK_KINDS

    def to_wire(self) -> bytes:
        """Canonical compact JSON: keys sorted, defaults omitted. Produced once, by the sender."""
        return _ENCODER.encode(self)


# msgspec raises UnicodeDecodeError, not DecodeError, for invalid UTF-8 inside a JSON string
# (msgspec issue #714): every decoder of untrusted bytes catches all three.
DECODE_ERRORS = (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError)

_ENCODER = msgspec.json.Encoder(order="sorted")
_HEADER_DECODER = msgspec.json.Decoder(Header)


def canonical_json(obj: object) -> bytes:
    """The one JSON encoding of the protocol: compact, keys sorted, UTF-8."""
    return _ENCODER.encode(obj)


class SignerLookup(Protocol):
    """Who holds the node key with this id, as far as the channel's trusted cards say."""

    def signer(self, key_id: bytes) -> tuple[str, bytes] | None:
        """Return (party, raw 32-byte Ed25519 public key), or None if the key is unknown."""
        ...


@dataclass(frozen=True, slots=True)
class Envelope:
    """A verified envelope: the exact bytes, the decoded header, the body if present."""

    raw: bytes  # exactly as it travels and is stored (with the body, if present)
    id: bytes  # SHA-256(magic || key_id || header bytes)
    key_id: bytes
    header: Header
    body: bytes | None  # None: detached (encrypted elsewhere, or redacted)

    @property
    def id_hex(self) -> str:
        return self.id.hex()

    @property
    def sender(self) -> str:
        return self.header.sender

    @property
    def seq(self) -> int:
        return self.header.seq

    def detached(self) -> bytes:
        """The frame without its body (what a relay stores, what a redacted transcript shows)."""
        hlen = struct.unpack_from(">I", self.raw, PREFIX_LEN - 4)[0]
        return self.raw[: PREFIX_LEN + hlen]

    def with_body(self, body: bytes) -> Envelope:
        """Reattach a body (after decryption), checking it is the one the header signed."""
        check_body(self.header, body)
        return Envelope(self.detached() + body, self.id, self.key_id, self.header, body)

    def mark(self) -> Mark:
        return Mark(seq=self.header.seq, id=self.id_hex)

    def ref(self) -> Ref:
        return Ref(party=self.header.sender, seq=self.header.seq, id=self.id_hex)


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def envelope_id(key_id: bytes, header_bytes: bytes) -> bytes:
    return hashlib.sha256(MAGIC + key_id + header_bytes).digest()


def seal(header: Header, body: bytes, key: Ed25519PrivateKey, key_id: bytes) -> Envelope:
    """Sign a header we built (our own envelope). Raises LocalProtocolError if inconsistent."""
    if len(key_id) != KEY_ID_LEN:
        raise LocalProtocolError(f"key id must be {KEY_ID_LEN} bytes, got {len(key_id)}")
    if header.blen != len(body) or header.bsha != body_digest(body):
        raise LocalProtocolError("header.blen/bsha do not describe the body being sealed")
    check_header_rules(header, LocalProtocolError)
    header_bytes = header.to_wire()
    if len(header_bytes) > MAX_HEADER_BYTES:
        raise LocalProtocolError(f"header is {len(header_bytes)} bytes, limit {MAX_HEADER_BYTES}")
    signed = MAGIC + key_id + header_bytes
    sig = key.sign(signed)
    raw = _PREFIX.pack(MAGIC, key_id, sig, len(header_bytes)) + header_bytes + body
    return Envelope(raw, hashlib.sha256(signed).digest(), key_id, header, body)


def make_header(
    *,
    channel: str,
    sender: str,
    seq: int,
    prev: str | None,
    seen: dict[str, Mark],
    now_ms: int,
    kind: Kind,
    body: bytes,
    prec: Precedence | None = None,
    mark: Marking | None = None,
    to: list[str] | None = None,
    refs: list[Ref] | None = None,
    tip: Mark | None = None,
) -> Header:
    """Build a header for `body`; validation errors are ours, so they are LocalProtocolError."""
    header = Header(
        v=1,
        ch=channel,
        sender=sender,
        seq=seq,
        prev=prev,
        tip=tip,
        seen=dict(seen),
        t=now_ms,
        kind=kind,
        prec=prec,
        mark=mark,
        to=to,
        refs=list(refs or ()),
        blen=len(body),
        bsha=body_digest(body),
    )
    try:  # constructors don't check constraints; a round trip through the decoder does
        checked = _HEADER_DECODER.decode(header.to_wire())
    except msgspec.ValidationError as exc:
        raise LocalProtocolError(f"invalid header: {exc}") from None
    check_header_rules(checked, LocalProtocolError)
    return checked


def split_frame(
    data: bytes, max_body_bytes: int = MAX_BODY_BYTES
) -> tuple[bytes, bytes, bytes, bytes]:
    """Check lengths and magic only; return (key_id, sig, header_bytes, body). No parsing."""
    if len(data) < PREFIX_LEN:
        raise RemoteProtocolError(f"envelope too short: {len(data)} bytes, minimum {PREFIX_LEN}")
    magic, key_id, sig, hlen = _PREFIX.unpack_from(data)
    if magic != MAGIC:
        raise RemoteProtocolError(f"not a hotline envelope: magic {magic!r}, expected {MAGIC!r}")
    if hlen > MAX_HEADER_BYTES:
        raise RemoteProtocolError(f"header length {hlen} exceeds limit {MAX_HEADER_BYTES}")
    if PREFIX_LEN + hlen > len(data):
        raise RemoteProtocolError(f"truncated envelope: header says {hlen} bytes, frame shorter")
    body = data[PREFIX_LEN + hlen :]
    if len(body) > max_body_bytes:
        raise RemoteProtocolError(f"body of {len(body)} bytes exceeds limit {max_body_bytes}")
    return key_id, sig, data[PREFIX_LEN : PREFIX_LEN + hlen], body


def open_envelope(
    data: bytes, signers: SignerLookup, *, max_body_bytes: int = MAX_BODY_BYTES
) -> Envelope:
    """Verify and decode an envelope from an untrusted source.

    Order: lengths, signer lookup, signature over the exact bytes, then JSON, then header rules,
    then the body against its hash. Every failure is a RemoteProtocolError that says what was
    wrong; nothing else escapes.
    """
    key_id, sig, header_bytes, body = split_frame(data, max_body_bytes)
    found = signers.signer(key_id)
    if found is None:
        raise RemoteProtocolError(f"unknown signer key {key_id.hex()[:16]}...")
    party, public_key = found
    if not ed25519_valid(sig, MAGIC + key_id + header_bytes, public_key):
        raise RemoteProtocolError(
            f"bad signature on envelope from key {key_id.hex()[:16]}... ({party})"
        )
    header = parse_header(header_bytes)
    if header.sender != party:
        raise RemoteProtocolError(
            f"envelope claims sender {header.sender} but is signed by a key of {party}"
        )
    if body or header.blen == 0:
        check_body(header, body)
        return Envelope(data, envelope_id(key_id, header_bytes), key_id, header, body)
    return Envelope(data, envelope_id(key_id, header_bytes), key_id, header, None)


def parse_header(header_bytes: bytes) -> Header:
    """Strict, canonical JSON only: the bytes must be exactly what `Header.to_wire` produces.

    Canonical form rules out every parser-differential trick (duplicate keys, odd escapes,
    whitespace, defaults spelled out) so any other implementation reads the same fields.
    """
    try:
        header = _HEADER_DECODER.decode(header_bytes)
    except msgspec.ValidationError as exc:
        raise RemoteProtocolError(f"invalid header: {exc}") from None
    except UnicodeDecodeError:
        raise RemoteProtocolError("header is not valid UTF-8") from None
    except msgspec.DecodeError as exc:
        raise RemoteProtocolError(f"header is not valid JSON: {exc}") from None
    if header.to_wire() != header_bytes:
        raise RemoteProtocolError(
            "header is not in canonical form (compact JSON, keys sorted, no duplicates,"
            " defaults omitted)"
        )
    check_header_rules(header, RemoteProtocolError)
    return header


def check_body(header: Header, body: bytes) -> None:
    if len(body) != header.blen:
        raise RemoteProtocolError(f"body is {len(body)} bytes, header says {header.blen}")
    if body_digest(body) != header.bsha:
        raise RemoteProtocolError("body does not match the SHA-256 in its signed header")


def check_header_rules(header: Header, error: Callable[[str], Exception]) -> None:
    """Rules across fields that the schema alone cannot express."""
    if header.chained:
        if header.seq < 1:
            raise error(f"{header.kind} envelope must have seq >= 1, got {header.seq}")
        if (header.seq == 1) != (header.prev is None):
            raise error(f"seq {header.seq}: prev must be null exactly when seq is 1")
        if header.tip is not None:
            raise error(f"{header.kind} envelope must not carry a tip")
    elif header.seq != 0 or header.prev is not None:
        raise error(f"{header.kind} is not chained: seq must be 0 and prev null")
    if header.kind in OPERATOR_KINDS and (header.prec is None or header.mark is None):
        raise error(f"{header.kind} envelope must carry prec and mark")
    if header.kind in (Kind.ACK, Kind.REPLY) and not header.refs:
        raise error(f"{header.kind} envelope must reference what it answers (refs)")
    if header.sender in header.seen:
        raise error(f"seen must not list the sender itself ({header.sender})")
    if header.to is not None and (not header.to or header.sender in header.to):
        raise error("to must list at least one recipient and not the sender")


def is_party(name: str) -> bool:
    return bool(_PARTY_RE.match(name))


class KeyTable:
    """The simplest SignerLookup: a fixed map from key id to (party, raw public key)."""

    def __init__(self, keys: dict[bytes, tuple[str, bytes]] | None = None) -> None:
        self._keys: dict[bytes, tuple[str, bytes]] = dict(keys or {})

    def add(self, party: str, public_key: bytes) -> bytes:
        """Trust `public_key` (raw Ed25519, already checked for weakness) for `party`."""
        kid = hashlib.sha256(public_key).digest()
        self._keys[kid] = (party, public_key)
        return kid

    def signer(self, key_id: bytes) -> tuple[str, bytes] | None:
        return self._keys.get(key_id)
