"""Precise errors of identities and keys; all are ``KeyMaterialError`` (see ``hotline.errors``).

KeyMaterialError
 +-- InvalidPublicKeyError        wrong size or not a point
 |    +-- WeakPublicKeyError      small order, mixed order, low-order X25519
 +-- MalformedStatementError      bytes that are not a well-formed signed statement
 |    +-- StatementTooLargeError  refused before parsing
 +-- BadSignatureError            a signature does not verify under the key it names
 +-- IdentityMismatchError        well-signed pieces that do not belong together
 +-- RotationRefusedError         a key rotation that does not follow from the trusted card
 +-- UnknownSignerError           no trusted certificate for a key id
 +-- SignerNotValidError          a certificate outside its validity at the given time
      +-- KeyRevokedError         a revoked node or party key
"""

from __future__ import annotations

from datetime import datetime

from hotline.errors import KeyMaterialError


class InvalidPublicKeyError(KeyMaterialError):
    """A public key that cannot be used: wrong size or not a valid point."""

    def __init__(self, algorithm: str, reason: str) -> None:
        self.algorithm = algorithm
        self.reason = reason
        super().__init__(f"invalid {algorithm} public key: {reason}")


class WeakPublicKeyError(InvalidPublicKeyError):
    """A public key that decodes but must never be trusted (small order, mixed order)."""

    def __init__(self, algorithm: str, reason: str) -> None:
        super().__init__(algorithm, reason)
        self.args = (f"weak {algorithm} public key refused: {reason}",)


class MalformedStatementError(KeyMaterialError):
    """Bytes that are not a well-formed signed statement of the expected kind."""

    def __init__(self, what: str, reason: str, path: str = "$") -> None:
        self.what = what
        self.reason = reason
        self.path = path
        where = "" if path == "$" else f" at {path}"
        super().__init__(f"malformed {what}{where}: {reason}")


class StatementTooLargeError(MalformedStatementError):
    """Refused before parsing: more bytes than a statement of this kind may have."""

    def __init__(self, what: str, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(what, f"{size} bytes, more than the limit of {limit}")


class BadSignatureError(KeyMaterialError):
    """A signature that does not verify under the key that should have made it."""

    def __init__(self, what: str, algorithm: str, signer: str) -> None:
        self.what = what
        self.algorithm = algorithm
        self.signer = signer
        super().__init__(
            f"{what}: the {algorithm} signature of {signer} does not verify "
            "(the bytes were altered or signed by another key)"
        )


class IdentityMismatchError(KeyMaterialError):
    """Pieces that are each well signed but do not belong together."""

    def __init__(self, what: str, reason: str) -> None:
        self.what = what
        self.reason = reason
        super().__init__(f"{what}: {reason}")


class RotationRefusedError(KeyMaterialError):
    """A rotation statement that does not lead from the trusted card to a new one."""

    def __init__(self, party: str, reason: str) -> None:
        self.party = party
        self.reason = reason
        super().__init__(f"key rotation of {party} refused: {reason}")


class UnknownSignerError(KeyMaterialError):
    """No trusted card certifies this key id."""

    def __init__(self, key_id: bytes) -> None:
        self.key_id = key_id
        super().__init__(f"no trusted identity card certifies the key {key_id.hex()}")


class SignerNotValidError(KeyMaterialError):
    """A known key whose certificate does not cover the given time."""

    def __init__(self, key_id: bytes, at: datetime, reason: str) -> None:
        self.key_id = key_id
        self.at = at
        self.reason = reason
        super().__init__(f"key {key_id.hex()} is not valid at {at.isoformat()}: {reason}")


class KeyRevokedError(SignerNotValidError):
    """A node or party key revoked from ``effective`` on."""

    def __init__(self, key_id: bytes, at: datetime, effective: datetime, reason: str) -> None:
        self.effective = effective
        super().__init__(key_id, at, f"revoked from {effective.isoformat()} ({reason})")
