"""TLS between nodes: TLS 1.3 only, mutual, each side pinned. No web PKI, no DNS trust.

A node's TLS certificate is self-signed with the node's own Ed25519 key, the key its party
certified in its identity card. Each side trusts exactly the certificates of the peers it knows
(loaded as the only trust anchors), and the handshake proves possession of a certified node key.
TLS 1.3 signs a transcript hash behind a fixed 64-byte prefix and context string; envelopes sign
bytes that start with b"HLE1": the two uses of the key can't be confused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ssl
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.x509.oid import NameOID

from hotline.errors import HotlineError


class TlsError(HotlineError):
    """A TLS certificate or context could not be built or does not match what was pinned."""


def node_tls_certificate(
    key: Ed25519PrivateKey, party: str, node: str, not_before: dt.datetime, days: int = 3650
) -> bytes:
    """A self-signed certificate (PEM) for a node's Ed25519 key."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, party),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{party}/{node}"),
        ]
    )
    public = key.public_key().public_bytes_raw()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(hashlib.sha256(public).digest()[:16], "big") >> 1)
        .not_valid_before(not_before)
        .not_valid_after(not_before + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, None)
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def certificate_key(pem: bytes) -> bytes:
    """The raw Ed25519 public key of a node TLS certificate; refuses any other kind of key."""
    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise TlsError(f"not a PEM certificate: {exc}") from None
    key = cert.public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise TlsError("node TLS certificates must carry an Ed25519 key")
    return key.public_bytes_raw()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _context(
    purpose: int, cert_file: Path, key_file: Path, peers: Iterable[bytes]
) -> ssl.SSLContext:
    protocol = ssl.PROTOCOL_TLS_SERVER if purpose == 0 else ssl.PROTOCOL_TLS_CLIENT
    ctx = ssl.SSLContext(protocol)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.maximum_version = ssl.TLSVersion.TLSv1_3
    ctx.check_hostname = False  # identity is the pinned certificate, not a DNS name
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_cert_chain(cert_file, key_file)
    anchors = "".join(pem.decode() for pem in peers)
    if not anchors:
        raise TlsError("no peer certificates to pin: add a peer first")
    ctx.load_verify_locations(cadata=anchors)
    return ctx


def server_context(cert_file: Path, key_file: Path, peers: Iterable[bytes]) -> ssl.SSLContext:
    """Accept only clients presenting one of the pinned peer certificates."""
    return _context(0, cert_file, key_file, peers)


def client_context(cert_file: Path, key_file: Path, peer: bytes) -> ssl.SSLContext:
    """Connect only to a server presenting exactly the pinned certificate `peer`."""
    return _context(1, cert_file, key_file, [peer])


def peer_key(ssl_object: ssl.SSLObject | ssl.SSLSocket | None) -> bytes | None:
    """The raw Ed25519 key the peer proved in the handshake, or None without TLS."""
    if ssl_object is None:
        return None
    der = ssl_object.getpeercert(binary_form=True)
    if der is None:
        return None
    key = x509.load_der_x509_certificate(der).public_key()
    return key.public_bytes_raw() if isinstance(key, Ed25519PublicKey) else None
