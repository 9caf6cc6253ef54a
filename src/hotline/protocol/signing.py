"""One Ed25519 verifier for the whole project: libsodium's, through PyNaCl.

Signing uses `cryptography`. Verification always goes through libsodium, for two reasons: it is
about twice as fast here (bulk transcript checks), and one verifier everywhere means the live
channel and an offline audit can never disagree about an edge-case signature. libsodium also
refuses small-order public keys and non-canonical signatures.
"""

from __future__ import annotations

from nacl.bindings import crypto_sign_open
from nacl.exceptions import BadSignatureError, CryptoError


def ed25519_valid(signature: bytes, message: bytes, public_key: bytes) -> bool:
    """True if `signature` is a valid Ed25519 signature of `message` under raw `public_key`."""
    if len(signature) != 64 or len(public_key) != 32:
        return False
    try:
        crypto_sign_open(signature + message, public_key)
    except (BadSignatureError, CryptoError, ValueError, TypeError):
        return False
    return True
