"""The engine as the node uses it: the live table, screening passes, and alerts that stay
stable over time (one per situation, updated on material change, cleared with hysteresis)."""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import shape as shapely_shape

from hotline.engine.alerts import Alert, AlertKind
from hotline.engine.screener import Screener, ScreenerConfig
from hotline.engine.screening import ScreeningConfig
from hotline.engine.table import TrackTable
from hotline.engine.tracks import Domain, TrackColumns, TrackState
from hotline.engine.units import METRES_PER_NM, MS_PER_KNOT
from hotline.engine.volumes import volume_from_json
from hotline.testing.engine_states import NOW, state

GEOD = Geod(ellps="WGS84")
SPEED_KT = 200.0 / MS_PER_KNOT


def fly(
    track_id: str, party: str, lon0: float, lat0: float, course: float, t: float, **kw: float
) -> TrackState:
    """A track flying a geodesic at 200 m/s from (lon0, lat0) at NOW, reported at NOW + t."""
    lon, lat, back = GEOD.fwd(lon0, lat0, course, 200.0 * t)
    return state(
        track_id,
        lon,
        lat,
        party=party,
        speed_kt=SPEED_KT,
        course_deg=(back + 180.0) % 360.0,
        time_s=NOW + t,
        **kw,
    )


def head_on(t: float, offset_m: float = 0.0, turn_deg: float = 0.0) -> list[TrackState]:
    """Two aircraft 120 km apart at NOW flying at each other along one geodesic (CPA at 300 s
    after NOW), the second one ``offset_m`` to the north of it and turned by ``turn_deg``."""
    lon_b, lat_b, back = GEOD.fwd(10.0, 50.0, 90.0, 120_000.0)
    lon_b, lat_b, _ = GEOD.fwd(lon_b, lat_b, 0.0, offset_m)
    return [
        fly("RU1", "RU", 10.0, 50.0, 90.0, t),
        fly("UA1", "UA", lon_b, lat_b, back + turn_deg, t),
    ]


def test_one_alert_per_situation_updated_only_on_change_and_cleared_with_hysteresis() -> None:
    screener = Screener(ScreenerConfig())
    changes: list[tuple[float, str]] = []
    for t in range(0, 700, 5):
        screener.upsert(head_on(float(t)))
        changes += [(float(t), e.change) for e in screener.update(NOW + t)]
    # Raised at once (loss of separation predicted at 277 s, within the look-ahead); updated
    # once, when the loss of separation begins; cleared once the pair is 1.2 x 5 NM apart
    # (300 s + 6 NM / 400 m/s = 328 s) and has stayed so for 60 s (passes every 5 s).
    # Nothing else: the situation unfolds as predicted.
    los_s = (120_000.0 - 5 * METRES_PER_NM) / 400.0
    apart_s = 300.0 + 1.2 * 5 * METRES_PER_NM / 400.0
    assert [c for _, c in changes] == ["raised", "updated", "cleared"]
    assert changes[0][0] == 0.0
    assert los_s <= changes[1][0] < los_s + 5.0
    assert apart_s - 5.0 + 60.0 <= changes[2][0] < apart_s + 65.0  # passes are 5 s apart


def test_a_material_change_updates_the_alert() -> None:
    screener = Screener()
    screener.upsert(head_on(0.0))
    (raised,) = screener.update(NOW)
    # UA1 turns: its CPA moves by kilometres.
    screener.upsert(head_on(10.0, turn_deg=0.5))  # CPA now about 1,000 m apart
    events = screener.update(NOW + 10)
    assert [e.change for e in events] == ["updated"]
    assert events[0].alert.id == raised.alert.id
    assert events[0].alert.updates == 1


def test_evidence_is_json_with_both_states_and_the_geometry() -> None:
    screener = Screener()
    screener.upsert(head_on(0.0, offset_m=3_000.0))
    (event,) = screener.update(NOW)
    alert = event.alert
    assert alert.kind == AlertKind.CLOSE_APPROACH
    again = Alert.model_validate_json(alert.model_dump_json())
    assert again == alert
    evidence = json.loads(alert.model_dump_json())["evidence"]
    assert {evidence["a"]["id"], evidence["b"]["id"]} == {"RU1", "UA1"}
    assert evidence["tcpa_s"] == pytest.approx(300.0, abs=0.5)
    assert evidence["dcpa_m"] == pytest.approx(3_000.0, rel=1e-3)
    cpa_time = datetime.fromisoformat(evidence["cpa_time"]).timestamp()
    assert cpa_time == pytest.approx(NOW + evidence["tcpa_s"], abs=0.01)
    assert evidence["minima"] == {"sep_nm": 5.0, "sep_ft": 1000.0, "lookahead_s": 300.0}


def test_incursion_and_overlap_alerts() -> None:
    circle = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [10.0, 50.0]},
        "properties": {
            "id": "UA-1",
            "party": "UA",
            "kind": "notified",
            "name": "range",
            "radius_m": 20_000.0,
            "alt_lower_ft": None,
            "alt_upper_ft": None,
            "start": None,
            "end": None,
        },
    }
    site = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [10.01, 50.0]},
        "properties": {
            "id": "UN-1",
            "party": "UN",
            "kind": "humanitarian_site",
            "name": "hospital",
            "radius_m": 0.0,
            "alt_lower_ft": None,
            "alt_upper_ft": None,
            "start": None,
            "end": None,
        },
    }
    screener = Screener()
    screener.set_volumes([volume_from_json(circle), volume_from_json(site)])
    screener.upsert([state("drone", 10.0, 50.05, party="RU", alt_ft=3000)])
    kinds = sorted(e.alert.kind.value for e in screener.update(NOW))
    assert kinds == ["incursion", "overlap"]
    incursion = next(a for a in screener.alerts if a.kind == AlertKind.INCURSION)
    assert incursion.evidence.kind == "incursion"
    assert incursion.evidence.inside
    screener.remove_volumes(["UN-1"])
    assert [e.change for e in screener.update(NOW + 60)] == ["cleared"]


