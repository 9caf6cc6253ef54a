"""Key material: loading public keys safely, key ids, party and node secret keys.

Every public key hotline trusts is loaded through one of the ``load_*`` functions here, which
check sizes and refuse weak keys (see ``hotline.protocol.edwards`` for Ed25519). Every envelope
frame names its signer by ``key_id(public_key)``: SHA-256 of the raw 32-byte Ed25519 key.

A party holds three keys: Ed25519 and ML-DSA-65 for signing (every long-term statement carries
both signatures, a ``HybridSignature``), and a hybrid ML-KEM-768 + X25519 key to receive HPKE
encryption. A node holds one Ed25519 key, certified by its party, for signing envelopes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey, MLDSA65PublicKey
from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey, MLKEM768PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from hotline.protocol.edwards import point_problem
from hotline.protocol.identity_errors import (
    BadSignatureError,
    InvalidPublicKeyError,
    MalformedStatementError,
    WeakPublicKeyError,
)
from hotline.protocol.statement import (
    Fields,
    b64decode,
    b64encode,
    canonical_json,
    signing_input,
)

ED25519_PUBLIC_BYTES = 32
ED25519_SIGNATURE_BYTES = 64
MLDSA65_PUBLIC_BYTES = 1952
MLDSA65_SIGNATURE_BYTES = 3309
MLKEM768_PUBLIC_BYTES = 1184
X25519_PUBLIC_BYTES = 32
KEY_ID_BYTES = 32

# Party ids are short upper-case ASCII ("US", "UN-OCHA") and node names short ASCII: no
# look-alike letters from other scripts can ever impersonate a party in a list of names.
PARTY_PATTERN = r"[A-Z0-9](?:[A-Z0-9_-]{0,30}[A-Z0-9])?"
NODE_PATTERN = r"[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?"
PARTY_RE = re.compile(PARTY_PATTERN)
NODE_RE = re.compile(NODE_PATTERN)

# A fixed clamped X25519 scalar: its shared secret with a low-order point is all zeros, which
# cryptography refuses, so one exchange detects every low-order X25519 public key.
_X25519_PROBE = X25519PrivateKey.from_private_bytes(bytes([0x40] + [0x11] * 30 + [0x48]))


def check_party_id(party: str) -> str:
    """Return ``party`` if it is a valid party id, else raise ValueError."""
    if not PARTY_RE.fullmatch(party):
        raise ValueError(
            f"party id {party!r} must be 1-32 of A-Z 0-9 _ - (upper case, e.g. US, UN-OCHA)"
        )
    return party


def check_node_name(node: str) -> str:
    """Return ``node`` if it is a valid node name, else raise ValueError."""
    if not NODE_RE.fullmatch(node):
        raise ValueError(f"node name {node!r} must be 1-64 of a-z 0-9 . _ - (lower case)")
    return node


def key_id(public_key: Ed25519PublicKey) -> bytes:
    """The 32-byte id of an Ed25519 key: SHA-256 of its raw public bytes."""
    return hashlib.sha256(public_key.public_bytes_raw()).digest()


def load_ed25519_public_key(raw: bytes) -> Ed25519PublicKey:
    """Load a raw Ed25519 public key, refusing small-order, mixed-order and malformed keys."""
    if len(raw) != ED25519_PUBLIC_BYTES:
        raise InvalidPublicKeyError("Ed25519", f"expected 32 bytes, got {len(raw)}")
    problem = point_problem(bytes(raw))
    if problem is not None:
        raise WeakPublicKeyError("Ed25519", problem)
    return Ed25519PublicKey.from_public_bytes(raw)


def load_mldsa65_public_key(raw: bytes) -> MLDSA65PublicKey:
    """Load a raw ML-DSA-65 public key (1,952 bytes)."""
    if len(raw) != MLDSA65_PUBLIC_BYTES:
        raise InvalidPublicKeyError(
            "ML-DSA-65", f"expected {MLDSA65_PUBLIC_BYTES} bytes, got {len(raw)}"
        )
    try:
        return MLDSA65PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise InvalidPublicKeyError("ML-DSA-65", str(exc)) from None


def load_mlkem768_public_key(raw: bytes) -> MLKEM768PublicKey:
    """Load a raw ML-KEM-768 encapsulation key (1,184 bytes, FIPS 203 checks by OpenSSL)."""
    if len(raw) != MLKEM768_PUBLIC_BYTES:
        raise InvalidPublicKeyError(
            "ML-KEM-768", f"expected {MLKEM768_PUBLIC_BYTES} bytes, got {len(raw)}"
        )
    try:
        return MLKEM768PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise InvalidPublicKeyError("ML-KEM-768", str(exc)) from None


def load_x25519_public_key(raw: bytes) -> X25519PublicKey:
    """Load a raw X25519 public key, refusing low-order points (they give an all-zero secret)."""
    if len(raw) != X25519_PUBLIC_BYTES:
        raise InvalidPublicKeyError("X25519", f"expected 32 bytes, got {len(raw)}")
    public_key = X25519PublicKey.from_public_bytes(raw)
    try:
        _X25519_PROBE.exchange(public_key)
    except ValueError:
        raise WeakPublicKeyError(
            "X25519", "a point of low order (the shared secret would be zero)"
        ) from None
    return public_key


@dataclass(frozen=True)
class HybridSignature:
    """Both signatures a party makes over one long-term statement."""

    ed25519: bytes
    mldsa65: bytes


@dataclass(frozen=True)
class HpkePublicKey:
    """A party's HPKE receive key: ML-KEM-768 + X25519 (KEM ``MLKEM768_X25519``)."""

    mlkem768: MLKEM768PublicKey
    x25519: X25519PublicKey

    def to_hpke(self) -> hpke.MLKEM768X25519PublicKey:
        """The key as ``cryptography``'s HPKE suite takes it."""
        return hpke.MLKEM768X25519PublicKey(self.mlkem768, self.x25519)


