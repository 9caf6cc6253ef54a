"""The node's picture: pushed tracks screened at the feed's own time, alerts drawn."""

from hotline.engine import TrackState
from hotline.node.picture import Picture, alert_out

T0 = 1_795_000_000.0


def head_on(t_s: float, gap_deg: float = 0.5) -> list[TrackState]:
    return [
        TrackState("US-1", "US", t_s, 31.0, 43.3, 31_000, 420, 90, callsign="OLIVE11"),
        TrackState("RU-1", "RU", t_s, 31.0 + gap_deg, 43.3, 31_400, 480, 270),
    ]


def test_closing_aircraft_raise_one_proximity_alert_with_the_closest_approach() -> None:
    """Two aircraft of different parties closing head on give one close-approach alert."""
    picture = Picture()
    events = picture.push(head_on(T0))
    assert [e.change for e in events] == ["raised"]
    [drawn] = [alert_out(a) for a in picture.alerts()]
    assert drawn.kind == "proximity"
    assert len(drawn.coordinates) == 2
    lons = sorted(lon for lon, _ in drawn.coordinates)
    assert 31.0 < lons[0] <= lons[1] < 31.5  # they meet between their starting points
    assert "US-1" in drawn.text
    assert "RU-1" in drawn.text


def test_far_apart_tracks_raise_nothing_and_are_listed_with_labels() -> None:
    picture = Picture()
    assert picture.push(head_on(T0, gap_deg=20.0)) == []
    assert {(t.id, t.label, t.party) for t in picture.tracks()} == {
        ("US-1", "OLIVE11", "US"),
        ("RU-1", "RU-1", "RU"),
    }


def test_the_clock_is_the_newest_state_time_and_never_goes_back() -> None:
    picture = Picture()
    picture.push(head_on(T0 + 100))
    picture.push(head_on(T0))  # late states do not wind the clock back
    assert picture.now_s == T0 + 100