def test_stale_tracks_are_not_screened_and_are_forgotten_later() -> None:
    screener = Screener(
        ScreenerConfig(screening=ScreeningConfig(max_age_s=60.0), forget_after_s=120.0)
    )
    screener.upsert(
        [
            state("a", 10.0, 50.0, party="X", time_s=NOW - 90),
            state("b", 10.0, 50.0, party="Y", time_s=NOW),
        ]
    )
    result = screener.screen(NOW)
    assert (len(result.kin), result.stale) == (1, 1)
    screener.update(NOW + 100)
    assert len(screener.tracks) == 1


def test_ships_use_the_maritime_minima_and_aircraft_the_air_minima_against_ships() -> None:
    ship_a = TrackState("s1", "X", NOW, 10.0, 50.0, domain=Domain.SEA)
    lat = GEOD.fwd(10.0, 50.0, 0.0, 0.8 * METRES_PER_NM)[1]
    lat_far = GEOD.fwd(10.0, 50.0, 0.0, 2.0 * METRES_PER_NM)[1]
    ship_b = TrackState("s2", "Y", NOW, 10.0, lat, domain=Domain.SEA)
    ship_c = TrackState("s3", "Y", NOW, 10.0, lat_far, domain=Domain.SEA)
    plane = TrackState("p1", "Y", NOW, 10.0, lat_far, alt_ft=500.0)
    screener = Screener()
    screener.upsert([ship_a, ship_b, ship_c, plane])
    result = screener.screen(NOW)
    ids = result.tracks.ids[result.kin.rows]
    pairs = {
        (str(ids[a]), str(ids[b]))
        for a, b in zip(result.conflicts.a, result.conflicts.b, strict=True)
    }
    assert pairs == {("s1", "s2"), ("s1", "p1")}  # s1-s3 2 NM apart: clear of 1 NM


def test_unknown_tracks_are_screened_against_each_other() -> None:
    screener = Screener()
    screener.upsert(
        [
            state("a", 10.0, 50.0, party="unknown"),
            state("b", 10.0, 50.0, party="unknown"),
            state("c", 10.0, 50.0, party="X"),
            state("d", 10.0, 50.0, party="X"),
        ]
    )
    assert len(screener.screen(NOW).conflicts) == 5  # every pair but c-d


def test_table_keeps_the_newest_state() -> None:
    table = TrackTable(capacity=2)
    table.upsert(
        TrackColumns.from_states(
            [state("a", 1.0, 1.0, time_s=10.0), state("b", 2.0, 2.0, time_s=10.0)]
        )
    )
    changed = table.upsert(
        TrackColumns.from_states(
            [
                state("a", 5.0, 5.0, time_s=5.0),  # older: ignored
                state("c", 3.0, 3.0, time_s=10.0),  # new track (the table grows)
                state("b", 6.0, 6.0, time_s=20.0),  # newer
                state("b", 7.0, 7.0, time_s=15.0),  # older than the newest in the same batch
            ]
        )
    )
    assert changed == 2
    cols = table.columns()
    got = {
        str(i): (float(x), float(t))
        for i, x, t in zip(cols.ids, cols.lon, cols.time_s, strict=True)
    }
    assert got == {"a": (1.0, 10.0), "b": (6.0, 20.0), "c": (3.0, 10.0)}
    assert table.remove(["a", "zz"]) == 1
    assert table.expire(25.0, 10.0) == 1
    assert [str(i) for i in table.columns().ids] == ["b"]


def test_table_upsert_of_a_hundred_thousand_tracks() -> None:
    n = 100_000
    rng = np.random.default_rng(0)
    batch = TrackColumns.from_arrays(
        ids=[f"T{i}" for i in range(n)],
        parties=["A"] * n,
        time_s=np.full(n, NOW),
        lon=rng.uniform(-10, 30, n),
        lat=rng.uniform(35, 60, n),
        alt_m=np.zeros(n),
        speed_ms=np.zeros(n),
        course_deg=np.zeros(n),
        vrate_ms=np.zeros(n),
    )
    table = TrackTable()
    assert table.upsert(batch) == n
    assert table.upsert(batch) == n  # same time: replaced, not duplicated
    assert len(table) == n


def test_an_overlap_whose_rounded_outline_would_cross_itself_is_reported() -> None:
    """A circle cutting a box's edge at a few metres' depth: rounding the intersection's
    coordinates to 7 decimals made its ring cross itself, and the pass failed. Snapped to
    the grid, the evidence is a valid area of the same size."""
    west, south, east, north = 26.30138268005018, 47.68759009295993, 26.836991146983287, 48.2232
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    band = {"alt_lower_ft": 0.0, "alt_upper_ft": 45_000.0, "start": None, "end": None}
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"id": "V05462", "party": "US", "kind": "notified", "name": "B", **band},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [26.135713410603948, 47.69769890728408]},
            "properties": {
                "id": "V09853",
                "party": "RU",
                "kind": "notified",
                "name": "circle",
                "radius_m": 12986.328765144892,
                **band,
            },
        },
    ]
    screener = Screener()
    screener.set_volumes([volume_from_json(f) for f in features])
    [event] = screener.update(NOW)
    evidence = event.alert.evidence
    assert event.alert.kind == AlertKind.OVERLAP
    [found] = screener._set.overlaps
    region = shapely_shape(evidence.region.model_dump(mode="json"))
    assert region.is_valid
    assert abs(GEOD.geometry_area_perimeter(region)[0]) == pytest.approx(found.area_m2, rel=1e-3)