@dataclass(frozen=True)
class PartyPublicKeys:
    """The three public keys of a party, as its identity card carries them."""

    ed25519: Ed25519PublicKey
    mldsa65: MLDSA65PublicKey
    hpke: HpkePublicKey

    @property
    def key_id(self) -> bytes:
        """The party's key id: ``key_id`` of its Ed25519 key."""
        return key_id(self.ed25519)

    def verify(self, message: bytes, signature: HybridSignature, *, domain: str, what: str) -> None:
        """Check both signatures over ``message`` in ``domain``; raise BadSignatureError if not."""
        signed = signing_input(domain, message)
        signer = f"party key {self.key_id.hex()[:16]}"
        try:
            self.ed25519.verify(signature.ed25519, signed)
        except InvalidSignature:
            raise BadSignatureError(what, "Ed25519", signer) from None
        try:
            self.mldsa65.verify(signature.mldsa65, signed)
        except InvalidSignature:
            raise BadSignatureError(what, "ML-DSA-65", signer) from None

    def same_keys(self, other: PartyPublicKeys) -> bool:
        return (
            self.ed25519 == other.ed25519
            and self.mldsa65 == other.mldsa65
            and self.hpke.mlkem768 == other.hpke.mlkem768
            and self.hpke.x25519 == other.hpke.x25519
        )


