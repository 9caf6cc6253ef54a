"""The scenario format: the built-in file loads, bad files say what is wrong, tracks fly their
legs, and the engine's evidence becomes a proximity alert the catalogue accepts."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hotline.catalogue import decode_body
from hotline.demo.player import proximity_alert
from hotline.demo.scenario import ScenarioError, ScenarioTrack, load_scenario
from hotline.engine import CloseApproach, Incursion, TrackState
from hotline.node.picture import Picture
from hotline.node.volume_feed import NotifiedMessage


def test_the_built_in_scenario_is_labelled_synthetic_and_names_its_steps() -> None:
    scenario = load_scenario()
    assert scenario.synthetic is True
    assert [s.do for s in scenario.steps][:6] == [
        "send",
        "send",
        "alert",
        "ack",
        "reply",
        "incursion",
    ]
    assert {t.party for t in scenario.tracks} == set(scenario.parties)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not json", "is not JSON"),
        ('{"title": "x"}', "synthetic: Field required"),
    ],
)
def test_a_bad_scenario_file_is_one_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=expected) as caught:
        load_scenario(path)
    assert str(path) in str(caught.value)


def test_an_unknown_party_in_a_step_is_refused(tmp_path: Path) -> None:
    scenario = json.loads(load_scenario().model_dump_json())
    scenario["steps"][0]["party"] = "FR"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario))
    with pytest.raises(ScenarioError, match=r"\['FR'\] are not in parties"):
        load_scenario(path)


def test_a_track_flies_its_legs_with_the_course_and_speed_they_imply() -> None:
    track = ScenarioTrack.model_validate(
        {
            "id": "A",
            "party": "US",
            "feeds": ["US"],
            "waypoints": [
                {"t_s": 0, "lon": 0.0, "lat": 0.0},
                {"t_s": 3600, "lon": 0.0, "lat": 1.0},  # 60 NM north in an hour
            ],
        }
    )
    state = track.state_at(1800, epoch_s=1000.0)
    assert state is not None
    assert (state.time_s, state.lon, state.lat) == (2800.0, 0.0, 0.5)
    assert state.speed_kt == pytest.approx(60.0)
    assert state.course_deg == pytest.approx(0.0)
    assert track.state_at(3601, epoch_s=0) is None


def test_the_engines_close_approach_becomes_a_valid_proximity_alert() -> None:
    picture = Picture()
    t_s = 1_795_000_000.0
    picture.push(
        [
            TrackState("US-1", "US", t_s, 31.0, 43.3, 31_000, 420, 90),
            TrackState("RU-1", "RU", t_s, 31.5, 43.3, 31_400, 480, 270),
        ]
    )
    [alert] = picture.alerts()
    assert isinstance(alert.evidence, CloseApproach)
    body = proximity_alert(json.loads(alert.evidence.model_dump_json()))
    notification = decode_body(json.dumps(body).encode())
    assert notification.type == "proximity_alert"
    assert [a.party for a in notification.assets] == ["US", "RU"]  # type: ignore[attr-defined]


def _timed(value: object, epoch_s: float) -> object:
    """The player's ``"T+SECONDS"`` substitution, for the scenario's bodies."""
    if isinstance(value, str) and value.startswith("T+"):
        moment = datetime.fromtimestamp(epoch_s + float(value[2:]), UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return {k: _timed(v, epoch_s) for k, v in value.items()}
    if isinstance(value, list):
        return [_timed(v, epoch_s) for v in value]
    return value


def test_the_built_in_scenario_flies_tracks_into_notified_areas() -> None:
    """Played through an engine fed with its notifications (each sender's own engine view),
    the scenario raises incursions both ways: RU fighters into the US corridor, the US flight
    into RU's training area; every alert is marked EXERCISE, as the scenario's traffic is."""
    scenario = load_scenario()
    epoch_s = 1_795_000_000.0
    picture = Picture()
    seq = {party: 0 for party in scenario.parties}
    messages = []
    for step in scenario.steps:
        if step.do == "send" and step.body is not None and step.body["type"] == "flight_notice":
            seq[step.party] += 1
            body = json.dumps(_timed(step.body, epoch_s)).encode()
            messages.append(
                NotifiedMessage("00" * 32, step.party, seq[step.party], "EXERCISE", body)
            )
    assert len(picture.apply(messages).added) == 2
    found: set[tuple[str, str]] = set()
    for t_s in range(0, int(scenario.duration_s) + 1, int(scenario.feed_interval_s)):
        states = [s for t in scenario.tracks if (s := t.state_at(t_s, epoch_s)) is not None]
        for event in picture.push(states):
            evidence = event.alert.evidence
            if isinstance(evidence, Incursion):
                found.add((evidence.track.id, evidence.volume.properties.party))
                assert picture.mark_of(event.alert) == "EXERCISE"
    assert ("US-OLIVE11", "RU") in found
    assert ("RU-TRK-0412", "US") in found
