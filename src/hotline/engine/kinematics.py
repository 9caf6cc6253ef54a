"""Track states as the engine's numbers: ECEF position, velocity and altitude at one instant.

:class:`Kinematics` is what every screening function takes. It is built once per screening
pass from plain columns (lon, lat, altitude, ground speed, course, vertical rate, and how old
each state is), with the states dead-reckoned to the screening time. Rows that cannot be
screened (any NaN or infinity, latitude outside -90..90, negative speed) are left out and
listed in ``invalid``: NaN in, nothing out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from hotline.engine.geodesy import FloatArray, enu_basis, ground_velocity, surface_ecef

IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Kinematics:
    """Straight-line motion of n tracks from the screening time on, in SI units.

    Horizontal motion: ``pos + vel * t`` (ECEF metres, ``pos`` on the ellipsoid surface, ``vel``
    in its tangent plane). Vertical motion: ``alt_m + vrate_ms * t``. ``rows`` maps each
    kinematic row back to the row of the input columns it came from.
    """

    pos: FloatArray  # (n, 3) ECEF metres
    up: FloatArray  # (n, 3) unit ellipsoid normals
    vel: FloatArray  # (n, 3) ECEF m/s, horizontal
    alt_m: FloatArray  # (n,)
    vrate_ms: FloatArray  # (n,)
    speed_ms: FloatArray  # (n,) ground speed (|vel|)
    rows: IntArray  # (n,) index into the columns this was built from
    invalid: IntArray  # rows of the columns that were left out
    max_age_s: float  # the largest dead-reckoning step taken (bounds the prefilter's margin)

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    @classmethod
    def from_columns(
        cls,
        lon_deg: FloatArray,
        lat_deg: FloatArray,
        alt_m: FloatArray,
        speed_ms: FloatArray,
        course_deg: FloatArray,
        vrate_ms: FloatArray,
        age_s: FloatArray | None = None,
    ) -> Kinematics:
        """Build from columns of equal length; ``age_s`` (screening time minus state time) moves
        each state forward along its straight line to the screening time."""
        cols = [np.asarray(c, dtype=np.float64) for c in (lon_deg, lat_deg, alt_m, speed_ms)]
        cols += [np.asarray(course_deg, dtype=np.float64), np.asarray(vrate_ms, dtype=np.float64)]
        n = cols[0].shape[0]
        if any(c.shape != (n,) for c in cols):
            raise ValueError("all columns must be one-dimensional and of equal length")
        age = np.zeros(n) if age_s is None else np.asarray(age_s, dtype=np.float64)
        lon, lat, alt, speed, course, vrate = cols
        ok = np.isfinite(age)
        for c in cols:
            ok &= np.isfinite(c)
        with np.errstate(invalid="ignore"):
            ok &= (np.abs(lat) <= 90.0) & (speed >= 0.0)
        rows = np.flatnonzero(ok).astype(np.int64)
        invalid = np.flatnonzero(~ok).astype(np.int64)
        lon, lat, alt, speed, course, vrate, age = (
            c[rows] for c in (lon, lat, alt, speed, course, vrate, age)
        )
        east, north, up = enu_basis(lon, lat)
        vel = ground_velocity(east, north, speed, course)
        pos = surface_ecef(lon, lat) + vel * age[:, None]
        return cls(
            pos=pos,
            up=up,
            vel=vel,
            alt_m=alt + vrate * age,
            vrate_ms=vrate,
            speed_ms=speed,
            rows=rows,
            invalid=invalid,
            max_age_s=float(np.max(np.abs(age), initial=0.0)),
        )

    def subset(self, index: IntArray) -> Kinematics:
        """The rows ``index`` of this (``rows`` still point into the original columns)."""
        return Kinematics(
            pos=self.pos[index],
            up=self.up[index],
            vel=self.vel[index],
            alt_m=self.alt_m[index],
            vrate_ms=self.vrate_ms[index],
            speed_ms=self.speed_ms[index],
            rows=self.rows[index],
            invalid=np.empty(0, dtype=np.int64),
            max_age_s=self.max_age_s,
        )
