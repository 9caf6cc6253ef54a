"""hotline.protocol: the sans-IO channel core (no sockets, no disk, no clock reads).

Identities and keys (see docs/protocol.md, "Identities and keys"):
``PartySecretKeys``, ``NodeSecretKey``, ``IdentityCard``, ``NodeCertificate``, ``Rotation``,
``Revocation``, ``CardDirectory``; ``load_ed25519_public_key`` and ``key_id`` for every key that
comes from outside.
"""

from hotline.protocol.directory import CardDirectory, PartySigner, Signer, SignerDirectory
from hotline.protocol.fingerprint import Fingerprint, fingerprint, short_key_id
from hotline.protocol.identity import (
    IdentityCard,
    NodeCertificate,
    Revocation,
    RevocationReason,
    RevocationSubject,
    Rotation,
    accept_card_update,
    issue_card,
    issue_node_certificate,
    issue_revocation,
    issue_rotation,
    verify_rotation,
)
from hotline.protocol.identity_errors import (
    BadSignatureError,
    IdentityMismatchError,
    InvalidPublicKeyError,
    KeyRevokedError,
    MalformedStatementError,
    RotationRefusedError,
    SignerNotValidError,
    StatementTooLargeError,
    UnknownSignerError,
    WeakPublicKeyError,
)
from hotline.protocol.keys import (
    HpkePublicKey,
    HybridSignature,
    NodeSecretKey,
    PartyPublicKeys,
    PartySecretKeys,
    key_id,
    load_ed25519_public_key,
    load_mldsa65_public_key,
    load_mlkem768_public_key,
    load_x25519_public_key,
)

__all__ = [
    "BadSignatureError",
    "CardDirectory",
    "Fingerprint",
    "HpkePublicKey",
    "HybridSignature",
    "IdentityCard",
    "IdentityMismatchError",
    "InvalidPublicKeyError",
    "KeyRevokedError",
    "MalformedStatementError",
    "NodeCertificate",
    "NodeSecretKey",
    "PartyPublicKeys",
    "PartySecretKeys",
    "PartySigner",
    "Revocation",
    "RevocationReason",
    "RevocationSubject",
    "Rotation",
    "RotationRefusedError",
    "Signer",
    "SignerDirectory",
    "SignerNotValidError",
    "StatementTooLargeError",
    "UnknownSignerError",
    "WeakPublicKeyError",
    "accept_card_update",
    "fingerprint",
    "issue_card",
    "issue_node_certificate",
    "issue_revocation",
    "issue_rotation",
    "key_id",
    "load_ed25519_public_key",
    "load_mldsa65_public_key",
    "load_mlkem768_public_key",
    "load_x25519_public_key",
    "short_key_id",
    "verify_rotation",
]
