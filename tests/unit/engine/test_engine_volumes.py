"""Volumes: the GeoJSON Feature of docs/decisions.md section 2, read strictly."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import shapely

from hotline.engine.errors import VolumeFormatError
from hotline.engine.volumes import (
    VolumeKind,
    load_volumes,
    read_volumes,
    volume_from_json,
)

DECISIONS_EXAMPLE: dict[str, Any] = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [31.5, 44.9]},
    "properties": {
        "id": "US-0042",
        "party": "US",
        "kind": "notified",
        "name": "Launch impact area",
        "radius_m": 46300.0,
        "alt_lower_ft": 0,
        "alt_upper_ft": 60000,
        "start": "2026-11-26T06:00:00Z",
        "end": "2026-11-26T09:00:00Z",
        "approximate": False,
    },
}


def feature(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DECISIONS_EXAMPLE)
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for p in parents:
            target = target[p]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return data


def test_the_example_of_the_decision_reads_as_a_circle() -> None:
    volume = volume_from_json(DECISIONS_EXAMPLE)
    assert (volume.id, volume.party, volume.kind, volume.name) == (
        "US-0042",
        "US",
        VolumeKind.NOTIFIED,
        "Launch impact area",
    )
    assert volume.parts[0].circle_radius_m == 46300.0
    assert volume.alt_lower_m == 0.0
    assert volume.alt_upper_m == pytest.approx(60000 * 0.3048)
    assert volume.start_s == 1795672800.0  # 2026-11-26T06:00:00Z
    assert volume.end_s - volume.start_s == 3 * 3600
    assert json.loads(volume.feature.model_dump_json())["properties"]["id"] == "US-0042"


def test_nulls_mean_unlimited() -> None:
    volume = volume_from_json(
        feature(
            properties__alt_lower_ft=None,
            properties__alt_upper_ft=None,
            properties__start=None,
            properties__end=None,
        )
    )
    assert (volume.alt_lower_m, volume.alt_upper_m) == (float("-inf"), float("inf"))
    assert (volume.start_s, volume.end_s) == (float("-inf"), float("inf"))


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"extra": 1}, "extra", "not a member"),
        ({"properties__colour": "red"}, "properties.colour", "not a member"),
        ({"properties__radius_m": ...}, "(feature)", "radius_m is required"),
        ({"properties__radius_m": -5}, "properties.radius_m", "greater than or equal to 0"),
        ({"properties__kind": "zone"}, "properties.kind", "notified"),
        ({"properties__party": ""}, "properties.party", "at least 1"),
        ({"properties__start": "2026-11-26T06:00:00"}, "properties.start", "UTC"),
        ({"properties__end": "tomorrow"}, "properties.end", "ISO 8601"),
        ({"properties__alt_lower_ft": 70000}, "(feature)", "must be below alt_upper_ft"),
        ({"properties__start": "2026-11-26T10:00:00Z"}, "(feature)", "must be before end"),
        ({"properties__alt_upper_ft": "high"}, "properties.alt_upper_ft", "finite number"),
        ({"geometry__coordinates": [44.9]}, "geometry.coordinates", "[lon, lat]"),
        ({"geometry__coordinates": [44.9, 131.5]}, "geometry.coordinates", "latitude"),
        ({"geometry__type": "Circle"}, "geometry", "tag"),
        ({"type": "FeatureCollection"}, "type", "Feature"),
        ({"properties__alt_lower_ft": ...}, "properties.alt_lower_ft", "required"),
    ],
)
def test_anything_else_is_refused_naming_the_feature_and_the_field(
    changes: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(VolumeFormatError) as caught:
        volume_from_json(feature(**changes), position=7)
    error = caught.value
    assert error.field == field
    assert "US-0042" in error.feature
    assert "7" in error.feature
    assert words.lower() in str(error).lower()


def polygon(ring: list[list[float]], **props: Any) -> dict[str, Any]:
    base = feature(properties__radius_m=...)
    base["geometry"] = {"type": "Polygon", "coordinates": [ring]}
    base["properties"].update(props)
    return base


@pytest.mark.parametrize(
    ("ring", "words"),
    [
        ([[0, 0], [1, 0], [1, 1]], "at least 4"),
        ([[0, 0], [1, 0], [1, 1], [0, 1]], "not closed"),
        ([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]], "not a valid area"),
        ([[179, 0], [-179, 0], [-179, 1], [179, 0]], "antimeridian"),
        ([[0, 0], [1, 0], [2, 0], [0, 0]], "not a valid area"),
    ],
)
def test_bad_polygons_are_refused(ring: list[list[float]], words: str) -> None:
    with pytest.raises(VolumeFormatError, match=words):
        volume_from_json(polygon(ring))


def test_size_members_belong_to_their_geometry() -> None:
    with pytest.raises(VolumeFormatError, match="half_width_m belongs to LineString"):
        volume_from_json(polygon([[0, 0], [1, 0], [1, 1], [0, 0]], half_width_m=5.0))


def test_a_corridor_of_one_position_is_refused_not_crashed_on() -> None:
    line = {"type": "LineString", "coordinates": [[10.0, 50.0], [10.0, 50.0]]}
    feature = polygon([[0, 0], [1, 0], [1, 1], [0, 0]], half_width_m=5_000.0)
    with pytest.raises(VolumeFormatError, match="two different positions"):
        volume_from_json({**feature, "geometry": line})


def test_a_circle_across_the_antimeridian_is_cut_there() -> None:
    volume = volume_from_json(feature(geometry__coordinates=[179.9, 60.0]))
    assert volume.outline.geom_type == "MultiPolygon"
    west, _, east, _ = volume.outline.bounds
    assert (west, east) == (-180.0, 180.0)
    assert volume.outline.contains(shapely.Point(-179.9, 60.0))
    assert volume.outline.contains(shapely.Point(179.8, 60.0))
    assert not volume.outline.contains(shapely.Point(0.0, 60.0))


def test_a_circle_around_a_pole_covers_it() -> None:
    volume = volume_from_json(feature(geometry__coordinates=[10.0, 89.9]))
    assert volume.outline.contains(shapely.Point(-170.0, 89.99))
    assert volume.outline.bounds[3] == 90.0


def test_a_national_size_area_is_cut_into_parts_with_their_own_frames() -> None:
    volume = volume_from_json(
        polygon([[20, 40], [170, 40], [170, 75], [20, 75], [20, 40]], kind="airspace")
    )
    assert len(volume.parts) > 10
    assert shapely.union_all([p.outline for p in volume.parts]).equals(volume.outline)
    origins = {(round(p.frame.origin_lon), round(p.frame.origin_lat)) for p in volume.parts}
    assert len(origins) == len(volume.parts)


def test_a_point_site_has_radius_zero() -> None:
    volume = volume_from_json(
        feature(properties__radius_m=0.0, properties__kind="humanitarian_site")
    )
    assert volume.is_point
    assert volume.outline.geom_type == "Point"


def test_collections_and_files(tmp_path: Path) -> None:
    collection = {"type": "FeatureCollection", "features": [DECISIONS_EXAMPLE, DECISIONS_EXAMPLE]}
    path = tmp_path / "volumes.geojson"
    path.write_text(json.dumps(collection))
    assert [v.id for v in load_volumes(path)] == ["US-0042", "US-0042"]
    assert len(read_volumes(json.dumps(DECISIONS_EXAMPLE))) == 1
    with pytest.raises(VolumeFormatError, match="not valid JSON"):
        read_volumes("{nope")
    with pytest.raises(VolumeFormatError, match="FeatureCollection of volumes"):
        read_volumes("[]")
    with pytest.raises(VolumeFormatError, match="cannot be read"):
        load_volumes(tmp_path / "missing.geojson")
    bad = {"type": "FeatureCollection", "features": [DECISIONS_EXAMPLE, {"type": "Feature"}]}
    with pytest.raises(VolumeFormatError, match="feature 1"):
        read_volumes(json.dumps(bad))