def _secret_fields(data: bytes, type_: str, names: tuple[str, ...], what: str) -> Fields:
    """The fields of a secret-key document (our own file, but still checked strictly)."""
    try:
        value = json.loads(data.decode("ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedStatementError(what, "not ASCII JSON") from None
    f = Fields(value, ("type", *names), what=what, path="$")
    f.choice("type", (type_,))
    return f


@dataclass(frozen=True)
class PartySecretKeys:
    """A party's private keys; ``to_bytes`` for ``hotline.storage.keyfiles`` to store."""

    party: str
    ed25519: Ed25519PrivateKey = field(repr=False)
    mldsa65: MLDSA65PrivateKey = field(repr=False)
    mlkem768: MLKEM768PrivateKey = field(repr=False)
    x25519: X25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls, party: str) -> PartySecretKeys:
        """Fresh keys for ``party`` from the operating system's random source."""
        return cls(
            party=check_party_id(party),
            ed25519=Ed25519PrivateKey.generate(),
            mldsa65=MLDSA65PrivateKey.generate(),
            mlkem768=MLKEM768PrivateKey.generate(),
            x25519=X25519PrivateKey.generate(),
        )

    def public_keys(self) -> PartyPublicKeys:
        return PartyPublicKeys(
            ed25519=self.ed25519.public_key(),
            mldsa65=self.mldsa65.public_key(),
            hpke=HpkePublicKey(self.mlkem768.public_key(), self.x25519.public_key()),
        )

    def sign(self, message: bytes, *, domain: str) -> HybridSignature:
        """Sign ``message`` with both signing keys, in ``domain`` (e.g. ``checkpoint/1``)."""
        signed = signing_input(domain, message)
        return HybridSignature(self.ed25519.sign(signed), self.mldsa65.sign(signed))

    def hpke_private_key(self) -> hpke.MLKEM768X25519PrivateKey:
        """The receive key as ``cryptography``'s HPKE suite takes it."""
        return hpke.MLKEM768X25519PrivateKey(self.mlkem768, self.x25519)

    def to_bytes(self) -> bytes:
        """Compact JSON of the seeds: Ed25519 32 B, ML-DSA-65 32 B, ML-KEM-768 64 B, X25519 32 B."""
        return canonical_json(
            {
                "type": "hotline.party-secret/1",
                "party": self.party,
                "ed25519": b64encode(self.ed25519.private_bytes_raw()),
                "mldsa65": b64encode(self.mldsa65.private_bytes_raw()),
                "mlkem768": b64encode(self.mlkem768.private_bytes_raw()),
                "x25519": b64encode(self.x25519.private_bytes_raw()),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> PartySecretKeys:
        what = "party secret key"
        f = _secret_fields(
            data,
            "hotline.party-secret/1",
            ("party", "ed25519", "mldsa65", "mlkem768", "x25519"),
            what,
        )

        def seed(name: str, size: int) -> bytes:
            return b64decode(f.text(name), what=what, path=f"$.{name}", size=size)

        return cls(
            party=f.text("party", PARTY_RE, "a party id"),
            ed25519=Ed25519PrivateKey.from_private_bytes(seed("ed25519", 32)),
            mldsa65=MLDSA65PrivateKey.from_seed_bytes(seed("mldsa65", 32)),
            mlkem768=MLKEM768PrivateKey.from_seed_bytes(seed("mlkem768", 64)),
            x25519=X25519PrivateKey.from_private_bytes(seed("x25519", 32)),
        )


@dataclass(frozen=True)
class NodeSecretKey:
    """A node's private Ed25519 key, with the party and node name it was made for."""

    party: str
    node: str
    ed25519: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls, party: str, node: str) -> NodeSecretKey:
        return cls(check_party_id(party), check_node_name(node), Ed25519PrivateKey.generate())

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.ed25519.public_key()

    @property
    def key_id(self) -> bytes:
        return key_id(self.public_key)

    def sign(self, message: bytes) -> bytes:
        """A plain Ed25519 signature; the envelope format adds its own domain separation."""
        return self.ed25519.sign(message)

    def to_bytes(self) -> bytes:
        return canonical_json(
            {
                "type": "hotline.node-secret/1",
                "party": self.party,
                "node": self.node,
                "ed25519": b64encode(self.ed25519.private_bytes_raw()),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> NodeSecretKey:
        what = "node secret key"
        f = _secret_fields(data, "hotline.node-secret/1", ("party", "node", "ed25519"), what)
        seed = b64decode(f.text("ed25519"), what=what, path="$.ed25519", size=32)
        return cls(
            f.text("party", PARTY_RE, "a party id"),
            f.text("node", NODE_RE, "a node name"),
            Ed25519PrivateKey.from_private_bytes(seed),
        )
