"""MGRS from the mgrs package agrees with an independent UTM projection by pyproj."""

from __future__ import annotations

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from hotline.catalogue.coords import format_mgrs

BANDS = "CDEFGHJKLMNPQRSTUVWX"
_transformers: dict[int, Transformer] = {}


def utm_zone(lon: float, lat: float) -> int:
    """UTM zone with the Norway and Svalbard exceptions."""
    zone = int((lon + 180) // 6) % 60 + 1
    if 56 <= lat < 64 and 3 <= lon < 12:
        return 32
    if 72 <= lat <= 84 and lon >= 0:
        for low, high, z in ((0, 9, 31), (9, 21, 33), (21, 33, 35), (33, 42, 37)):
            if low <= lon < high:
                return z
    return zone


def utm(lon: float, lat: float, zone: int) -> tuple[float, float]:
    epsg = (32600 if lat >= 0 else 32700) + zone
    if epsg not in _transformers:
        _transformers[epsg] = Transformer.from_crs(4326, epsg, always_xy=True)
    easting, northing = _transformers[epsg].transform(lon, lat)
    return easting, northing


@settings(max_examples=400, deadline=None)
@given(
    st.floats(-179.999, 179.999, allow_nan=False),
    st.floats(-79.999, 83.999, allow_nan=False),
)
def test_mgrs_matches_pyproj_utm(lon: float, lat: float) -> None:
    # Within a millimetre of a zone or band edge, either side is right; GeoTrans rounds there.
    assume(min((lon + 180) % 6, -(lon + 180) % 6) > 1e-8)
    assume(min((lat + 80) % 8, -(lat + 80) % 8) > 1e-8)
    assume(abs(lat) > 1e-8)
    assume(all(abs(lon - edge) > 1e-8 for edge in (3, 9, 21, 33, 42)))  # Norway, Svalbard
    grid_zone, square, east, north = format_mgrs(lon, lat).split()
    zone = utm_zone(lon, lat)
    assert int(grid_zone[:-1]) == zone
    band = BANDS[min(int((lat + 80) // 8), 19)]
    assert grid_zone[-1] == band
    easting, northing = utm(lon, lat, zone)
    # MGRS truncates to the metre (it names the square the point is in); allow the float
    # noise of two independent projections at the truncation boundary.
    assert abs(int(east) - math.floor(easting) % 100_000) in (0, 1, 99_999)
    assert abs(int(north) - math.floor(northing) % 100_000) in (0, 1, 99_999)
    assert len(square) == 2
    assert "I" not in square
    assert "O" not in square
