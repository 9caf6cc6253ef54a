"""Screening finds exactly the pairs brute force finds, on random traffic anywhere on Earth,
and its answers do not depend on the order of tracks or on the clock's origin."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

from hotline.engine.conflicts import find_conflicts
from hotline.engine.cpa import Minima, PairConflicts, brute_force_conflicts
from hotline.engine.tracks import TrackColumns

# Centres chosen to include the places where coordinates misbehave.
CENTRES = [
    (8.0, 47.0),
    (179.9, 10.0),
    (-179.95, -33.0),
    (0.0, 89.9),
    (123.0, -89.8),
    (0.0, 0.0),
    (-75.0, 60.0),
]


@st.composite
def traffic(draw: st.DrawFn) -> TrackColumns:
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(0, 150))
    lon0, lat0 = draw(st.sampled_from(CENTRES))
    size_km = draw(st.sampled_from([5.0, 60.0, 400.0]))
    max_speed = draw(st.sampled_from([0.0, 60.0, 300.0]))
    level_share = draw(st.floats(0.0, 1.0))
    max_age = draw(st.sampled_from([0.0, 30.0]))
    rng = np.random.default_rng(seed)
    # Positions spread by distance and bearing from the centre (works at the poles too).
    bearing = rng.uniform(0.0, 2 * np.pi, n)
    dist = size_km * 1000.0 * np.sqrt(rng.uniform(0.0, 1.0, n))
    from pyproj import Geod

    lon, lat, _ = Geod(ellps="WGS84").fwd(
        np.full(n, lon0), np.full(n, lat0), np.degrees(bearing), dist
    )
    level = rng.random(n) < level_share
    alt = np.where(level, 304.8 * rng.integers(0, 5, n), rng.uniform(0.0, 1500.0, n))
    return TrackColumns.from_arrays(
        ids=[f"T{i}" for i in range(n)],
        parties=list(rng.choice(["A", "B", "C"], n)),
        time_s=1_800_000_000.0 - rng.uniform(0.0, max_age, n),
        lon=np.asarray(lon),
        lat=np.asarray(lat),
        alt_m=alt,
        speed_ms=rng.uniform(0.0, max_speed, n) * (rng.random(n) < 0.9),
        course_deg=rng.uniform(0.0, 360.0, n),
        vrate_ms=np.where(level, 0.0, rng.uniform(-15.0, 15.0, n)),
    )


MINIMA = st.sampled_from(
    [Minima(9260.0, 304.8, 300.0), Minima(1852.0, 304.8, 720.0), Minima(20_000.0, 600.0, 120.0)]
)
NOW = 1_800_000_000.0


def same(found: PairConflicts, expected: PairConflicts) -> None:
    assert found.a.tolist() == expected.a.tolist()
    assert found.b.tolist() == expected.b.tolist()
    for name in ("tcpa_s", "dcpa_m", "dalt_m", "tlos_s", "tend_s"):
        assert getattr(found, name).tolist() == getattr(expected, name).tolist(), name


@settings(max_examples=80, deadline=None)
@given(
    traffic(), MINIMA, st.sampled_from([None, 1, 2, 7]), st.booleans(), st.sampled_from([0, 2048])
)
def test_screening_equals_brute_force(
    columns: TrackColumns, minima: Minima, slices: int | None, by_party: bool, split_from: int
) -> None:
    """The prefiltered screening reports exactly the brute-force pairs, with the same numbers,
    whether level and climbing traffic are screened together or in separate passes."""
    kin = columns.kinematics(NOW)
    party = columns.party_codes()[kin.rows] if by_party else None
    expected = brute_force_conflicts(kin, minima, party)
    event(
        f"conflicts: {'none' if len(expected) == 0 else 'some' if len(expected) < 20 else 'many'}"
    )
    same(find_conflicts(kin, minima, party, slices=slices, split_from=split_from), expected)


@settings(max_examples=30, deadline=None)
@given(traffic(), MINIMA, st.data())
def test_two_groups_equal_brute_force_between_them(
    columns: TrackColumns, minima: Minima, data: st.DataObject
) -> None:
    """Screening group A against group B finds exactly the brute-force pairs across them."""
    kin = columns.kinematics(NOW)
    in_a = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(kin), max_size=len(kin))), dtype=bool
    )
    rows_a, rows_b = np.flatnonzero(in_a), np.flatnonzero(~in_a)
    found = find_conflicts(kin, minima, None, rows_a, rows_b)
    expected = brute_force_conflicts(kin, minima)
    across = in_a[expected.a] != in_a[expected.b]
    same(found, expected.take(np.flatnonzero(across)))


@settings(max_examples=30, deadline=None)
@given(traffic(), MINIMA, st.integers(0, 2**32 - 1))
def test_order_of_tracks_does_not_matter(columns: TrackColumns, minima: Minima, seed: int) -> None:
    """(a, b) and (b, a) are the same pair: shuffling the tracks gives the same conflicts."""
    kin = columns.kinematics(NOW)
    perm = np.random.default_rng(seed).permutation(len(columns))
    kin2 = columns.take(perm).kinematics(NOW)
    first = find_conflicts(kin, minima)
    second = find_conflicts(kin2, minima)
    ids1, ids2 = columns.ids[kin.rows], columns.take(perm).ids[kin2.rows]

    def as_map(found: PairConflicts, ids: np.ndarray) -> dict[frozenset[str], tuple[float, ...]]:
        return {
            frozenset((str(ids[a]), str(ids[b]))): (
                found.tcpa_s[k],
                found.dcpa_m[k],
                found.dalt_m[k],
                found.tlos_s[k],
            )
            for k, (a, b) in enumerate(zip(found.a, found.b, strict=True))
        }

    one, two = as_map(first, ids1), as_map(second, ids2)
    assert one.keys() == two.keys()
    for key, values in one.items():
        np.testing.assert_allclose(values, two[key], rtol=1e-9, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(traffic(), MINIMA, st.floats(-1e9, 1e9))
def test_shifting_all_times_changes_nothing(
    columns: TrackColumns, minima: Minima, shift: float
) -> None:
    """Only the states' ages count: moving the clock's origin gives identical results."""
    shifted = replace(columns, time_s=columns.time_s + shift)
    first = find_conflicts(columns.kinematics(NOW), minima)
    second = find_conflicts(shifted.kinematics(NOW + shift), minima)
    assert first.a.tolist() == second.a.tolist()
    assert first.b.tolist() == second.b.tolist()
    np.testing.assert_allclose(first.tcpa_s, second.tcpa_s, atol=1e-3)
    np.testing.assert_allclose(first.dcpa_m, second.dcpa_m, atol=1e-3)


@settings(max_examples=30, deadline=None)
@given(traffic(), MINIMA, st.integers(0, 2**32 - 1))
def test_nan_rows_give_nothing_and_change_nothing_else(
    columns: TrackColumns, minima: Minima, seed: int
) -> None:
    """A row with a NaN anywhere is left out; the other rows' conflicts are unchanged."""
    n = len(columns)
    rng = np.random.default_rng(seed)
    bad = rng.random(n) < 0.2
    # Each bad row gets a NaN in one randomly chosen column.
    names = ["lon", "lat", "alt_m", "speed_ms", "course_deg", "vrate_ms", "time_s"]
    spoiled = {name: getattr(columns, name).copy() for name in names}
    for row in np.flatnonzero(bad):
        spoiled[names[rng.integers(len(names))]][row] = np.nan
    dirty = replace(columns, **spoiled)
    kin = dirty.kinematics(NOW)
    assert set(kin.invalid.tolist()) == set(np.flatnonzero(bad).tolist())
    clean = columns.take(np.flatnonzero(~bad)).kinematics(NOW)
    found, expected = find_conflicts(kin, minima), find_conflicts(clean, minima)
    assert found.a.tolist() == expected.a.tolist()
    assert found.b.tolist() == expected.b.tolist()
