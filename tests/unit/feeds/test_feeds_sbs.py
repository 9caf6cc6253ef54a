"""SBS/BaseStation lines (dump1090 port 30003)."""

from __future__ import annotations

import pytest

from hotline.feeds.parties import PartyRules
from hotline.feeds.sbs import decode_sbs


def msg(kind: int, address: str, time: str, **fields: str) -> str:
    cells = [
        "MSG",
        str(kind),
        "1",
        "1",
        address,
        "1",
        "2018/08/01",
        time,
        "2018/08/01",
        time,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "0",
        "0",
        "0",
        "0",
    ]
    names = {
        "callsign": 10,
        "alt": 11,
        "gs": 12,
        "track": 13,
        "lat": 14,
        "lon": 15,
        "vrate": 16,
        "ground": 21,
    }
    for name, value in fields.items():
        cells[names[name]] = value
    return ",".join(cells)


def test_position_and_velocity_make_a_state() -> None:
    rules = PartyRules.from_toml('[parties.CH]\nicao24_countries = ["CH"]\n')
    lines = [
        msg(1, "4B1806", "05:00:00.000", callsign="SWR123  "),
        msg(3, "4B1806", "05:00:00.500", alt="34975", lat="45.8189", lon="9.2295"),  # no velocity
        msg(4, "4B1806", "05:00:01.000", gs="443.5", track="324.3", vrate="960"),
        msg(3, "4B1806", "05:00:02.000", alt="35000", lat="45.8200", lon="9.2280"),
    ]
    result = decode_sbs(lines, rules)
    assert result.problems == []
    (state,) = result.states
    assert (state.id, state.party, state.callsign) == ("4b1806", "CH", "SWR123")
    assert (state.lon, state.lat, state.alt_ft) == (9.228, 45.82, 35000.0)
    assert (state.speed_kt, state.course_deg, state.vrate_fpm) == (443.5, 324.3, 960.0)
    assert state.time_s == 1533099602.0  # 2018-08-01T05:00:02Z


def test_old_velocity_is_not_used() -> None:
    lines = [
        msg(4, "4B1806", "05:00:00.000", gs="443.5", track="324.3"),
        msg(3, "4B1806", "05:02:00.000", alt="35000", lat="45.82", lon="9.228"),
    ]
    assert decode_sbs(lines).states == []


def test_status_messages_are_not_problems() -> None:
    assert decode_sbs(["STA,,5,179,400AE7,10103,2008/11/28,14:58:51.153,,,,RM"]).problems == []


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("", "empty line"),
        ("hello world", "not an SBS message"),
        ("MSG,3,1,1,4B1806", "22 fields"),
        (msg(3, "XYZ123", "05:00:00.000", lat="1", lon="2"), "not hexadecimal"),
        (msg(3, "4B1806", "25:99:00.000", lat="1", lon="2"), "date/time"),
        (msg(4, "4B1806", "05:00:00.000", gs="fast", track="1"), "could not convert"),
        (msg(3, "4B1806", "05:00:00.000"), "without latitude and longitude"),
        (msg(4, "4B1806", "05:00:00.000", gs="nan", track="1"), "not a finite number"),
    ],
)
def test_bad_lines_are_reported_with_their_number(line: str, words: str) -> None:
    result = decode_sbs([msg(1, "4B1806", "05:00:00.000"), line])
    (problem,) = result.problems
    assert problem.line == 2
    assert words in problem.reason


def test_a_position_out_of_range_is_a_problem_not_a_crash() -> None:
    lines = [
        msg(4, "4B1806", "05:00:00.000", gs="400", track="10", alt="30000"),
        msg(3, "4B1806", "05:00:01.000", lat="95.0", lon="9.0"),
    ]
    result = decode_sbs(lines)
    assert result.states == []
    assert "outside -90..90" in result.problems[0].reason
