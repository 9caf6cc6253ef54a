"""Party rules: explicit ids, callsigns, ICAO address blocks, MMSI MIDs, default."""

from __future__ import annotations

import pytest

from hotline.feeds.errors import PartyRulesError
from hotline.feeds.parties import PartyRules, mid_of

RULES = PartyRules.from_toml("""
default = "neutral"

[parties.US]
icao24_countries = ["US"]
mmsi_countries = ["US"]
callsigns = ["RCH", "REACH"]

[parties.FR]
icao24 = ["380000-3BFFFF"]
callsigns = ["FAF"]

[parties.UN]
ids = ["ae1234", "UN-CONVOY-1"]
""")


@pytest.mark.parametrize(
    ("track_id", "kw", "party"),
    [
        ("ae1234", {"icao24": 0xAE1234}, "UN"),  # explicit id beats the address block
        ("UN-convoy-1", {}, "UN"),  # ids are compared without case
        ("ae0001", {"icao24": 0xAE0001}, "US"),
        ("3b7777", {"icao24": 0x3B7777}, "FR"),
        ("4b1806", {"icao24": 0x4B1806, "callsign": "rch801"}, "US"),  # callsign beats address
        ("3b7777", {"icao24": 0x3B7777, "callsign": "REACH12"}, "US"),
        ("366123450", {"mmsi": 366123450}, "US"),
        ("111366001", {"mmsi": 111366001}, "US"),  # SAR aircraft: 111 MID xxx
        ("4b1806", {"icao24": 0x4B1806}, "neutral"),
    ],
)
def test_rules_from_the_most_specific(track_id: str, kw: dict[str, object], party: str) -> None:
    assert RULES.party_of(track_id, **kw) == party  # type: ignore[arg-type]


def test_without_rules_everything_is_unknown() -> None:
    assert PartyRules().party_of("ae0001", icao24=0xAE0001) == "unknown"


@pytest.mark.parametrize(
    ("mmsi", "mid"),
    [
        (211234560, 211),  # a ship
        (111366001, 366),  # a SAR aircraft: 111 MID xxx
        (982110001, 211),  # a craft of a parent ship: 98 MID xxxx
        (2111234, 211),  # a coast station: 00 MID xxxx
        (21112345, 211),  # a group of ships: 0 MID xxxxx
        (970123456, None),  # a SART: no nationality
        (5, None),
    ],
)
def test_maritime_identification_digits(mmsi: int, mid: int | None) -> None:
    assert mid_of(mmsi) == mid


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("default = 5", "'default' must be"),
        ("colour = 'red'", "unknown key 'colour'"),
        ("[parties.US]\nicao24 = ['XYZ']", "must be hex"),
        ("[parties.US]\nicao24 = ['FFFFFF-000000']", "not within"),
        ("[parties.US]\nicao24_countries = ['XX']", "no ICAO address block"),
        ("[parties.US]\nmmsi_mids = [999]", "outside 201..775"),
        ("[parties.US]\nmmsi_countries = ['XX']", "no MID known"),
        ("[parties.US]\nids = ['a']\n[parties.RU]\nids = ['A']", "already claimed by party 'US'"),
        ("[parties.US]\nships = []", "unknown key 'ships'"),
        ("[parties.US]\nids = 'a'", "list of non-empty strings"),
        ("not toml [", "not valid TOML"),
    ],
)
def test_bad_rules_say_what_to_fix(text: str, words: str) -> None:
    with pytest.raises(PartyRulesError, match=words.replace("[", r"\[")):
        PartyRules.from_toml(text)
