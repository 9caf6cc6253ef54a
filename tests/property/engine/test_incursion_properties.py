"""Incursions found through the prefilters (a kd-tree of paths, each part's reach, boxes) are
exactly those the same exact test finds on every (track, volume part) pair."""

from typing import Any

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

from hotline.engine.incursions import Incursions, VolumeIndex, find_incursions
from hotline.engine.tracks import TrackColumns
from hotline.engine.volumes import Volume, volume_from_json
from hotline.testing.engine_states import NOW

WEST, SOUTH = 10.0, 50.0  # a 2 x 1 degree box where everything happens
lons = st.floats(WEST, WEST + 2.0)
lats = st.floats(SOUTH, SOUTH + 1.0)
parties = st.sampled_from(["A", "B", "UNKNOWN"])


@st.composite
def volumes(draw: st.DrawFn, k: int) -> Volume:
    lon, lat = draw(lons), draw(lats)
    shape = draw(st.sampled_from(["circle", "box", "corridor", "site"]))
    props: dict[str, Any] = {}
    if shape in ("circle", "site"):
        geometry: dict[str, Any] = {"type": "Point", "coordinates": [lon, lat]}
        props["radius_m"] = 0.0 if shape == "site" else draw(st.floats(500.0, 60_000.0))
    elif shape == "box":
        w, h = draw(st.floats(0.01, 0.6)), draw(st.floats(0.01, 0.4))
        ring = [[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]
        geometry = {"type": "Polygon", "coordinates": [ring]}
    else:
        sign = draw(st.sampled_from([-1.0, 1.0]))
        end = [lon + sign * draw(st.floats(0.02, 0.8)), lat + draw(st.floats(-0.5, 0.5))]
        geometry = {"type": "LineString", "coordinates": [[lon, lat], end]}
        props["half_width_m"] = draw(st.floats(500.0, 10_000.0))
    lower = draw(st.sampled_from([None, 0.0, 10_000.0, 25_000.0]))
    upper = draw(st.sampled_from([None, 20_000.0, 35_000.0]))
    if lower is not None and upper is not None and upper <= lower:
        upper = None
    start = NOW + draw(st.floats(-3_600.0, 300.0))
    end_s = max(start, NOW) + draw(st.floats(10.0, 7_200.0))
    properties = {
        "id": f"V{k}",
        "party": draw(parties),
        "kind": "notified",
        "name": f"volume {k}",
        "alt_lower_ft": lower,
        "alt_upper_ft": upper,
        "start": _iso(start),
        "end": _iso(end_s),
        **props,
    }
    return volume_from_json({"type": "Feature", "geometry": geometry, "properties": properties})


def _iso(t_s: float) -> str:
    return np.datetime_as_string(np.datetime64(int(t_s), "s"), unit="s") + "Z"


@st.composite
def tracks(draw: st.DrawFn) -> TrackColumns:
    n = draw(st.integers(1, 40))
    floats = st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)
    u = [np.array(draw(floats)) for _ in range(6)]
    return TrackColumns.from_arrays(
        ids=[f"T{i}" for i in range(n)],
        parties=[draw(parties) for _ in range(n)],
        time_s=np.full(n, NOW) - 30.0 * u[0],
        lon=WEST - 0.5 + 3.0 * u[1],
        lat=SOUTH - 0.3 + 1.6 * u[2],
        alt_m=12_000.0 * u[3],
        speed_ms=np.where(u[4] < 0.1, 0.0, 300.0 * u[4]),
        course_deg=360.0 * u[5],
        vrate_ms=np.zeros(n),
    )


def _rows(found: Incursions) -> list[tuple[Any, ...]]:
    columns = (
        found.track,
        found.volume,
        found.inside,
        found.entry_s,
        found.depth_m,
        found.distance_to_boundary_m,
    )
    return sorted(zip(*(c.tolist() for c in columns), strict=True))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 6).flatmap(lambda n: st.tuples(*(volumes(k) for k in range(n)))),
    tracks(),
    st.sampled_from([120.0, 300.0, 900.0]),
    st.booleans(),
)
def test_prefiltered_incursions_equal_the_exhaustive_test(
    found_volumes: tuple[Volume, ...], columns: TrackColumns, lookahead_s: float, all_pairs: bool
) -> None:
    kin = columns.kinematics(NOW)
    index = VolumeIndex(list(found_volumes))
    party = columns.parties[kin.rows]
    fast = find_incursions(kin, party, index, NOW, lookahead_s, all_pairs)
    brute = find_incursions(kin, party, index, NOW, lookahead_s, all_pairs, exhaustive=True)
    assert _rows(fast) == _rows(brute)
    event(f"incursions found: {min(len(brute), 3)}{'+' if len(brute) >= 3 else ''}")
