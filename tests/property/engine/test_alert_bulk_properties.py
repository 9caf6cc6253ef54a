"""The alert tracker settles unchanged close approaches and incursions in bulk; the events
must be exactly those of the per-sighting test (``AlertTracker._material``) on every pass."""

from __future__ import annotations

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

from hotline.engine import Screener
from hotline.engine.alerts import AlertTracker, BoolArray
from hotline.engine.synthetic import random_traffic, square_around
from hotline.engine.tracks import TrackColumns
from hotline.engine.volumes import Volume, volume_from_json

NOW = 1_800_000_000.0


class OneByOne(AlertTracker):
    """The reference: every sighting goes through the per-sighting loop."""

    def _unchanged(self, keys: list[str], *args: object, **kwargs: object) -> BoolArray:
        return np.zeros(len(keys), dtype=np.bool_)


def jittered(
    base: TrackColumns, rng: np.random.Generator, t_s: float, noise: float
) -> TrackColumns:
    """The same tracks ``t_s`` later, with noisy reports (some tracks silent this time)."""
    n = len(base)
    keep = np.flatnonzero(rng.random(n) < 0.9)
    moved = base.take(keep)
    return TrackColumns.from_arrays(
        ids=moved.ids,
        parties=moved.parties,
        time_s=np.full(keep.shape[0], NOW + t_s),
        lon=moved.lon + rng.normal(0.0, 0.01 * noise, keep.shape[0]),
        lat=moved.lat + rng.normal(0.0, 0.01 * noise, keep.shape[0]),
        alt_m=moved.alt_m + rng.normal(0.0, 60.0 * noise, keep.shape[0]),
        speed_ms=moved.speed_ms,
        course_deg=moved.course_deg + rng.normal(0.0, 8.0 * noise, keep.shape[0]),
        vrate_ms=moved.vrate_ms,
    )


def circles(rng: np.random.Generator, count: int) -> list[Volume]:
    """Circles of 3-15 km around the traffic, of parties A and B, from the ground to FL250."""
    return [
        volume_from_json(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [8.0 + rng.uniform(-0.3, 0.3), 47.0 + rng.uniform(-0.2, 0.2)],
                },
                "properties": {
                    "id": f"V{i}",
                    "party": "AB"[i % 2],
                    "kind": "notified",
                    "name": f"circle {i}",
                    "radius_m": float(rng.uniform(3_000.0, 15_000.0)),
                    "alt_lower_ft": 0.0,
                    "alt_upper_ft": 25_000.0,
                    "start": None,
                    "end": None,
                },
            }
        )
        for i in range(count)
    ]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(20, 120), st.floats(0.0, 2.0), st.integers(2, 8))
def test_bulk_settling_gives_the_per_sighting_events(
    seed: int, n: int, noise: float, passes: int
) -> None:
    rng = np.random.default_rng(seed)
    area = square_around(8.0, 47.0, 60.0)
    base = random_traffic(n, area, seed=seed, time_s=NOW, parties=("A", "B", "C"))
    fast, slow = Screener(), Screener()
    volumes = circles(rng, 6)
    fast.set_volumes(volumes)
    slow.set_volumes(volumes)
    slow._tracker = OneByOne(slow.config.tracker)
    settled = updated = incursions = 0
    for p in range(passes):
        t_s = 20.0 * p
        batch = base if p == 0 else jittered(base, rng, t_s, noise)
        fast.upsert(batch)
        slow.upsert(batch)
        before = {a.key for a in fast.alerts}
        got = [(e.change, e.alert.key, e.alert.updates, e.alert.id) for e in fast.update(NOW + t_s)]
        want = [
            (e.change, e.alert.key, e.alert.updates, e.alert.id) for e in slow.update(NOW + t_s)
        ]
        assert got == want
        updated += sum(change == "updated" for change, *_ in got)
        settled += len(before - {key for _, key, *_ in got})
        incursions += sum(key.startswith('["incursion"') for _, key, *_ in got)
    assert [a.key for a in fast.alerts] == [a.key for a in slow.alerts]
    event(
        f"settled in bulk: {'some' if settled else 'none'}; "
        f"updates: {'some' if updated else 'none'}; "
        f"incursion events: {'some' if incursions else 'none'}"
    )
