"""CSV, JSON Lines, GeoJSON and recorded ADS-B (the traffic library's JSON), and reading any
track file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from hotline.engine.tracks import Domain
from hotline.feeds.errors import FeedFormatError
from hotline.feeds.files import TrackFormat, read_tracks, sniff
from hotline.feeds.parties import PartyRules
from hotline.feeds.tabular import (
    decode_csv,
    decode_geojson,
    decode_jsonl,
    decode_recording,
    parse_time,
)
from hotline.testing.data import shared_data

HEADER = "id,party,time,lon,lat,alt_ft,speed_kt,course_deg,vrate_fpm"


def test_csv_with_iso_and_epoch_times() -> None:
    text = (
        f"{HEADER}\n"
        "RU1,RU,2026-11-26T06:00:00Z,30.0,44.0,30000,450,90,0\n"
        "UA1,UA,1795672800,31.0,44.0,30000,450,270,-500\n"
    )
    result = decode_csv(text)
    assert result.problems == []
    ru, ua = result.states
    assert ru.time_s == ua.time_s == 1795672800.0
    assert (ua.party, ua.lon, ua.vrate_fpm, ua.course_deg) == ("UA", 31.0, -500.0, 270.0)


def test_csv_columns_in_any_order_with_domain_and_callsign() -> None:
    text = (
        "party,id,lon,lat,time,alt_ft,speed_kt,course_deg,vrate_fpm,domain,callsign\n"
        ",211234560,10,54,0,0,12,45,0,sea,HOTLINE\n"
    )
    rules = PartyRules.from_toml('[parties.DE]\nmmsi_countries = ["DE"]\n')
    (ship,) = decode_csv(text, rules).states
    assert (ship.party, ship.domain, ship.callsign) == ("DE", Domain.SEA, "HOTLINE")


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("RU1,RU,yesterday,30,44,30000,450,90,0", "neither ISO 8601"),
        ("RU1,RU,2026-11-26T06:00:00,30,44,30000,450,90,0", "UTC"),
        ("RU1,RU,0,30,44,30000,fast,90,0", "speed_kt"),
        ("RU1,RU,0,30,44,30000,450,90", "8 fields"),
        ("RU1,RU,0,200,44,30000,450,90,0", "outside -180..180"),
        (",RU,0,30,44,30000,450,90,0", "id is missing"),
        ("RU1,RU,0,30,44,30000,-4,90,0", "negative"),
        ("RU1,RU,0,30,nan,30000,4,90,0", "finite"),
        ("", "empty line"),
    ],
)
def test_csv_bad_rows_are_reported_with_their_line(row: str, words: str) -> None:
    text = f"{HEADER}\nA,X,0,1,1,0,0,0,0\n{row}\nB,X,0,1,1,0,0,0,0\n"
    result = decode_csv(text)
    assert len(result.states) == 2
    (problem,) = result.problems
    assert problem.line == 3
    assert words in problem.reason


@pytest.mark.parametrize(
    ("header", "words"),
    [("id,party,time,lon,lat", "lacks alt_ft"), (f"{HEADER},colour", "unknown 'colour'")],
)
def test_csv_header_must_be_right(header: str, words: str) -> None:
    result = decode_csv(f"{header}\n")
    assert result.states == []
    assert words in result.problems[0].reason


def test_json_lines_and_geojson() -> None:
    record = {
        "id": "A",
        "party": "X",
        "time": "2026-11-26T06:00:00Z",
        "lon": 1.0,
        "lat": 2.0,
        "alt_ft": 100,
        "speed_kt": 10,
        "course_deg": 370,
        "vrate_fpm": 0,
    }
    result = decode_jsonl([json.dumps(record), "{not json", "[1]", ""])
    assert len(result.states) == 1
    assert result.states[0].course_deg == 10.0
    assert [(p.line, p.reason.split(" (")[0]) for p in result.problems] == [
        (2, "not JSON"),
        (3, "not a JSON object"),
        (4, "empty line"),
    ]
    props = {k: v for k, v in record.items() if k not in ("lon", "lat")}
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [1.0, 2.0]},
                "properties": props,
            },
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
                "properties": props,
            },
        ],
    }
    result = decode_geojson(collection)
    assert [(s.lon, s.lat) for s in result.states] == [(1.0, 2.0)]
    assert "Point" in result.problems[0].reason


def test_the_swiss_recording() -> None:
    """842 aircraft over Switzerland on 2018-08-01: every record with a position becomes a
    state once the aircraft's velocity is known; parties from the ICAO address blocks."""
    rules = PartyRules.from_toml(
        '[parties.CH]\nicao24_countries = ["CH"]\n[parties.DE]\nicao24_countries = ["DE"]\n'
    )
    result = read_tracks(shared_data("switzerland.json.gz"), rules)
    assert result.problems == []
    assert len(result.states) == 139_098
    assert len({s.id for s in result.states}) == 842
    assert {s.party for s in result.states} == {"CH", "DE", "unknown"}
    assert all(s.id.startswith("4b") for s in result.states if s.party == "CH")
    first = min(s.time_s for s in result.states)
    assert first == parse_time("2018-08-01T05:00:00Z") + (first % 3600)


