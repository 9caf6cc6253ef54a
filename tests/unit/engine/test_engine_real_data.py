"""Real recorded traffic: 842 aircraft over Switzerland (OpenSky, 2018-08-01)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from hotline.cli.screen import latest_states
from hotline.engine.conflicts import find_conflicts
from hotline.engine.cpa import AIRCRAFT_MINIMA, Minima, brute_force_conflicts
from hotline.engine.screener import Screener
from hotline.engine.tracks import TrackColumns
from hotline.feeds.files import read_tracks
from hotline.feeds.parties import PartyRules
from hotline.testing.data import shared_data

RULES = PartyRules.from_toml(
    '[parties.CH]\nicao24_countries = ["CH"]\n[parties.DE]\nicao24_countries = ["DE"]\n'
    '[parties.FR]\nicao24_countries = ["FR"]\n[parties.GB]\nicao24_countries = ["GB"]\n'
)


@pytest.fixture(scope="module")
def swiss() -> list:  # type: ignore[type-arg]
    return read_tracks(shared_data("switzerland.json.gz"), RULES).states


def composite(states: list, slices: int) -> TrackColumns:  # type: ignore[type-arg]
    """The live aircraft at ``slices`` moments of the day (about 25 each), all moved to one
    moment: real positions and velocities, as dense as the busiest sky."""
    day = 1533081600.0  # 2018-08-01T00:00:00Z
    at = day + 12 * 3600.0
    chosen = []
    for k, moment in enumerate(np.linspace(day + 5.5 * 3600, day + 21.5 * 3600, slices)):
        for state in latest_states(states, float(moment)):
            if moment - state.time_s <= 30.0:
                chosen.append(
                    replace(state, id=f"{state.id}-{k}", time_s=at - (moment - state.time_s))
                )
    return TrackColumns.from_states(chosen)


@pytest.mark.parametrize(
    "minima",
    [
        AIRCRAFT_MINIMA,
        Minima.from_nm_ft(3.0, 1000.0, 120.0),
        Minima.from_nm_ft(10.0, 2000.0, 600.0),
    ],
)
@pytest.mark.parametrize("split_from", [0, 100_000])
def test_real_traffic_screening_equals_brute_force(
    swiss: list, minima: Minima, split_from: int
) -> None:  # type: ignore[type-arg]
    """Real traffic, made dense: exactly the brute-force pairs, for all parties and for
    different parties only."""
    columns = composite(swiss, 40)
    assert len(columns) > 700
    kin = columns.kinematics(float(columns.time_s.max()))
    assert len(kin.invalid) == 0
    for party in (None, columns.party_codes()[kin.rows]):
        found = find_conflicts(kin, minima, party, split_from=split_from)
        expected = brute_force_conflicts(kin, minima, party)
        assert len(expected) > 10
        assert found.a.tolist() == expected.a.tolist()
        assert found.b.tolist() == expected.b.tolist()
        np.testing.assert_array_equal(found.dcpa_m, expected.dcpa_m)


def test_a_day_of_swiss_traffic_through_the_screener(swiss: list) -> None:  # type: ignore[type-arg]
    """Replaying an hour of states into the screener every 10 s: alerts are raised and
    cleared, and a situation keeps one alert for as long as it lasts."""
    screener = Screener()
    start = 1533081600.0 + 10 * 3600.0
    states = sorted(
        (s for s in swiss if start <= s.time_s < start + 3600.0), key=lambda s: s.time_s
    )
    raised: dict[str, int] = {}
    cleared: dict[str, int] = {}
    index = 0
    for now in np.arange(start, start + 3600.0, 10.0):
        batch = []
        while index < len(states) and states[index].time_s <= now:
            batch.append(states[index])
            index += 1
        if batch:
            screener.upsert(batch)
        for event in screener.update(float(now)):
            book = (
                raised
                if event.change == "raised"
                else cleared
                if event.change == "cleared"
                else None
            )
            if book is not None:
                book[event.alert.key] = book.get(event.alert.key, 0) + 1
    assert len(raised) > 0
    assert len(cleared) > 0
    # Hysteresis: even with real, noisy vertical rates, no situation flickers (raised,
    # cleared, raised again) within the hour.
    assert max(raised.values()) == 1
