"""AIS NMEA through pyais: real sentences, multi-part messages, and every kind of bad line
reported with its number, never raised."""

from __future__ import annotations

from collections import Counter

import pytest
from pyais.encode import encode_dict

from hotline.engine.tracks import Domain
from hotline.feeds.ais import decode_ais
from hotline.feeds.parties import PartyRules
from hotline.testing.data import shared_data

T = 1_800_000_000.0
# The second fragment of a two-part message whose first fragment never came.
ORPHAN = encode_dict({"type": 5, "mmsi": 211234560, "shipname": "X"}, talker_id="AI", seq_id=7)[1]


def test_the_real_sample() -> None:
    """897 recorded sentences: 758 positions decode; the rest are reported line by line."""
    lines = shared_data("ais_nmea_sample.txt").read_bytes().splitlines()
    result = decode_ais(lines, receive_time_s=T)
    assert len(result.states) == 758
    reasons = Counter(p.reason.split(":")[0] for p in result.problems)
    assert reasons == {
        "empty AIS payload": 100,
        "multi-part message incomplete": 20,  # the sample has first fragments only
        "MMSI 247120860": 4,  # position unavailable
    }
    first = result.problems[0]
    assert (first.line, first.source) == (4, "AIS")
    assert "line 4" in str(first)
    ship = result.states[0]
    assert (ship.id, ship.lon, ship.lat, ship.speed_kt, ship.course_deg) == (
        "235070716",
        20.760008,
        36.910433,
        14.6,
        156.1,
    )
    assert ship.domain == Domain.SEA
    assert ship.alt_ft == 0.0
    assert ship.time_s == T


def test_multi_part_static_message_names_the_ship_and_parties_come_from_mids() -> None:
    static = encode_dict(
        {"type": 5, "mmsi": 211234560, "shipname": "HOTLINE TEST", "callsign": "DHTL"},
        talker_id="AI",
        seq_id=3,
    )
    position = encode_dict(
        {"type": 1, "mmsi": 211234560, "lat": 54.5, "lon": 10.2, "speed": 12.3, "course": 45.0},
        talker_id="AI",
    )
    assert len(static) == 2
    rules = PartyRules.from_toml('[parties.DE]\nmmsi_countries = ["DE"]\n')
    result = decode_ais([*static, *position], rules, receive_time_s=T)
    assert result.problems == []
    (ship,) = result.states
    assert (ship.party, ship.callsign) == ("DE", "HOTLINE TEST")
    assert (ship.lon, ship.lat) == pytest.approx((10.2, 54.5), abs=1e-4)


def test_sar_aircraft_fly() -> None:
    sar = encode_dict(
        {
            "type": 9,
            "mmsi": 111211001,
            "lat": 54.6,
            "lon": 10.3,
            "speed": 120,
            "course": 90.0,
            "alt": 300,
        },
        talker_id="AI",
    )
    (plane,) = decode_ais(sar, receive_time_s=T).states
    assert plane.domain == Domain.AIR
    assert plane.alt_ft == pytest.approx(300 / 0.3048)


def test_tag_block_time_wins_over_the_receive_time() -> None:
    sentence = "!AIVDM,1,1,,A,33P;Tw0tjBQO22:E7dm66DrB20UP,0*2E"
    body = "c:1533101250"
    checksum = 0
    for char in body:
        checksum ^= ord(char)
    tagged = f"\\{body}*{checksum:02X}\\{sentence}"
    (state,) = decode_ais([tagged], receive_time_s=T).states
    assert state.time_s == 1533101250.0


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("", "empty line"),
        ("   ", "empty line"),
        ("garbage", "not an AIS NMEA sentence"),
        ("!AIVDM,1,1,,A,33P;Tw0tjBQO22:E7dm66DrB20UP,0*2F", "checksum"),
        (ORPHAN, "without the fragments before it"),
        ("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47", "not an AIS"),
        ("!AIVDM,1,1,,B,,0*25", "empty AIS payload"),
        ("\x00\xff!AIVDM", "not an AIS NMEA sentence"),
    ],
)
def test_bad_lines_are_reported_with_their_number(line: str, words: str) -> None:
    good = "!AIVDM,1,1,,A,33P;Tw0tjBQO22:E7dm66DrB20UP,0*2E"
    result = decode_ais([good, line, good], receive_time_s=T)
    assert len(result.states) == 2
    (problem,) = result.problems
    assert problem.line == 2
    assert words in problem.reason


def test_without_any_time_the_sentence_is_reported() -> None:
    result = decode_ais(["!AIVDM,1,1,,A,33P;Tw0tjBQO22:E7dm66DrB20UP,0*2E"])
    assert result.states == []
    assert "no time" in result.problems[0].reason
