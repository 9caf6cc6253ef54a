"""Overlaps between notified activities in 4-D."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from hotline.engine.overlaps import find_overlaps
from hotline.engine.volumes import Volume, volume_from_json


def circle(lon: float, lat: float, radius_m: float, **props: Any) -> Volume:
    properties = {
        "id": "C",
        "party": "US",
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


def box(west: float, south: float, east: float, north: float, **props: Any) -> Volume:
    properties = {
        "id": "B",
        "party": "RU",
        "kind": "notified",
        "name": "box",
        "alt_lower_ft": None,
        "alt_upper_ft": None,
        "start": None,
        "end": None,
        **props,
    }
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return volume_from_json(
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": properties,
        }
    )


def test_two_circles_share_the_lens_between_them() -> None:
    """Two 10 km circles 10 km apart share a lens of area 2 r^2 acos(d/2r) - d/2 sqrt(4r^2-d^2)."""
    a = circle(0.0, 0.0, 10_000.0, party="US")
    b = circle(10_000.0 / 111_319.49, 0.0, 10_000.0, party="RU", id="D")
    (found,) = find_overlaps([a, b])
    r, d = 10_000.0, 10_000.0
    lens = 2 * r * r * math.acos(d / (2 * r)) - d / 2 * math.sqrt(4 * r * r - d * d)
    assert found.area_m2 == pytest.approx(lens, rel=0.01)
    assert (found.a, found.b) == (0, 1)


def test_same_party_overlaps_only_with_all_pairs() -> None:
    a, b = circle(0.0, 0.0, 10_000.0), circle(0.05, 0.0, 10_000.0, id="D")
    assert find_overlaps([a, b]) == []
    assert len(find_overlaps([a, b], all_pairs=True)) == 1


def test_bands_and_windows_must_overlap_too() -> None:
    low = box(0, 0, 1, 1, alt_lower_ft=0, alt_upper_ft=10_000)
    high = circle(0.5, 0.5, 10_000.0, alt_lower_ft=10_000, alt_upper_ft=20_000)
    assert find_overlaps([low, high]) == []
    morning = box(0, 0, 1, 1, start="2026-11-26T06:00:00Z", end="2026-11-26T09:00:00Z")
    evening = circle(0.5, 0.5, 10_000.0, start="2026-11-26T18:00:00Z", end=None)
    assert find_overlaps([morning, evening]) == []
    noon = circle(0.5, 0.5, 10_000.0, start="2026-11-26T08:00:00Z", end=None, alt_lower_ft=500)
    (found,) = find_overlaps([morning, noon])
    assert (found.start_s, found.end_s) == (1795680000.0, 1795683600.0)
    assert found.alt_lower_m == pytest.approx(152.4)
    assert math.isinf(found.alt_upper_m)
    assert find_overlaps([morning, noon], now_s=1795683600.0) == []


def test_areas_that_only_touch_do_not_overlap() -> None:
    assert find_overlaps([box(0, 0, 1, 1), box(1, 0, 2, 1, party="UA", id="E")]) == []


def test_a_site_given_as_a_point_inside_a_notified_area() -> None:
    hospital = circle(0.5, 0.5, 0.0, party="UN", kind="humanitarian_site", id="H")
    (found,) = find_overlaps([box(0, 0, 1, 1), hospital])
    assert found.area_m2 == 0.0
    assert found.region.geom_type == "Point"


def test_national_layers_alone_are_not_activities() -> None:
    a = box(0, 0, 2, 2, kind="airspace")
    b = box(1, 1, 3, 3, kind="airspace", party="UA", id="E")
    assert find_overlaps([a, b]) == []
    assert len(find_overlaps([a, circle(1.5, 1.5, 10_000.0)])) == 1


def test_ten_thousand_volumes() -> None:
    """10^4 circles on a grid, each overlapping its east neighbour only."""
    lon = np.arange(100) * 0.09
    lat = np.arange(100) * 0.3
    volumes = [
        circle(float(x), float(y), 6_000.0, party="AB"[i % 2], id=f"V{i}-{j}")
        for j, y in enumerate(lat)
        for i, x in enumerate(lon)
    ]
    found = find_overlaps(volumes)
    assert len(found) == 99 * 100
    assert all(f.b == f.a + 1 for f in found)