@pytest.mark.parametrize(
    ("name", "callsign_prefix"),
    [
        ("aircraft_carrier.json.gz", ""),
        ("inflight_refuelling.json.gz", "FAF"),
        ("noisy_spoofing.json.gz", "THY"),
    ],
)
def test_the_military_and_spoofing_samples(name: str, callsign_prefix: str) -> None:
    result = read_tracks(shared_data(name))
    assert result.problems == []
    assert len(result.states) > 1_000
    assert all(s.callsign.startswith(callsign_prefix) for s in result.states if s.callsign)
    times = [s.time_s for s in result.states]
    assert times == sorted(times)


def test_recording_errors_are_numbered() -> None:
    records = [
        {"timestamp": 0, "icao24": "zzzzzz", "latitude": 1, "longitude": 2},
        {"timestamp": "soon", "icao24": "4b1806"},
        {"timestamp": 0, "icao24": "4b1806", "altitude": "high"},
    ]
    result = decode_recording(records)
    assert [p.line for p in result.problems] == [1, 2, 3]
    assert decode_recording({"what": 1}).problems[0].reason.startswith("not a recording")


def test_formats_are_recognised(tmp_path: Path) -> None:
    assert sniff("x.csv", b"") == TrackFormat.CSV
    assert sniff("feed.txt", b"MSG,3,1,1,4B1806") == TrackFormat.SBS
    assert sniff("feed.txt", b"\n!AIVDM,1,1,,A,...") == TrackFormat.AIS
    assert sniff("feed.txt", b'<?xml version="1.0"?><event/>') == TrackFormat.COT
    assert sniff("x.json", b'{"type": "FeatureCollection", "features": []}') == TrackFormat.GEOJSON
    assert sniff("x.json", b'{"id": "a"}\n{"id": "b"}\n') == TrackFormat.JSONL
    assert sniff("x.json", b'[{"timestamp": 1, "icao24": "4b1806"}]') == TrackFormat.RECORDING
    assert sniff("x.txt", f"{HEADER}\n".encode()) == TrackFormat.CSV
    with pytest.raises(FeedFormatError, match="cannot tell"):
        sniff("x.bin", b"\x00\x01")
    path = tmp_path / "tracks.csv.gz"
    path.write_bytes(gzip.compress(f"{HEADER}\nA,X,0,1,1,0,0,0,0\n".encode()))
    assert len(read_tracks(path).states) == 1
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"\x1f\x8b\x08garbage")
    with pytest.raises(FeedFormatError, match="gzip"):
        read_tracks(broken)
    with pytest.raises(FeedFormatError, match="cannot be read"):
        read_tracks(tmp_path / "missing.csv")
