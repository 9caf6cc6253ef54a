"""Geodesy at the edge: WGS84 (lon, lat) degrees in, Earth-centred Cartesian metres out.

The engine works in ECEF (Earth-centred, Earth-fixed) coordinates: one Cartesian frame for the
whole globe, with no seams at the antimeridian and no singularity at the poles. A track's
horizontal position is its point on the WGS84 ellipsoid surface (altitude is kept apart, as in
BlueSky's state-based model); its ground velocity is a vector in the local tangent plane.

Pairwise geometry then happens in the tangent plane of the pair (see :mod:`.cpa`), and areas in
a local frame per volume (:class:`LocalFrame`): both are accurate to well under 0.1 % at the
separations the engine deals with (tens to a few hundred kilometres).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
from numpy.typing import NDArray
from pyproj import Transformer

FloatArray = NDArray[np.float64]

# WGS84 ellipsoid
SEMI_MAJOR_M: Final = 6_378_137.0
FLATTENING: Final = 1 / 298.257223563
ECC2: Final = FLATTENING * (2 - FLATTENING)
# The smallest radius of curvature anywhere on WGS84 (meridional, at the equator): used to
# bound angles between surface normals from distances, conservatively.
MIN_CURVATURE_RADIUS_M: Final = SEMI_MAJOR_M * (1 - ECC2)


@cache
def _to_ecef() -> Transformer:
    # EPSG:4979 is WGS84 geographic 3-D (lon, lat, ellipsoidal height); EPSG:4978 is WGS84 ECEF.
    return Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)


def surface_ecef(lon_deg: FloatArray, lat_deg: FloatArray) -> FloatArray:
    """ECEF coordinates (N, 3) in metres of the ellipsoid surface points below (lon, lat)."""
    lon = np.asarray(lon_deg, dtype=np.float64)
    lat = np.asarray(lat_deg, dtype=np.float64)
    x, y, z = _to_ecef().transform(lon, lat, np.zeros_like(lon))
    return np.stack([np.asarray(x), np.asarray(y), np.asarray(z)], axis=-1)


def lonlat_from_ecef(xyz: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(lon, lat) in degrees of ECEF points (N, 3); the height above the ellipsoid is dropped."""
    pts = np.asarray(xyz, dtype=np.float64).reshape(-1, 3)
    lon, lat, _ = _to_ecef().transform(pts[:, 0], pts[:, 1], pts[:, 2], direction="INVERSE")
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def enu_basis(
    lon_deg: FloatArray, lat_deg: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Unit vectors east, north and up (each (N, 3)) of the local tangent plane at (lon, lat).

    "Up" is the ellipsoid normal (geodetic vertical). At a pole, east and north follow the
    longitude given, so a course is measured against that meridian, consistently.
    """
    lon = np.radians(np.asarray(lon_deg, dtype=np.float64))
    lat = np.radians(np.asarray(lat_deg, dtype=np.float64))
    sin_lon, cos_lon = np.sin(lon), np.cos(lon)
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    east = np.stack([-sin_lon, cos_lon, np.zeros_like(lon)], axis=-1)
    north = np.stack([-sin_lat * cos_lon, -sin_lat * sin_lon, cos_lat], axis=-1)
    up = np.stack([cos_lat * cos_lon, cos_lat * sin_lon, sin_lat], axis=-1)
    return east, north, up


def ground_velocity(
    east: FloatArray, north: FloatArray, speed_ms: FloatArray, course_deg: FloatArray
) -> FloatArray:
    """ECEF velocity vectors (N, 3) from ground speed and course (degrees from true north)."""
    course = np.radians(np.asarray(course_deg, dtype=np.float64))
    speed = np.asarray(speed_ms, dtype=np.float64)
    v_east = (speed * np.sin(course))[:, None]
    v_north = (speed * np.cos(course))[:, None]
    result: FloatArray = v_east * east + v_north * north
    return result


def gaussian_radius_m(lat_deg: float) -> float:
    """Gaussian mean radius of curvature sqrt(M N) of WGS84 at a latitude, in metres."""
    s2 = math.sin(math.radians(lat_deg)) ** 2
    w = math.sqrt(1 - ECC2 * s2)
    prime_vertical = SEMI_MAJOR_M / w
    meridional = SEMI_MAJOR_M * (1 - ECC2) / w**3
    return math.sqrt(prime_vertical * meridional)


@dataclass(frozen=True, slots=True)
class LocalFrame:
    """A local metric plane around an origin: azimuthal equidistant, built from ECEF.

    Points are projected onto the tangent plane at the origin (exact east/north directions on
    the ellipsoid) and then stretched radially so that their distance from the origin is the
    distance along the Earth's surface (the azimuthal equidistant property, on the osculating
    sphere). Distances from the origin are then exact to about 2e-4 at 1,000 km; distances
    between two points far from the origin are stretched across by at most (rho / sin rho) - 1,
    0.4 % at 1,000 km and 0.04 % at 300 km.
    """

    origin_lon: float
    origin_lat: float
    origin_ecef: FloatArray  # (3,)
    east: FloatArray  # (3,)
    north: FloatArray  # (3,)
    up: FloatArray  # (3,)
    radius_m: float

    @classmethod
    def at(cls, lon_deg: float, lat_deg: float) -> LocalFrame:
        lon = np.array([lon_deg])
        lat = np.array([lat_deg])
        e, n, u = enu_basis(lon, lat)
        return cls(
            origin_lon=float(lon_deg),
            origin_lat=float(lat_deg),
            origin_ecef=surface_ecef(lon, lat)[0],
            east=e[0],
            north=n[0],
            up=u[0],
            radius_m=gaussian_radius_m(lat_deg),
        )

    def project_ecef(self, xyz: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Plane coordinates (x east, y north) in metres of ECEF surface points (N, 3)."""
        d = np.asarray(xyz, dtype=np.float64).reshape(-1, 3) - self.origin_ecef
        x = d @ self.east
        y = d @ self.north
        h = d @ self.up
        chord_h = np.hypot(x, y)
        # Angle at the Earth's centre between origin and point, on the osculating sphere.
        angle = np.arctan2(chord_h, self.radius_m + h)
        with np.errstate(invalid="ignore", divide="ignore"):
            stretch = np.where(chord_h > 0, self.radius_m * angle / chord_h, 1.0)
        return x * stretch, y * stretch

    def project(self, lon_deg: FloatArray, lat_deg: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Plane coordinates (x east, y north) in metres of (lon, lat) points."""
        return self.project_ecef(surface_ecef(np.asarray(lon_deg), np.asarray(lat_deg)))

    def velocity(self, vel_ecef: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Plane components (east, north) of ECEF ground velocities (N, 3)."""
        v = np.asarray(vel_ecef, dtype=np.float64).reshape(-1, 3)
        return v @ self.east, v @ self.north

    def unproject(self, x_m: FloatArray, y_m: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(lon, lat) in degrees of plane points: the inverse of :meth:`project`."""
        x = np.asarray(x_m, dtype=np.float64)
        y = np.asarray(y_m, dtype=np.float64)
        dist = np.hypot(x, y)
        angle = dist / self.radius_m
        with np.errstate(invalid="ignore", divide="ignore"):
            ux = np.where(dist > 0, x / dist, 0.0)
            uy = np.where(dist > 0, y / dist, 0.0)
        # Point on the osculating sphere, expressed around the origin's normal.
        centre = self.origin_ecef - self.radius_m * self.up
        direction = (
            np.cos(angle)[:, None] * self.up
            + (np.sin(angle) * ux)[:, None] * self.east
            + (np.sin(angle) * uy)[:, None] * self.north
        )
        pts = centre + self.radius_m * direction
        return lonlat_from_ecef(pts)


def project_into_frames(
    origin: FloatArray,
    east: FloatArray,
    north: FloatArray,
    up: FloatArray,
    radius_m: FloatArray,
    xyz: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Like :meth:`LocalFrame.project_ecef`, with one frame per point (all arrays row-aligned):
    the k-th point is projected into the frame given by the k-th origin, axes and radius."""
    d = xyz - origin
    x = np.einsum("ij,ij->i", d, east)
    y = np.einsum("ij,ij->i", d, north)
    h = np.einsum("ij,ij->i", d, up)
    chord_h = np.hypot(x, y)
    angle = np.arctan2(chord_h, radius_m + h)
    with np.errstate(invalid="ignore", divide="ignore"):
        stretch = np.where(chord_h > 0, radius_m * angle / chord_h, 1.0)
    return x * stretch, y * stretch
