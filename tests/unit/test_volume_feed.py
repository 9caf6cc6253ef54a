"""The engine fed the notified volumes: add, amend, supersede, cancel, expire, markings."""

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.engine import Incursion, TrackState
from hotline.node.picture import Picture, alert_out
from hotline.node.volume_feed import NotifiedMessage, NotifiedVolumes, volume_id

CH = "c0ffee00" + "0" * 56
START_S = datetime(2026, 11, 26, 6, tzinfo=UTC).timestamp()
END_S = START_S + 4 * 3600


def iso(t_s: float) -> str:
    return datetime.fromtimestamp(t_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def flight_notice(lon: float, lat: float, end_s: float = END_S) -> dict[str, object]:
    """A flight notice over a 30 km circle at (lon, lat), FL290-FL330."""
    return {
        "type": "flight_notice",
        "version": "1.0",
        "purpose": "RECONNAISSANCE",
        "aircraft": [
            {"callsigns": ["OLIVE11"], "count": 1, "icao24": [], "type_designator": "RC-135W"}
        ],
        "altitude": {"lower": {"fl": 290}, "upper": {"fl": 330}},
        "area": {"type": "Circle", "center": [lon, lat], "radius_km": 30},
        "window": {"start": iso(START_S), "end": iso(end_s)},
    }


def amendment(party: str, number: int, lon: float, lat: float) -> dict[str, object]:
    return {
        "type": "amendment",
        "version": "1.0",
        "amends": {"party": party, "number": number},
        "notification": flight_notice(lon, lat),
        "changed": ["area"],
    }


def cancellation(party: str, number: int) -> dict[str, object]:
    return {
        "type": "cancellation",
        "version": "1.0",
        "cancels": {"party": party, "number": number},
        "reason": "ACTIVITY_CANCELLED",
    }


def message(
    sender: str, seq: int, body: dict[str, object], mark: str = "REAL", channel: str = CH
) -> NotifiedMessage:
    return NotifiedMessage(channel, sender, seq, mark, json.dumps(body).encode())


def fighter(lon: float, lat: float, t_s: float = START_S + 600) -> TrackState:
    """A RU aircraft at FL310, flying north slowly."""
    return TrackState("RU-1", "RU", t_s, lon, lat, 31_000, 300, 0, callsign="FALCON21")


def test_a_notified_area_raises_an_incursion_alert_naming_the_notification() -> None:
    picture = Picture()
    change = picture.apply([message("US", 3, flight_notice(31.5, 43.3))])
    assert [v.id for v in change.added] == [volume_id(CH, "US-0003")] == ["US-0003@c0ffee00"]
    [volume] = picture.screener.volumes
    assert (volume.start_s, volume.end_s) == (START_S, END_S)
    assert round(volume.alt_lower_m / 0.3048) == 29_000

    events = picture.push([fighter(31.5, 43.3)])
    [event] = [e for e in events if e.change == "raised"]
    evidence = event.alert.evidence
    assert isinstance(evidence, Incursion)
    assert evidence.inside
    assert evidence.volume.properties.id == "US-0003@c0ffee00"
    assert evidence.volume.properties.party == "US"
    assert evidence.track.id == "RU-1"
    drawn = alert_out(event.alert, picture.mark_of(event.alert))
    assert drawn.kind == "incursion"
    assert drawn.mark == "REAL"
    assert "US-0003@c0ffee00" in drawn.text
    assert "notified by US" in drawn.text


def test_a_track_of_the_notifying_party_raises_nothing() -> None:
    picture = Picture()
    picture.apply([message("US", 3, flight_notice(31.5, 43.3))])
    own = TrackState("US-1", "US", START_S + 600, 31.5, 43.3, 31_000, 300, 0)
    assert picture.push([own]) == []


def test_outside_the_window_or_the_band_no_incursion() -> None:
    picture = Picture()
    picture.apply([message("US", 3, flight_notice(31.5, 43.3))])
    assert picture.push([fighter(31.5, 43.3, t_s=START_S - 3600)]) == []  # before the window
    low = TrackState("RU-2", "RU", START_S + 600, 31.5, 43.3, 10_000, 300, 0)
    assert [e for e in picture.push([low]) if e.alert.evidence.kind == "incursion"] == []


def test_an_amendment_moves_the_area_and_a_cancellation_removes_it() -> None:
    picture = Picture()
    picture.apply([message("US", 3, flight_notice(31.5, 43.3))])
    change = picture.apply([message("US", 4, amendment("US", 3, 33.0, 43.3))])
    assert change.removed == {"US-0003@c0ffee00"}
    assert [v.id for v in picture.screener.volumes] == ["US-0004@c0ffee00"]
    assert picture.push([fighter(31.5, 43.3)]) == []  # the old place is free now
    [raised] = picture.push([fighter(33.0, 43.3, START_S + 601)])
    assert isinstance(raised.alert.evidence, Incursion)
    assert raised.alert.evidence.volume.properties.id == "US-0004@c0ffee00"

    # A second amendment of the original replaces the first amendment's area.
    picture.apply([message("US", 5, amendment("US", 3, 34.0, 43.3))])
    assert [v.id for v in picture.screener.volumes] == ["US-0005@c0ffee00"]
    # Cancelling the original cancels the activity, whatever amended it since.
    change = picture.apply([message("US", 6, cancellation("US", 3))])
    assert change.removed == {"US-0005@c0ffee00"}
    assert picture.screener.volumes == []


def test_another_party_cannot_cancel_or_amend_a_notification() -> None:
    picture = Picture()
    picture.apply([message("US", 3, flight_notice(31.5, 43.3))])
    change = picture.apply(
        [message("RU", 7, cancellation("US", 3)), message("RU", 8, amendment("US", 3, 40, 40))]
    )
    assert change.removed == set()
    assert sorted(v.id for v in picture.screener.volumes) == [
        "RU-0008@c0ffee00",  # RU's amendment stands as RU's own notified area
        "US-0003@c0ffee00",
    ]


def test_the_same_message_number_in_two_channels_gives_two_volumes() -> None:
    picture = Picture()
    other = "abcdef12" + "0" * 56
    picture.apply(
        [
            message("US", 3, flight_notice(31.5, 43.3)),
            message("US", 3, flight_notice(35.0, 43.3), channel=other),
        ]
    )
    assert sorted(v.id for v in picture.screener.volumes) == [
        "US-0003@abcdef12",
        "US-0003@c0ffee00",
    ]


def test_test_traffic_never_feeds_the_engine_and_exercise_traffic_stays_exercise() -> None:
    picture = Picture()
    assert not picture.apply([message("US", 3, flight_notice(31.5, 43.3), mark="TEST")])
    assert picture.screener.volumes == []
    picture.apply([message("US", 4, flight_notice(31.5, 43.3), mark="EXERCISE")])
    [raised] = picture.push([fighter(31.5, 43.3)])
    assert picture.mark_of(raised.alert) == "EXERCISE"
    assert alert_out(raised.alert, picture.mark_of(raised.alert)).mark == "EXERCISE"


def test_undecodable_bodies_and_bare_positions_give_no_volume() -> None:
    picture = Picture()
    bad = NotifiedMessage(CH, "US", 3, "REAL", b"not json")
    incident = {
        "type": "incident_report",
        "version": "1.0",
        "category": "UNSAFE_INTERCEPT",
        "occurred_at": iso(START_S),
        "location": {"type": "Point", "coordinates": [31.45, 43.29]},
        "assets": [
            {"designation": "Su-27", "identifier": "FALCON21", "kind": "AIRCRAFT", "party": "RU"}
        ],
        "narrative": {"lang": "en", "text": "Close pass."},
    }
    assert not picture.apply([bad, message("US", 4, incident)])


def test_ended_volumes_are_forgotten() -> None:
    picture = Picture()
    picture.apply([message("US", 3, flight_notice(31.5, 43.3, end_s=START_S + 1800))])
    picture.apply([message("US", 4, flight_notice(35.0, 43.3))])
    picture.push([fighter(20.0, 43.3, t_s=START_S + 1801)])  # the clock passes the first end
    change = picture.apply([])
    assert change.removed == {"US-0003@c0ffee00"}
    assert [v.id for v in picture.screener.volumes] == ["US-0004@c0ffee00"]


# A model of what should be in force: each lineage (an original notification) is held by its
# latest notification: an amendment (which puts a cancelled activity back, as amended) or a
# cancellation (nothing).
Op = tuple[str, int]  # ("notify", 0) | ("amend", k-th original) | ("cancel", k-th original)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["notify", "amend", "cancel"]), st.integers(0, 4)),
        max_size=14,
    )
)
def test_volumes_in_force_follow_amendments_and_cancellations(ops: list[Op]) -> None:
    feed = NotifiedVolumes()
    originals: list[int] = []
    holder: dict[int, int | None] = {}  # original seq -> seq whose volumes stand (None: cancelled)
    for seq, (op, k) in enumerate(ops, start=1):
        if op == "notify" or not originals:
            body = flight_notice(30 + seq * 0.5, 43.0)
            originals.append(seq)
            holder[seq] = seq
        else:
            target = originals[k % len(originals)]
            if op == "amend":
                body = amendment("US", target, 30 + seq * 0.5, 44.0)
                holder[target] = seq  # even after a cancellation: screening errs on the safe side
            else:
                body = cancellation("US", target)
                holder[target] = None
        feed.apply([message("US", seq, body)])
    expected = sorted(volume_id(CH, f"US-{s:04d}") for s in holder.values() if s is not None)
    assert sorted(v.id for v in feed.volumes()) == expected
