"""Cursor-on-Target: events decoded; hostile XML refused, never expanded."""

from __future__ import annotations

import pytest

from hotline.engine.tracks import Domain
from hotline.feeds.cot import decode_cot
from hotline.feeds.parties import PartyRules

EVENT = """<event version="2.0" uid="{uid}" type="{kind}" how="m-g"
 time="2026-11-26T06:00:00Z" start="2026-11-26T06:00:00Z" stale="2026-11-26T06:01:00Z">
 <point lat="44.91" lon="31.52" hae="3048" ce="50" le="30"/>
 <detail><track course="270" speed="41.2"/><contact callsign="GERAN-17"/></detail>
</event>"""


def test_a_stream_of_events() -> None:
    stream = '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(
        [
            EVENT.format(uid="RU-UAV-17", kind="a-h-A-M-F-Q"),
            EVENT.format(uid="BOAT-1", kind="a-f-S-X-M"),
            EVENT.format(uid="MAP-NOTE", kind="b-m-p-s-m"),
        ]
    )
    rules = PartyRules.from_toml('[parties.RU]\ncallsigns = ["GERAN"]\n')
    result = decode_cot(stream, rules)
    assert result.problems == []
    drone, boat = result.states
    assert (drone.id, drone.party, drone.domain) == ("RU-UAV-17", "RU", Domain.AIR)
    assert drone.alt_ft == pytest.approx(10_000.0)
    assert drone.speed_kt == pytest.approx(41.2 * 3600 / 1852)
    assert (drone.lon, drone.lat, drone.course_deg) == (31.52, 44.91, 270.0)
    assert drone.time_s == 1795672800.0
    assert (boat.domain, boat.alt_ft) == (Domain.SEA, 0.0)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<event version="2.0" uid="&lol3;" type="a-h-A" time="2026-11-26T06:00:00Z">
 <point lat="1" lon="2" hae="0"/></event>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE event [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<event version="2.0" uid="&secret;" type="a-h-A" time="2026-11-26T06:00:00Z">
 <point lat="1" lon="2" hae="0"/></event>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL])
def test_entities_are_refused_not_expanded(document: str) -> None:
    result = decode_cot(document)
    assert result.states == []
    assert any("DTD or entity" in p.reason for p in result.problems)
    assert all("lol" not in str(p) and "root:" not in str(p) for p in result.problems)


def test_an_inline_dtd_inside_an_event_is_refused() -> None:
    event = '<event uid="x"><!DOCTYPE x [<!ENTITY a "b">]><point lat="1" lon="2"/></event>'
    result = decode_cot(event)
    assert result.states == []
    assert result.problems


@pytest.mark.parametrize(
    ("event", "words"),
    [
        ('<event uid="a" type="a-h-A" time="2026-11-26T06:00:00Z"></event>', "no <point>"),
        (
            '<event type="a-h-A" time="2026-11-26T06:00:00Z"><point lat="1" lon="2"/></event>',
            "no uid",
        ),
        ('<event uid="a" type="a-h-A"><point lat="1" lon="2"/></event>', "no time"),
        (
            '<event uid="a" type="a-h-A" time="2026-11-26T06:00:00">'
            '<point lat="1" lon="2"/></event>',
            "UTC",
        ),
        (
            '<event uid="a" type="a-h-A" time="2026-11-26T06:00:00Z">'
            '<point lat="x" lon="2"/></event>',
            "not a number",
        ),
        (
            '<event uid="a" type="a-h-A" time="2026-11-26T06:00:00Z"><point lat="1"/></event>',
            "no lon",
        ),
        (
            '<event uid="a" type="a-h-A" time="2026-11-26T06:00:00Z"><point lat="99" lon="2"/>'
            "</event>",
            "outside -90..90",
        ),
        ('<event uid="a"><point lat="1" lon="2"></event>', "malformed XML"),
    ],
)
def test_bad_events_are_reported_with_their_line(event: str, words: str) -> None:
    good = EVENT.format(uid="A", kind="a-f-A")
    result = decode_cot(f"{good}\n{event}\n{good}")
    assert len(result.states) == 2
    (problem,) = result.problems
    assert problem.line == good.count("\n") + 2
    assert words in problem.reason


def test_stray_text_is_reported() -> None:
    result = decode_cot("hello\n" + EVENT.format(uid="A", kind="a-f-A"))
    assert len(result.states) == 1
    assert result.problems[0].line == 1
