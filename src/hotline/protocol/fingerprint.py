"""Fingerprints people read aloud at a key ceremony, and short key ids.

A fingerprint is 60 decimal digits in 12 groups of 5, like Signal's safety numbers. It is
derived from the party id and the party's two long-term signing public keys:

    h = SHA-512(b"hotline-fingerprint\\0" || 0x0001 || len(party) || party || ed25519 || mldsa65)
    repeat 5200 times: h = SHA-512(h || ed25519 || mldsa65)
    group i (0..11) = big-endian integer of h[5i : 5i+5] mod 100000, as 5 digits

``len(party)`` is one byte; ``ed25519`` is the raw 32-byte key and ``mldsa65`` the raw
1,952-byte key. The iterations make a search for a second identity with a similar-looking
fingerprint 5,200 times dearer. 60 digits carry about 199 bits. The HPKE receive key is not in
the fingerprint: it is bound to the signing keys by both self-signatures of the card, so a
matching fingerprint authenticates it too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PublicKey

FINGERPRINT_VERSION = 1
FINGERPRINT_ITERATIONS = 5200
FINGERPRINT_GROUPS = 12


@dataclass(frozen=True)
class Fingerprint:
    """60 digits; ``str()`` gives 12 groups of 5 separated by spaces."""

    digits: str

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(self.digits[i : i + 5] for i in range(0, len(self.digits), 5))

    def lines(self, groups_per_line: int = 4) -> list[str]:
        """The groups in lines of four, the way they are read aloud and compared."""
        g = self.groups
        return [" ".join(g[i : i + groups_per_line]) for i in range(0, len(g), groups_per_line)]

    def __str__(self) -> str:
        return " ".join(self.groups)


def fingerprint(party: str, ed25519: Ed25519PublicKey, mldsa65: MLDSA65PublicKey) -> Fingerprint:
    """The fingerprint of a party's identity (see the module docstring for the algorithm)."""
    party_bytes = party.encode("ascii")
    keys = ed25519.public_bytes_raw() + mldsa65.public_bytes_raw()
    digest = hashlib.sha512(
        b"hotline-fingerprint\x00"
        + FINGERPRINT_VERSION.to_bytes(2, "big")
        + len(party_bytes).to_bytes(1, "big")
        + party_bytes
        + keys
    ).digest()
    for _ in range(FINGERPRINT_ITERATIONS):
        digest = hashlib.sha512(digest + keys).digest()
    groups = (
        int.from_bytes(digest[5 * i : 5 * i + 5], "big") % 100_000
        for i in range(FINGERPRINT_GROUPS)
    )
    return Fingerprint("".join(f"{n:05d}" for n in groups))


def short_key_id(key_id: bytes) -> str:
    """The first 8 bytes of a key id in 4 groups of hex, e.g. ``3FA2-91C0-7B1E-0D44``."""
    text = key_id[:8].hex().upper()
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))
