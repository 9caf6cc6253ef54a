"""Public keys are loaded only through hotline's loaders, which refuse weak keys."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import nacl.bindings
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey
from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from hotline.protocol import (
    BadSignatureError,
    HybridSignature,
    InvalidPublicKeyError,
    PartySecretKeys,
    WeakPublicKeyError,
    key_id,
    load_ed25519_public_key,
    load_mldsa65_public_key,
    load_mlkem768_public_key,
    load_x25519_public_key,
)
from hotline.protocol.edwards import IDENTITY, P, decode_point, is_identity, point_mul

IDENTITY_POINT = bytes([1]) + bytes(31)


def _le(n: int) -> bytes:
    return n.to_bytes(32, "little")


# libsodium's blocklist (ed25519_ref10.c, ge25519_has_small_order): the y-coordinates of the
# 8 small-order points, including their non-canonical encodings y + p. libsodium ignores the
# sign bit, so with it there are 14 encodings.
SODIUM_SMALL_ORDER_Y = [
    _le(0),  # order 4
    _le(1),  # order 1 (the identity)
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),  # order 8
    bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),  # order 8
    _le(P - 1),  # order 2
    _le(P),  # non-canonical 0, order 4
    _le(P + 1),  # non-canonical 1, order 1
]
SMALL_ORDER_ENCODINGS = [
    *SODIUM_SMALL_ORDER_Y,
    *(y[:31] + bytes([y[31] | 0x80]) for y in SODIUM_SMALL_ORDER_Y),
]


def _torsion_points() -> list[bytes]:
    """The 8 canonical encodings of the points of order dividing 8."""
    found = []
    for y in SODIUM_SMALL_ORDER_Y[:5]:
        for sign in (0, 0x80):
            raw = y[:31] + bytes([y[31] | sign])
            point = decode_point(raw)
            if point is not None:
                found.append(raw)
    return found


def test_openssl_accepts_a_forged_signature_under_the_identity_point() -> None:
    """The attack: with the identity as public key, (R = identity, S = 0) verifies any message."""
    weak = Ed25519PublicKey.from_public_bytes(IDENTITY_POINT)  # cryptography loads it
    forged = IDENTITY_POINT + bytes(32)
    for message in (b"", b"cancel the launch notice", b"\x00" * 1000, b"any message at all"):
        weak.verify(forged, message)  # no InvalidSignature: the forgery is accepted
    with pytest.raises(WeakPublicKeyError, match="small order"):
        load_ed25519_public_key(IDENTITY_POINT)


def test_there_are_exactly_eight_small_order_points_and_each_has_order_dividing_8() -> None:
    points = _torsion_points()
    assert len(points) == 8
    decoded = [decode_point(raw) for raw in points]
    assert all(p is not None and is_identity(point_mul(8, p)) for p in decoded)


@pytest.mark.parametrize("raw", _torsion_points(), ids=lambda raw: raw.hex()[:8])
def test_every_small_order_point_admits_a_forgery_in_openssl_and_is_refused(raw: bytes) -> None:
    """For each small-order key A some (R small order, S = 0) verifies: R = -[k]A is reachable."""
    weak = Ed25519PublicKey.from_public_bytes(raw)
    message = b"notification 42"
    forged = None
    for attempt in range(64):
        for r in _torsion_points():
            candidate = r + bytes(32)
            try:
                weak.verify(candidate, message + bytes([attempt]))
            except Exception:
                continue
            forged = candidate
            break
        if forged is not None:
            break
    assert forged is not None, "no forgery found: OpenSSL changed its checks"
    with pytest.raises(WeakPublicKeyError):
        load_ed25519_public_key(raw)


@pytest.mark.parametrize(
    "raw", SMALL_ORDER_ENCODINGS, ids=lambda raw: raw.hex()[:8] + raw.hex()[-2:]
)
def test_all_small_order_encodings_are_refused_including_non_canonical(raw: bytes) -> None:
    assert not nacl.bindings.crypto_core_ed25519_is_valid_point(raw)
    with pytest.raises(WeakPublicKeyError):
        load_ed25519_public_key(raw)


def test_mixed_order_key_is_refused() -> None:
    """A real key plus a point of order 8 verifies differently under cofactored checks."""
    real = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    mixed = nacl.bindings.crypto_core_ed25519_add(real, SODIUM_SMALL_ORDER_Y[2])
    with pytest.raises(WeakPublicKeyError, match="prime-order subgroup"):
        load_ed25519_public_key(mixed)


def test_non_canonical_y_of_a_real_point_and_off_curve_bytes_are_refused() -> None:
    # y = 2 + p is the non-canonical twin of y = 2 (whether or not 2 is on the curve).
    with pytest.raises(WeakPublicKeyError, match="canonical"):
        load_ed25519_public_key(_le(P + 2))
    off_curve = next(_le(y) for y in range(2, 100) if decode_point(_le(y)) is None and y != P)
    with pytest.raises(WeakPublicKeyError, match="canonical encoding of a point"):
        load_ed25519_public_key(off_curve)


def test_real_keys_load_and_key_id_is_sha256_of_raw_key() -> None:
    public = Ed25519PrivateKey.generate().public_key()
    raw = public.public_bytes_raw()
    loaded = load_ed25519_public_key(raw)
    assert loaded == public
    assert key_id(loaded) == hashlib.sha256(raw).digest()
    assert len(key_id(loaded)) == 32


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_ed25519_wrong_size_is_an_invalid_key(size: int) -> None:
    with pytest.raises(InvalidPublicKeyError, match=f"expected 32 bytes, got {size}"):
        load_ed25519_public_key(bytes(size))


def test_other_public_keys_are_size_checked_and_load() -> None:
    mldsa = MLDSA65PrivateKey.generate().public_key()
    assert load_mldsa65_public_key(mldsa.public_bytes_raw()) == mldsa
    mlkem = MLKEM768PrivateKey.generate().public_key()
    assert load_mlkem768_public_key(mlkem.public_bytes_raw()) == mlkem
    x = X25519PrivateKey.generate().public_key()
    assert load_x25519_public_key(x.public_bytes_raw()) == x
    for loader, size in (
        (load_mldsa65_public_key, 1951),
        (load_mlkem768_public_key, 1185),
        (load_x25519_public_key, 31),
    ):
        with pytest.raises(InvalidPublicKeyError, match="expected"):
            loader(bytes(size))


def test_mlkem_key_with_coefficients_out_of_range_is_refused() -> None:
    """FIPS 203 modulus check: 12-bit coefficients must be < q = 3329."""
    raw = bytearray(MLKEM768PrivateKey.generate().public_key().public_bytes_raw())
    raw[0:3] = b"\xff\xff\xff"  # two coefficients of 4095
    with pytest.raises(InvalidPublicKeyError, match="ML-KEM-768"):
        load_mlkem768_public_key(bytes(raw))


@pytest.mark.parametrize(
    "raw",
    [
        _le(0),
        _le(1),
        _le(P - 1),
        _le(P),
        _le(P + 1),
        # the two points of order 8 on Curve25519 (libsodium's X25519 blocklist)
        bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        bytes.fromhex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    ],
    ids=lambda raw: raw.hex()[:8],
)
def test_low_order_x25519_keys_are_refused(raw: bytes) -> None:
    with pytest.raises(WeakPublicKeyError, match="low order"):
        load_x25519_public_key(raw)


def test_identity_point_constant_matches_encoding() -> None:
    assert decode_point(IDENTITY_POINT) == IDENTITY


def test_hybrid_signature_needs_both_signatures_and_the_right_domain() -> None:
    """Checkpoints and charters are signed with both party keys; each one is checked."""
    party = PartySecretKeys.generate("US")
    public = party.public_keys()
    signature = party.sign(b"tree head", domain="checkpoint/1")
    public.verify(b"tree head", signature, domain="checkpoint/1", what="checkpoint")
    other = PartySecretKeys.generate("US").sign(b"tree head", domain="checkpoint/1")
    for bad, algorithm in (
        (replace(signature, ed25519=other.ed25519), "Ed25519"),
        (replace(signature, mldsa65=other.mldsa65), "ML-DSA-65"),
    ):
        with pytest.raises(BadSignatureError, match=algorithm):
            public.verify(b"tree head", bad, domain="checkpoint/1", what="checkpoint")
    with pytest.raises(BadSignatureError, match="checkpoint"):
        public.verify(b"tree head", signature, domain="charter/1", what="checkpoint")
    with pytest.raises(BadSignatureError):
        public.verify(b"tree head!", signature, domain="checkpoint/1", what="checkpoint")
    assert isinstance(signature, HybridSignature)
    assert (len(signature.ed25519), len(signature.mldsa65)) == (64, 3309)
