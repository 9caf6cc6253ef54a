"""Incursions: entry times, depths and distances to the boundary, checked against exact
geodesic computations; bands, windows, parties, the antimeridian and national-size areas."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pyproj import Geod

from hotline.engine.incursions import Incursions, VolumeIndex, find_incursions
from hotline.engine.tracks import TrackState
from hotline.engine.units import MS_PER_KNOT
from hotline.engine.volumes import Volume, volume_from_json
from hotline.testing.engine_states import NOW, columns, state

GEOD = Geod(ellps="WGS84")
SPEED_KT = 100.0 / MS_PER_KNOT  # 100 m/s


def circle(lon: float, lat: float, radius_m: float, party: str = "US", **props: Any) -> Volume:
    properties = {
        "id": "C",
        "party": party,
        "kind": "notified",
        "name": "circle",
        "radius_m": radius_m,
        "alt_lower_ft": None,
        "alt_upper_ft": None,
        "start": None,
        "end": None,
        **props,
    }
    return volume_from_json(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties,
        }
    )


def area(ring: list[list[float]], party: str = "US", **props: Any) -> Volume:
    properties = {
        "id": "P",
        "party": party,
        "kind": "notified",
        "name": "area",
        "alt_lower_ft": None,
        "alt_upper_ft": None,
        "start": None,
        "end": None,
        **props,
    }
    return volume_from_json(
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": properties,
        }
    )


def corridor(line: list[list[float]], half_width_m: float) -> Volume:
    properties = {
        "id": "L",
        "party": "US",
        "kind": "notified",
        "name": "corridor",
        "half_width_m": half_width_m,
        "alt_lower_ft": None,
        "alt_upper_ft": None,
        "start": None,
        "end": None,
    }
    return volume_from_json(
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": line},
            "properties": properties,
        }
    )


def run(
    volumes: list[Volume], *states: TrackState, all_pairs: bool = False, lookahead_s: float = 300.0
) -> Incursions:
    cols = columns(*states)
    kin = cols.kinematics(NOW)
    return find_incursions(
        kin, cols.parties[kin.rows], VolumeIndex(volumes), NOW, lookahead_s, all_pairs
    )


def test_entering_a_circle_when_and_where_geodesy_says() -> None:
    """A track 20 km west of a 10 km circle's centre, heading for it at 100 m/s: it enters after
    (20 km - 10 km) / 100 m/s, and its distance to the edge now is 10 km."""
    lon = GEOD.fwd(10.0, 50.0, 270.0, 20_000.0)[0]
    azimuth = GEOD.inv(lon, 50.0, 10.0, 50.0)[0]
    found = run(
        [circle(10.0, 50.0, 10_000.0)],
        state("t", lon, 50.0, party="RU", speed_kt=SPEED_KT, course_deg=azimuth),
    )
    assert len(found) == 1
    assert not found.inside[0]
    assert found.entry_s[0] == pytest.approx(100.0, abs=0.05)
    assert found.distance_to_boundary_m[0] == pytest.approx(10_000.0, abs=5.0)
    assert found.depth_m[0] == pytest.approx(10_000.0, abs=5.0)  # it flies over the centre
    _, _, to_centre = GEOD.inv(found.entry_lon[0], found.entry_lat[0], 10.0, 50.0)
    assert to_centre == pytest.approx(10_000.0, abs=5.0)


def test_inside_a_polygon_now() -> None:
    """A stationary track 0.1 degree east of a box's west edge is inside, with the distance to
    that edge measured along the surface."""
    box = [[11.0, 50.0], [11.2, 50.0], [11.2, 50.2], [11.0, 50.2], [11.0, 50.0]]
    found = run([area(box)], state("t", 11.1, 50.1, party="RU"))
    assert found.inside.tolist() == [True]
    assert found.entry_s[0] == 0.0
    assert found.distance_to_boundary_m[0] == pytest.approx(
        GEOD.inv(11.1, 50.1, 11.0, 50.1)[2], rel=1e-3
    )


def test_entering_a_polygon() -> None:
    box = [[11.0, 50.0], [11.2, 50.0], [11.2, 50.2], [11.0, 50.2], [11.0, 50.0]]
    found = run([area(box)], state("t", 10.9, 50.1, party="RU", speed_kt=SPEED_KT, course_deg=90.0))
    expected = GEOD.inv(10.9, 50.1, 11.0, 50.1)[2] / 100.0
    assert found.entry_s[0] == pytest.approx(expected, rel=1e-3)
    assert not found.inside[0]
    assert found.depth_m[0] > 5_000.0


def test_a_track_of_the_owning_party_is_not_an_incursion() -> None:
    volumes = [circle(10.0, 50.0, 10_000.0, party="RU")]
    assert len(run(volumes, state("t", 10.0, 50.0, party="RU"))) == 0
    assert len(run(volumes, state("t", 10.0, 50.0, party="RU"), all_pairs=True)) == 1
    assert len(run(volumes, state("t", 10.0, 50.0, party="unknown"))) == 1


def test_altitude_band_and_time_window_are_part_of_the_volume() -> None:
    band = circle(10.0, 50.0, 10_000.0, alt_lower_ft=0, alt_upper_ft=20_000)
    above = state("t", 10.0, 50.0, party="RU", alt_ft=25_000.0)
    descending = state("t", 10.0, 50.0, party="RU", alt_ft=25_000.0, vrate_fpm=-3_000.0)
    assert len(run([band], above)) == 0
    found = run([band], descending)
    assert found.entry_s[0] == pytest.approx(100.0)  # 5,000 ft at 3,000 ft/min
    later = circle(10.0, 50.0, 10_000.0, start="2027-01-15T08:01:00Z", end="2027-01-15T09:00:00Z")
    assert run([later], state("t", 10.0, 50.0, party="RU")).entry_s.tolist() == [60.0]
    over = circle(10.0, 50.0, 10_000.0, start="2027-01-15T06:00:00Z", end="2027-01-15T07:00:00Z")
    assert len(run([over], state("t", 10.0, 50.0, party="RU"))) == 0


def test_a_track_that_misses_the_volume_is_not_reported() -> None:
    found = run(
        [circle(10.0, 50.0, 10_000.0)],
        state("t", 9.7, 50.3, party="RU", speed_kt=SPEED_KT, course_deg=0.0),
    )
    assert len(found) == 0


def test_corridor_entry() -> None:
    vol = corridor([[10.0, 50.0], [12.0, 50.0]], 5_000.0)
    lat = GEOD.fwd(11.0, 50.0, 0.0, 15_000.0)[1]
    found = run([vol], state("t", 11.0, lat, party="RU", speed_kt=SPEED_KT, course_deg=180.0))
    assert found.entry_s[0] == pytest.approx(100.0, rel=2e-3)
    assert found.distance_to_boundary_m[0] == pytest.approx(10_000.0, rel=2e-3)


def test_across_the_antimeridian() -> None:
    """A circle centred on 180 degrees; a track coming from the west side enters on time."""
    lon = GEOD.fwd(180.0, -20.0, 90.0, 20_000.0)[0]
    azimuth = GEOD.inv(lon, -20.0, 180.0, -20.0)[0]
    found = run(
        [circle(180.0, -20.0, 10_000.0)],
        state("t", lon, -20.0, party="RU", speed_kt=SPEED_KT, course_deg=azimuth),
    )
    assert found.entry_s[0] == pytest.approx(100.0, abs=0.05)


def test_near_the_pole() -> None:
    lat = GEOD.fwd(0.0, 90.0, 180.0, 30_000.0)[1]
    found = run(
        [circle(45.0, 90.0, 10_000.0)],
        state("t", 0.0, lat, party="RU", speed_kt=SPEED_KT, course_deg=0.0),
    )
    assert found.entry_s[0] == pytest.approx(200.0, abs=0.2)


def test_national_size_area_far_inside_and_near_the_border() -> None:
    """An area of about 11,000 x 3,900 km is cut into parts; containment and distances to the
    real border stay right in every part."""
    vol = area([[20, 40], [170, 40], [170, 75], [20, 75], [20, 40]], kind="airspace")
    deep = state("deep", 100.0, 60.0, party="RU")
    near = state("near", 95.0, 40.1, party="RU")
    outside = state("out", 95.0, 39.9, party="RU", speed_kt=SPEED_KT, course_deg=0.0)
    found = run([vol], deep, near, outside)
    by_track = dict(zip(found.track.tolist(), range(len(found)), strict=True))
    assert found.inside[by_track[0]]
    assert found.inside[by_track[1]]
    expected = GEOD.inv(95.0, 40.1, 95.0, 40.0)[2]
    assert found.distance_to_boundary_m[by_track[1]] == pytest.approx(expected, rel=2e-3)
    assert found.entry_s[by_track[2]] == pytest.approx(expected / 100.0, rel=2e-3)
    assert found.distance_to_boundary_m[by_track[0]] > 400_000.0


def test_many_volumes_and_tracks() -> None:
    """10,000 small circles and 2,000 tracks: each track placed at one circle's centre is found
    inside exactly that circle."""
    rng = np.random.default_rng(3)
    lon = rng.uniform(-10.0, 30.0, 10_000)
    lat = rng.uniform(35.0, 60.0, 10_000)
    volumes = [circle(float(x), float(y), 2_000.0) for x, y in zip(lon, lat, strict=True)]
    states = [state(f"t{i}", float(lon[i]), float(lat[i]), party="RU") for i in range(2_000)]
    found = run(volumes, *states)
    pairs = set(zip(found.track.tolist(), found.volume.tolist(), strict=True))
    assert {(i, i) for i in range(2_000)} <= pairs
