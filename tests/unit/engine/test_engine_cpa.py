"""Exact state-based conflict geometry: known answers, edge cases, and accuracy against an
independent geodesic computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod

from hotline.engine.cpa import (
    AIRCRAFT_MINIMA,
    Minima,
    brute_force_conflicts,
    evaluate_pairs,
)
from hotline.engine.kinematics import Kinematics
from hotline.engine.units import METRES_PER_NM, MS_PER_KNOT
from hotline.testing.engine_states import NOW, columns, state

GEOD = Geod(ellps="WGS84")


def pair(a_lon: float, a_lat: float, b_lon: float, b_lat: float, **kw: float) -> Kinematics:
    a_kw = {k[2:]: v for k, v in kw.items() if k.startswith("a_")}
    b_kw = {k[2:]: v for k, v in kw.items() if k.startswith("b_")}
    return columns(state("a", a_lon, a_lat, **a_kw), state("b", b_lon, b_lat, **b_kw)).kinematics(
        NOW
    )


def one(kin: Kinematics, minima: Minima = AIRCRAFT_MINIMA):
    found = evaluate_pairs(kin, np.array([0]), np.array([1]), minima)
    return found


def test_head_on_known_answer() -> None:
    """Two aircraft 100 km apart on the equator closing at 2 x 250 m/s: CPA at 200 s, loss of
    separation when 5 NM apart."""
    speed_kt = 250.0 / MS_PER_KNOT
    lon_b = GEOD.fwd(0.0, 0.0, 90.0, 100_000.0)[0]
    found = one(
        pair(
            0.0,
            0.0,
            lon_b,
            0.0,
            a_speed_kt=speed_kt,
            a_course_deg=90.0,
            b_speed_kt=speed_kt,
            b_course_deg=270.0,
        )
    )
    assert len(found) == 1
    assert found.tcpa_s[0] == pytest.approx(200.0, rel=1e-4)
    assert found.dcpa_m[0] == pytest.approx(0.0, abs=1.0)
    assert found.tlos_s[0] == pytest.approx((100_000.0 - 5 * METRES_PER_NM) / 500.0, rel=1e-4)
    assert found.tend_s[0] == pytest.approx((100_000.0 + 5 * METRES_PER_NM) / 500.0, rel=1e-4)


def test_same_position_and_no_speed_is_a_loss_of_separation_now() -> None:
    found = one(pair(10.0, 50.0, 10.0, 50.0))
    assert len(found) == 1
    assert (found.tcpa_s[0], found.dcpa_m[0], found.tlos_s[0]) == (0.0, 0.0, 0.0)
    assert math.isinf(found.tend_s[0])


def test_parallel_tracks_inside_the_minimum_stay_in_conflict() -> None:
    lat_b = GEOD.fwd(10.0, 50.0, 0.0, 3 * METRES_PER_NM)[1]
    found = one(
        pair(
            10.0,
            50.0,
            10.0,
            lat_b,
            a_speed_kt=450,
            a_course_deg=90,
            b_speed_kt=450,
            b_course_deg=90,
        )
    )
    assert len(found) == 1
    assert found.tlos_s[0] == 0.0
    assert found.dcpa_m[0] == pytest.approx(3 * METRES_PER_NM, rel=1e-3)


def test_parallel_tracks_outside_the_minimum_never_conflict() -> None:
    lat_b = GEOD.fwd(10.0, 50.0, 0.0, 6 * METRES_PER_NM)[1]
    found = one(
        pair(
            10.0,
            50.0,
            10.0,
            lat_b,
            a_speed_kt=450,
            a_course_deg=90,
            b_speed_kt=450,
            b_course_deg=90,
        )
    )
    assert len(found) == 0


@pytest.mark.parametrize(("dalt_ft", "expected"), [(999.0, 1), (1000.0, 0), (1001.0, 0)])
def test_vertical_minimum_is_strict(dalt_ft: float, expected: int) -> None:
    assert len(one(pair(10.0, 50.0, 10.0, 50.0, b_alt_ft=30_000.0 + dalt_ft))) == expected


def test_climb_through_a_level_aircraft() -> None:
    """Same position, 2,000 ft below, climbing at 2,000 ft/min: loss of separation after 30 s
    (1,000 ft to go), until 90 s."""
    found = one(pair(10.0, 50.0, 10.0, 50.0, b_alt_ft=28_000.0, b_vrate_fpm=2_000.0))
    assert found.tlos_s[0] == pytest.approx(30.0)
    assert found.tend_s[0] == pytest.approx(90.0)


def test_conflict_beyond_the_look_ahead_is_not_reported() -> None:
    speed_kt = 250.0 / MS_PER_KNOT
    lon_b = GEOD.fwd(0.0, 0.0, 90.0, 200_000.0)[0]  # loss of separation after ~381 s
    kin = pair(
        0.0,
        0.0,
        lon_b,
        0.0,
        a_speed_kt=speed_kt,
        a_course_deg=90.0,
        b_speed_kt=speed_kt,
        b_course_deg=270.0,
    )
    assert len(one(kin)) == 0
    assert len(one(kin, Minima(5 * METRES_PER_NM, 304.8, 400.0))) == 1


def test_diverging_pairs_already_apart_are_not_conflicts() -> None:
    lon_b = GEOD.fwd(0.0, 0.0, 90.0, 20_000.0)[0]
    found = one(
        pair(
            0.0, 0.0, lon_b, 0.0, a_speed_kt=400, a_course_deg=270, b_speed_kt=400, b_course_deg=90
        )
    )
    assert len(found) == 0


def test_pair_order_does_not_matter() -> None:
    kin = pair(
        10.0,
        50.0,
        10.1,
        50.05,
        a_speed_kt=400,
        a_course_deg=80,
        b_speed_kt=300,
        b_course_deg=250,
        b_vrate_fpm=-500,
        b_alt_ft=30_400,
    )
    ab = evaluate_pairs(kin, np.array([0]), np.array([1]), AIRCRAFT_MINIMA)
    ba = evaluate_pairs(kin, np.array([1]), np.array([0]), AIRCRAFT_MINIMA)
    assert (ab.a.tolist(), ab.b.tolist()) == (ba.a.tolist(), ba.b.tolist()) == ([0], [1])
    assert ab.tcpa_s.tolist() == ba.tcpa_s.tolist()
    assert ab.dcpa_m.tolist() == ba.dcpa_m.tolist()


def test_across_the_antimeridian_equals_the_same_geometry_elsewhere() -> None:
    """Turning the whole picture about the Earth's axis changes nothing, even when it then
    straddles 180 degrees."""
    here = pair(
        10.0, 20.0, 10.1, 20.02, a_speed_kt=450, a_course_deg=80, b_speed_kt=450, b_course_deg=260
    )
    there = pair(
        179.95,
        20.0,
        -179.95,
        20.02,
        a_speed_kt=450,
        a_course_deg=80,
        b_speed_kt=450,
        b_course_deg=260,
    )
    a, b = one(here), one(there)
    assert len(a) == len(b) == 1
    assert b.tcpa_s[0] == pytest.approx(a.tcpa_s[0], rel=1e-6)
    assert b.dcpa_m[0] == pytest.approx(a.dcpa_m[0], abs=0.01)


def test_over_the_pole() -> None:
    """Two aircraft flying at each other across the North Pole (each due north along its
    meridian) meet at the pole."""
    speed_kt = 200.0 / MS_PER_KNOT
    lat = GEOD.fwd(0.0, 90.0, 180.0, 30_000.0)[1]  # 30 km from the pole
    found = one(
        pair(
            0.0,
            lat,
            180.0,
            lat,
            a_speed_kt=speed_kt,
            a_course_deg=0.0,
            b_speed_kt=speed_kt,
            b_course_deg=0.0,
        )
    )
    assert len(found) == 1
    assert found.tcpa_s[0] == pytest.approx(150.0, rel=1e-3)
    assert found.dcpa_m[0] == pytest.approx(0.0, abs=30.0)


@pytest.mark.parametrize("lat0", [0.0, 45.0, 70.0, 89.9, -60.0])
def test_closest_approach_agrees_with_geodesic_dead_reckoning(lat0: float) -> None:
    """Distances at the closest approach agree with an exact computation (both aircraft moved
    along their geodesics on WGS84 with pyproj) to better than 0.05 %."""
    rng = np.random.default_rng(int(lat0 * 10) + 1000)
    n = 400
    lon_a = rng.uniform(-180.0, 180.0, n)
    lat_a = np.clip(rng.uniform(lat0 - 0.5, lat0 + 0.5, n), -89.99, 89.99)
    lon_b, lat_b, _ = GEOD.fwd(lon_a, lat_a, rng.uniform(0, 360, n), rng.uniform(5e3, 150e3, n))
    speed = rng.uniform(0.0, 300.0, (2, n))
    course = rng.uniform(0.0, 360.0, (2, n))
    kin = Kinematics.from_columns(
        np.concatenate([lon_a, lon_b]),
        np.concatenate([lat_a, lat_b]),
        np.zeros(2 * n),
        speed.ravel(),
        course.ravel(),
        np.zeros(2 * n),
    )
    found = evaluate_pairs(kin, np.arange(n), np.arange(n) + n, Minima(1e7, 100.0, 300.0))
    assert len(found) == n
    t = found.tcpa_s
    la1, pa1, _ = GEOD.fwd(lon_a, lat_a, course[0], speed[0] * t)
    la2, pa2, _ = GEOD.fwd(lon_b, lat_b, course[1], speed[1] * t)
    _, _, distance = GEOD.inv(la1, pa1, la2, pa2)
    far = (distance > 5_000.0) & (t <= 300.0)  # the look-ahead: where the prediction is used
    assert far.sum() > n / 4
    error = np.abs(found.dcpa_m - distance)[far] / distance[far]
    assert error.max() < 5e-4


def test_brute_force_respects_parties() -> None:
    kin = columns(
        state("a", 10.0, 50.0, party="X"),
        state("b", 10.0, 50.0, party="X"),
        state("c", 10.0, 50.0, party="Y"),
    ).kinematics(NOW)
    every = brute_force_conflicts(kin, AIRCRAFT_MINIMA)
    across = brute_force_conflicts(kin, AIRCRAFT_MINIMA, np.array([0, 0, 1]))
    assert list(zip(every.a.tolist(), every.b.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 2)]
    assert list(zip(across.a.tolist(), across.b.tolist(), strict=True)) == [(0, 2), (1, 2)]


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf])
def test_minima_must_be_positive_and_finite(bad: float) -> None:
    with pytest.raises(ValueError, match="positive finite"):
        Minima(bad, 300.0, 300.0)
