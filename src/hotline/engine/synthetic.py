"""Random, realistic-looking air traffic for tests, benchmarks and examples.

Cruising aircraft fly level at flight levels (whole thousands of feet, FL200 to FL410) at
airliner speeds; the others climb or descend between 1,000 and 35,000 ft. Positions are uniform
over the area's surface. The same seed gives the same traffic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hotline.engine.tracks import TrackColumns
from hotline.engine.units import METRES_PER_FOOT, MS_PER_FPM, MS_PER_KNOT


@dataclass(frozen=True, slots=True)
class Area:
    """A lon/lat box, in degrees (``west`` may exceed ``east`` across the antimeridian)."""

    west: float
    east: float
    south: float
    north: float


EUROPE = Area(west=-10.0, east=30.0, south=35.0, north=60.0)
"""About 3,000 km by 2,800 km: the airspace of continental Europe."""


def square_around(lon: float, lat: float, side_km: float) -> Area:
    """A box of about ``side_km`` x ``side_km`` centred on (lon, lat)."""
    half_lat = side_km / 2 / 111.2
    half_lon = half_lat / max(math.cos(math.radians(lat)), 1e-6)
    return Area(lon - half_lon, lon + half_lon, lat - half_lat, lat + half_lat)


def random_traffic(
    n: int,
    area: Area = EUROPE,
    seed: int = 0,
    time_s: float = 0.0,
    parties: Sequence[str] = ("A", "B"),
    level_share: float = 0.6,
) -> TrackColumns:
    """``n`` aircraft states at ``time_s``, in random positions over ``area``."""
    rng = np.random.default_rng(seed)
    width = (area.east - area.west) % 360.0 or 360.0
    lon = (area.west + rng.uniform(0.0, width, n) + 180.0) % 360.0 - 180.0
    sin_south, sin_north = (math.sin(math.radians(v)) for v in (area.south, area.north))
    lat = np.degrees(np.arcsin(rng.uniform(sin_south, sin_north, n)))
    level = rng.random(n) < level_share
    alt_ft = np.where(level, 1000.0 * rng.integers(20, 42, n), rng.uniform(1_000.0, 35_000.0, n))
    speed_kt = np.where(level, rng.uniform(380.0, 500.0, n), rng.uniform(250.0, 400.0, n))
    climb_fpm = rng.uniform(500.0, 3_000.0, n) * rng.choice([-1.0, 1.0], n)
    vrate_fpm = np.where(level, 0.0, climb_fpm)
    return TrackColumns.from_arrays(
        ids=[f"T{i:06d}" for i in range(n)],
        parties=list(rng.choice(list(parties), n)),
        time_s=np.full(n, time_s),
        lon=lon,
        lat=lat,
        alt_m=alt_ft * METRES_PER_FOOT,
        speed_ms=speed_kt * MS_PER_KNOT,
        course_deg=rng.uniform(0.0, 360.0, n),
        vrate_ms=vrate_fpm * MS_PER_FPM,
    )
