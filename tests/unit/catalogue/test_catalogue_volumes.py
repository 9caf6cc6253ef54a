"""GeoJSON volumes in the exact shape decided in docs/decisions.md section 2."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hotline.catalogue import (
    AltitudeBand,
    Circle,
    Level,
    MissileLaunch,
    NamedSeaArea,
    Point,
    SeaArea,
    TimeWindow,
    feature_collection,
    volumes,
)
from hotline.catalogue.examples import examples
from hotline.catalogue.notifications import HazardWarning
from hotline.catalogue.vocabulary import HazardKind, MissileClass

ROOT = Path(__file__).resolve().parents[3]


def decided_example() -> dict[str, Any]:
    """The Feature printed in docs/decisions.md section 2."""
    text = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    section = text.split("## 2.", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None, "docs/decisions.md section 2 must show the Feature shape"
    example: dict[str, Any] = json.loads(block.group(1))
    return example


def launch(impact: Circle) -> MissileLaunch:
    return MissileLaunch(
        missile_class=MissileClass.ICBM,
        launch_window=TimeWindow(
            start=datetime(2026, 11, 26, 6, tzinfo=UTC), end=datetime(2026, 11, 26, 9, tzinfo=UTC)
        ),
        launch_area=NamedSeaArea(sea=SeaArea.BARENTS_SEA),
        impact_area=impact,
    )


def test_a_circle_becomes_exactly_the_decided_feature() -> None:
    decided = decided_example()
    notice = launch(Circle(center=(31.5, 44.9), radius_km=46.3))
    features = volumes(notice, message_id="US-0042", party="US")
    assert len(features) == 1  # a sea named without a boundary is not drawn
    feature = features[0].model_dump(mode="json")
    assert feature.keys() == decided.keys()
    assert feature["geometry"] == decided["geometry"]
    assert feature["properties"].keys() == decided["properties"].keys()
    expected = {
        **decided["properties"],
        "name": "Ballistic missile launch notification: Impact area",
        "alt_lower_ft": None,  # a launch notice gives no altitudes: surface to unlimited
        "alt_upper_ft": None,
    }
    assert feature["properties"] == expected


def test_units_are_converted_to_metres_and_feet() -> None:
    nm = volumes(
        launch(Circle(center=(31.5, 44.9), radius_nm=25)), message_id="RU-0001", party="RU"
    )
    assert nm[0].properties.radius_m == 25 * 1852
    laser = volumes(examples()["laser_notice"].notification, message_id="RU-0019", party="RU")
    assert laser[0].properties.radius_m == 5000
    assert (laser[0].properties.alt_lower_ft, laser[0].properties.alt_upper_ft) == (None, 9842.5)
    flight = volumes(examples()["flight_notice"].notification, message_id="US-0041", party="US")
    props = flight[0].properties
    assert flight[0].geometry.type == "LineString"
    assert props.half_width_m == 10 * 1852
    assert props.radius_m is None
    assert (props.alt_lower_ft, props.alt_upper_ft) == (25000, 35000)
    assert (props.start, props.end) == ("2026-11-26T06:00:00Z", "2026-11-26T12:00:00Z")
    dumped = flight[0].model_dump(mode="json")["properties"]
    assert "radius_m" not in dumped
    assert dumped["half_width_m"] == 18520


def test_every_period_of_a_warning_is_its_own_volume() -> None:
    warning = examples()["hazard_warning"].notification
    assert isinstance(warning, HazardWarning)
    features = volumes(warning, message_id="US-0040", party="US")
    assert [(f.properties.start, f.properties.end) for f in features] == [
        ("2026-12-02T06:00:00Z", "2026-12-02T15:00:00Z"),
        ("2026-12-03T06:00:00Z", "2026-12-03T15:00:00Z"),
    ]
    assert features[0].geometry.type == "Polygon"
    assert features[0].properties.alt_upper_ft == 20000


def test_humanitarian_sites_are_open_ended_and_of_their_own_kind() -> None:
    site = volumes(
        examples()["humanitarian_site"].notification, message_id="UN-OCHA-0006", party="UN-OCHA"
    )
    assert site[0].properties.kind == "humanitarian_site"
    assert site[0].properties.name == "WFP Warehouse Zaporizhzhia-3"
    assert (site[0].properties.start, site[0].properties.end) == ("2026-11-20T00:00:00Z", None)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("missile_launch", 2),
        ("hazard_warning", 2),
        ("naval_exercise", 1),
        ("flight_notice", 1),
        ("special_caution_area", 1),
        ("laser_notice", 1),
        ("humanitarian_site", 1),
        ("humanitarian_movement", 1),
        ("incident_report", 0),
        ("proximity_alert", 0),
        ("stop_check_fire", 1),
        ("rfi", 0),
        ("rfi_response", 0),
        ("short_message", 0),
        ("free_text", 0),
        ("amendment", 1),
        ("cancellation", 0),
        ("supersession", 1),
    ],
)
def test_which_types_export_volumes(name: str, count: int) -> None:
    example = examples()[name]
    features = volumes(example.notification, message_id="X-0001", party="X")
    assert len(features) == count
    for feature in features:
        assert feature.properties.id == "X-0001"
        assert feature.properties.party == "X"


def test_a_point_site_is_a_circle_of_radius_zero() -> None:
    site = examples()["humanitarian_site"].notification.model_copy(
        update={"location": Point(coordinates=(35.14, 47.84))}
    )
    feature = volumes(site, message_id="UN-OCHA-0006", party="UN-OCHA")[0]
    assert feature.geometry.model_dump() == {"type": "Point", "coordinates": (35.14, 47.84)}
    assert feature.properties.radius_m == 0


def test_a_volumes_file_is_a_feature_collection() -> None:
    features = volumes(examples()["supersession"].notification, message_id="UA-0009", party="UA")
    collection = json.loads(feature_collection(features))
    assert collection["type"] == "FeatureCollection"
    assert collection["features"] == [f.model_dump(mode="json") for f in features]
    assert collection["features"][0]["geometry"]["coordinates"][0][0] == [30.8, 45.6]


def test_altitudes_in_metres_and_flight_levels_are_feet_amsl() -> None:
    band = AltitudeBand(lower=Level(m_amsl=300), upper=Level(fl=95))
    assert band.lower.feet == pytest.approx(984.25, abs=0.01)
    assert band.upper.feet == 9500
    warning = examples()["hazard_warning"].notification.model_copy(
        update={"altitude": band, "hazard": HazardKind.MISSILE_FIRING}
    )
    feature = volumes(warning, message_id="US-0040", party="US")[0]
    assert (feature.properties.alt_lower_ft, feature.properties.alt_upper_ft) == (984.3, 9500)
