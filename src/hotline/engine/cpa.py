"""Exact state-based conflict detection for given pairs of tracks (vectorised), and the
brute-force reference that checks every pair.

The definition is BlueSky's state-based detection: both tracks fly straight on from their
current state; a pair is in conflict when, at one and the same moment within the look-ahead,
their horizontal separation is below the horizontal minimum *and* their vertical separation is
below the vertical minimum.

For a pair (a, b) let ``n`` be the bisector of the two surface normals (the pair's own local
vertical). Horizontal geometry happens in the plane perpendicular to ``n``::

    d(t) = |P (pos_b - pos_a) + P (vel_b - vel_a) t|      P = I - n n^T
    z(t) = (alt_b - alt_a) + (vrate_b - vrate_a) t

``d(t) < R`` is a quadratic inequality in t, ``|z(t)| < H`` a linear one; each gives an open
interval of time. The pair is in conflict when the two intervals overlap each other and
``[0, T]``. Everything is symmetric in (a, b) bit for bit, and depends on time only through
the states' ages, so a common shift of all times changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from hotline.engine.geodesy import FloatArray
from hotline.engine.kinematics import IntArray, Kinematics
from hotline.engine.units import METRES_PER_FOOT, METRES_PER_NM

BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Minima:
    """Separation minima and look-ahead for one kind of traffic, in SI units."""

    horizontal_m: float
    vertical_m: float
    lookahead_s: float

    def __post_init__(self) -> None:
        for name in ("horizontal_m", "vertical_m", "lookahead_s"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive finite number, not {value!r}")

    @classmethod
    def from_nm_ft(cls, sep_nm: float, sep_ft: float, lookahead_s: float) -> Minima:
        return cls(sep_nm * METRES_PER_NM, sep_ft * METRES_PER_FOOT, lookahead_s)

    def widened(self, factor: float) -> Minima:
        """Both minima and the look-ahead multiplied by ``factor`` (hysteresis margins)."""
        return Minima(
            self.horizontal_m * factor, self.vertical_m * factor, self.lookahead_s * factor
        )


AIRCRAFT_MINIMA = Minima.from_nm_ft(5.0, 1000.0, 300.0)
"""En-route radar separation: 5 NM and 1,000 ft, with a 5-minute look-ahead (BlueSky's defaults)."""

VESSEL_MINIMA = Minima.from_nm_ft(1.0, 1000.0, 720.0)
"""Ships: a 1 NM closest point of approach within 12 minutes, the usual ARPA/ECDIS alarm
settings (the vertical minimum only matters against low-flying aircraft)."""


@dataclass(frozen=True, slots=True)
class PairConflicts:
    """Conflicting pairs and their geometry, one entry per pair, as parallel arrays.

    ``a`` and ``b`` index the :class:`Kinematics` the pairs were evaluated on, with ``a < b``.
    Times are seconds from the screening time.
    """

    a: IntArray
    b: IntArray
    tcpa_s: FloatArray  # time of the horizontal closest point of approach (>= 0)
    dcpa_m: FloatArray  # horizontal distance then
    dalt_m: FloatArray  # vertical separation then (absolute)
    tlos_s: FloatArray  # when both minima are first infringed (0 if they already are)
    tend_s: FloatArray  # when the loss of separation ends (inf if it never does)

    def __len__(self) -> int:
        return int(self.a.shape[0])

    @classmethod
    def empty(cls) -> PairConflicts:
        i = np.empty(0, dtype=np.int64)
        f = np.empty(0, dtype=np.float64)
        return cls(i, i, f, f, f, f, f)

    @classmethod
    def concatenate(cls, parts: list[PairConflicts]) -> PairConflicts:
        if not parts:
            return cls.empty()
        return cls(
            *(
                np.concatenate([getattr(p, name) for p in parts])
                for name in ("a", "b", "tcpa_s", "dcpa_m", "dalt_m", "tlos_s", "tend_s")
            )
        )

    def take(self, index: IntArray | BoolArray) -> PairConflicts:
        return PairConflicts(
            self.a[index],
            self.b[index],
            self.tcpa_s[index],
            self.dcpa_m[index],
            self.dalt_m[index],
            self.tlos_s[index],
            self.tend_s[index],
        )

    def sorted(self) -> PairConflicts:
        """The same pairs ordered by (a, b): a canonical order for comparisons."""
        return self.take(np.lexsort((self.b, self.a)))


_CHUNK = 1 << 16  # pairs per vectorised step: keeps temporaries in the CPU cache
_STILL_MS = 1e-6
# A vertical separation equal to the minimum, to within a micrometre, is separation: 1,000 ft
# in metres does not round the same way at every flight level, and two aircraft at adjacent
# flight levels must never count as a loss of separation because of it.
EDGE_M = 1e-6


def _vertical(
    kin: Kinematics, a: IntArray, b: IntArray, minima: Minima
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """When |z(t)| < H: (start, end, possible) with ``possible`` false if never in [0, T]."""
    limit = minima.vertical_m - EDGE_M
    dz = kin.alt_m[b] - kin.alt_m[a]
    dw = kin.vrate_ms[b] - kin.vrate_ms[a]
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = (-limit - dz) / dw
        t2 = (limit - dz) / dw
    climbing = dw != 0.0
    start = np.where(climbing, np.minimum(t1, t2), -np.inf)
    end = np.where(climbing, np.maximum(t1, t2), np.inf)
    possible = (climbing | (np.abs(dz) < limit)) & (start < minima.lookahead_s)
    possible &= end > 0.0
    return start, end, possible


def _horizontal(
    kin: Kinematics, a: IntArray, b: IntArray, minima: Minima
) -> tuple[FloatArray, FloatArray, BoolArray, FloatArray, FloatArray]:
    """When d(t) < R: (start, end, possible), and the coefficients qa = |dv|^2, qb = dp.dv.

    Projections onto the pair's plane are done on the dot products (|P x|^2 = |x|^2 -
    (x.m)^2 / |m|^2 with m = up_a + up_b), never on the vectors.
    """
    m = kin.up[a] + kin.up[b]
    dp = kin.pos[b] - kin.pos[a]
    dv = kin.vel[b] - kin.vel[a]
    m2 = np.einsum("ij,ij->i", m, m)
    pm = np.einsum("ij,ij->i", dp, m)
    vm = np.einsum("ij,ij->i", dv, m)
    qa = np.einsum("ij,ij->i", dv, dv) - vm * vm / m2
    qb = np.einsum("ij,ij->i", dp, dv) - pm * vm / m2
    qc = np.einsum("ij,ij->i", dp, dp) - pm * pm / m2 - minima.horizontal_m**2
    # Relative speeds below a micrometre per second are rounding noise: the pair moves together.
    qa = np.where(qa > _STILL_MS**2, qa, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        # qa t^2 + 2 qb t + qc < 0, solved without cancellation.
        disc = qb * qb - qa * qc
        root = np.sqrt(np.maximum(disc, 0.0))
        q = -(qb + np.copysign(root, qb))
        r1 = q / qa
        r2 = qc / q
    moving = qa > 0.0
    start = np.where(moving, np.minimum(r1, r2), -np.inf)
    end = np.where(moving, np.maximum(r1, r2), np.inf)
    possible = np.where(moving, disc > 0.0, qc < 0.0)
    return start, end, possible, qa, qb


def _loss_intervals(
    kin: Kinematics, a: IntArray, b: IntArray, minima: Minima
) -> tuple[BoolArray, FloatArray, FloatArray]:
    """For each pair: in conflict, and the loss of separation's (start, end)."""
    n = a.shape[0]
    hit = np.zeros(n, dtype=np.bool_)
    start = np.full(n, np.inf)
    end = np.full(n, -np.inf)
    for lo in range(0, n, _CHUNK):
        ca, cb = a[lo : lo + _CHUNK], b[lo : lo + _CHUNK]
        v_start, v_end, v_ok = _vertical(kin, ca, cb, minima)
        idx = np.flatnonzero(v_ok)
        if idx.shape[0] == 0:
            continue
        h_start, h_end, h_ok, _, _ = _horizontal(kin, ca[idx], cb[idx], minima)
        s = np.maximum(h_start, v_start[idx])
        e = np.minimum(h_end, v_end[idx])
        ok = h_ok & (s < e) & (e > 0.0) & (s < minima.lookahead_s)
        hit[lo + idx] = ok
        start[lo + idx] = s
        end[lo + idx] = e
    return hit, start, end


def evaluate_pairs(kin: Kinematics, a: IntArray, b: IntArray, minima: Minima) -> PairConflicts:
    """The pairs among (a[k], b[k]) that are in conflict, with their geometry.

    Pairs may come in either order and are reported with ``a < b``; a pair given twice is
    reported twice (callers deduplicate).
    """
    lo = np.minimum(a, b).astype(np.int64)
    hi = np.maximum(a, b).astype(np.int64)
    keep = lo != hi
    lo, hi = lo[keep], hi[keep]
    found, _, _ = _loss_intervals(kin, lo, hi, minima)
    return _report(kin, lo[found], hi[found], minima)


def conflict_mask(
    kin: Kinematics, a: IntArray, b: IntArray, minima: Minima
) -> tuple[BoolArray, FloatArray]:
    """For each pair: in conflict or not, and when the loss of separation starts (may be < 0)."""
    hit, start, _ = _loss_intervals(kin, a, b, minima)
    return hit, start


def _report(kin: Kinematics, a: IntArray, b: IntArray, minima: Minima) -> PairConflicts:
    """Geometry of pairs known to be in conflict."""
    _, start, end = _loss_intervals(kin, a, b, minima)
    _, _, _, qa, qb = _horizontal(kin, a, b, minima)
    with np.errstate(divide="ignore", invalid="ignore"):
        tcpa = np.where(qa > 0.0, np.maximum(-qb / qa, 0.0), 0.0)
    m = kin.up[a] + kin.up[b]
    rel = (kin.pos[b] - kin.pos[a]) + (kin.vel[b] - kin.vel[a]) * tcpa[:, None]
    rel -= (np.einsum("ij,ij->i", rel, m) / np.einsum("ij,ij->i", m, m))[:, None] * m
    dz = kin.alt_m[b] - kin.alt_m[a]
    dw = kin.vrate_ms[b] - kin.vrate_ms[a]
    return PairConflicts(
        a=a,
        b=b,
        tcpa_s=tcpa,
        dcpa_m=np.linalg.norm(rel, axis=1),
        dalt_m=np.abs(dz + dw * tcpa),
        tlos_s=np.maximum(start, 0.0),
        tend_s=end,
    )


def brute_force_conflicts(
    kin: Kinematics, minima: Minima, party: IntArray | None = None
) -> PairConflicts:
    """Every pair checked, O(n^2): the reference the fast screening must agree with.

    With ``party`` given, only pairs of different parties are reported.
    """
    n = len(kin)
    a, b = np.triu_indices(n, k=1)
    a = a.astype(np.int64)
    b = b.astype(np.int64)
    if party is not None:
        differ = party[a] != party[b]
        a, b = a[differ], b[differ]
    return evaluate_pairs(kin, a, b, minima).sorted()
