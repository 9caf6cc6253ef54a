"""Ed25519 public-key validation by field arithmetic (RFC 8032 section 5.1.3, reference maths).

OpenSSL (and so ``cryptography``) loads any 32 bytes as an Ed25519 public key and verifies
cofactorless. Under a public key of small order it accepts forged signatures: with the identity
point as the key, ``R = identity, S = 0`` verifies for every message. We therefore accept a
public key only if it is a point an honest key generator can produce:

1. its encoding is canonical: ``y < p``, and the sign bit is clear when ``x = 0``;
2. it lies on the curve;
3. it is not of small order: ``[8]P != identity`` (this refuses all 8 torsion points, whatever
   their encoding);
4. it lies in the prime-order subgroup: ``[L]P == identity`` (this refuses mixed-order points,
   which cofactored and cofactorless verifiers judge differently).

The same rule as libsodium's ``crypto_core_ed25519_is_valid_point``; the tests check the two
agree. Pure Python big integers: about a millisecond a key, cached, and keys are loaded once.
"""

from __future__ import annotations

from functools import lru_cache

P = 2**255 - 19  # the field prime
L = 2**252 + 27742317777372353535851937790883648493  # order of the prime-order subgroup
D = -121665 * pow(121666, -1, P) % P  # curve constant d of -x^2 + y^2 = 1 + d x^2 y^2
SQRT_M1 = pow(2, (P - 1) // 4, P)

# A point in extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, x*y = T/Z.
Point = tuple[int, int, int, int]
IDENTITY: Point = (0, 1, 1, 0)


def point_add(a: Point, b: Point) -> Point:
    """Add two points (complete formula of RFC 8032, valid for doubling too)."""
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % P
    bb = (y1 + x1) * (y2 + x2) % P
    cc = 2 * t1 * t2 * D % P
    dd = 2 * z1 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def point_mul(scalar: int, point: Point) -> Point:
    """Multiply a point by a non-negative scalar (double and add; variable time, public data)."""
    result = IDENTITY
    while scalar > 0:
        if scalar & 1:
            result = point_add(result, point)
        point = point_add(point, point)
        scalar >>= 1
    return result


def is_identity(point: Point) -> bool:
    x, y, z, _ = point
    return x % P == 0 and (y - z) % P == 0


def decode_point(raw: bytes) -> Point | None:
    """Decode a canonical 32-byte encoding, or None if it is not canonical or not on the curve."""
    if len(raw) != 32:
        return None
    y = int.from_bytes(raw, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, -1, P) % P
    if x2 == 0:
        if sign:
            return None  # "negative zero": a second encoding of (0, y)
        return (0, y, 1, 0)
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return (x, y, 1, x * y % P)


@lru_cache(maxsize=4096)
def point_problem(raw: bytes) -> str | None:
    """Why ``raw`` is not an acceptable Ed25519 public key, or None if it is acceptable."""
    point = decode_point(raw)
    if point is None:
        return "not a canonical encoding of a point on the curve"
    if is_identity(point_mul(8, point)):
        return "a point of small order (its order divides 8), under which forged signatures verify"
    if not is_identity(point_mul(L, point)):
        return "not in the prime-order subgroup (it has a small-order component)"
    return None
