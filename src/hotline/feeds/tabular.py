"""Tracks as tables: CSV, GeoJSON points, JSON Lines, and recorded ADS-B in the JSON of the
``traffic`` library (OpenSky recordings).

CSV has the header ``id,party,time,lon,lat,alt_ft,speed_kt,course_deg,vrate_fpm`` (any order;
optional ``domain`` (air/sea) and ``callsign``). JSON Lines has one object per line with the
same members; GeoJSON has Point features ``[lon, lat]`` with the others as properties. ``time``
is ISO 8601 UTC (``2026-11-26T06:00:00Z``) or seconds since 1970-01-01 UTC. An empty ``party``
is assigned by the party rules.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from hotline.engine.errors import TrackInputError
from hotline.engine.tracks import Domain, TrackState
from hotline.feeds.parties import PartyRules
from hotline.feeds.result import FeedResult

REQUIRED = ("id", "party", "time", "lon", "lat", "alt_ft", "speed_kt", "course_deg", "vrate_fpm")
OPTIONAL = ("domain", "callsign")
RECORD_VELOCITY_MAX_AGE_S = 60.0


def parse_time(value: object) -> float:
    """Seconds since 1970-01-01 UTC from epoch seconds or an ISO 8601 UTC time."""
    if isinstance(value, bool):
        raise ValueError("time must be ISO 8601 UTC or epoch seconds, not true/false")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            seconds = float(text)
        except ValueError:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(
                    f"time {text!r} is neither ISO 8601 (2026-11-26T06:00:00Z) nor epoch seconds"
                ) from None
            if moment.utcoffset() is None:
                raise ValueError(f"time {text!r} does not say it is UTC (end it with Z)") from None
            seconds = moment.timestamp()
    else:
        raise ValueError("time must be ISO 8601 UTC or epoch seconds")
    if not math.isfinite(seconds):
        raise ValueError("time must be finite")
    return seconds


def _number(record: Mapping[str, object], name: str) -> float:
    value = record.get(name)
    if isinstance(value, str):
        try:
            value = float(value) if value.strip() else None
        except ValueError:
            raise ValueError(f"{name} {value!r} is not a number") from None
    if value is None:
        raise ValueError(f"{name} is missing")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number")
    return float(value)


def _identity(track_id: str) -> tuple[int | None, int | None]:
    """(icao24, mmsi) if the id looks like one."""
    text = track_id.strip()
    if len(text) == 6:
        try:
            return int(text, 16), None
        except ValueError:
            return None, None
    if len(text) == 9 and text.isdigit():
        return None, int(text)
    return None, None


def state_from_record(record: Mapping[str, object], rules: PartyRules, source: str) -> TrackState:
    """A state from one record with the CSV columns as members (raises ValueError /
    TrackInputError with a message naming the member)."""
    track_id = record.get("id")
    if isinstance(track_id, int) and not isinstance(track_id, bool):
        track_id = str(track_id)
    if not isinstance(track_id, str) or not track_id.strip():
        raise ValueError("id is missing or empty")
    party = record.get("party")
    if party is not None and not isinstance(party, str):
        raise ValueError("party must be a string")
    callsign = record.get("callsign") or ""
    if not isinstance(callsign, str):
        raise ValueError("callsign must be a string")
    domain_text = record.get("domain") or "air"
    try:
        domain = Domain(str(domain_text).strip().lower())
    except ValueError:
        raise ValueError(f"domain {domain_text!r} must be 'air' or 'sea'") from None
    icao24, mmsi = _identity(track_id)
    if not party or not party.strip():
        party = rules.party_of(track_id, callsign=callsign, icao24=icao24, mmsi=mmsi)
    return TrackState(
        id=track_id.strip(),
        party=party.strip(),
        time_s=parse_time(record.get("time")),
        lon=_number(record, "lon"),
        lat=_number(record, "lat"),
        alt_ft=_number(record, "alt_ft"),
        speed_kt=_number(record, "speed_kt"),
        course_deg=_number(record, "course_deg") % 360.0,
        vrate_fpm=_number(record, "vrate_fpm"),
        domain=domain,
        callsign=callsign.strip(),
        source=source,
    )


def decode_csv(text: str, rules: PartyRules | None = None, source: str = "CSV") -> FeedResult:
    """Decode a CSV track file (header required)."""
    rules = rules or PartyRules()
    result = FeedResult(source)
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    for row in reader:
        line = reader.line_num
        result.lines = line
        if header is None:
            header = [h.strip() for h in row]
            missing = [c for c in REQUIRED if c not in header]
            unknown = [c for c in header if c not in REQUIRED and c not in OPTIONAL]
            if missing or unknown:
                what = f"lacks {', '.join(missing)}" if missing else f"has unknown {unknown[0]!r}"
                result.problem(
                    line, f"the header {what}; it must be {','.join(REQUIRED)} (+ domain, callsign)"
                )
                return result
            continue
        if not any(cell.strip() for cell in row):
            result.problem(line, "empty line")
            continue
        if len(row) != len(header):
            result.problem(line, f"{len(row)} fields where the header has {len(header)}")
            continue
        try:
            result.states.append(
                state_from_record(dict(zip(header, row, strict=True)), rules, "csv")
            )
        except (ValueError, TrackInputError) as exc:
            result.problem(line, str(exc))
    if header is None:
        result.problem(1, f"no header: a CSV track file starts with {','.join(REQUIRED)}")
    return result


def decode_jsonl(
    lines: Iterable[str], rules: PartyRules | None = None, source: str = "JSON Lines"
) -> FeedResult:
    """Decode JSON Lines: one object per line with the CSV columns as members."""
    rules = rules or PartyRules()
    result = FeedResult(source)
    for number, line in enumerate(lines, start=1):
        result.lines = number
        if not line.strip():
            result.problem(number, "empty line")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.problem(number, f"not JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            result.problem(number, "not a JSON object")
            continue
        try:
            result.states.append(state_from_record(record, rules, "jsonl"))
        except (ValueError, TrackInputError) as exc:
            result.problem(number, str(exc))
    return result


def decode_geojson(
    data: object, rules: PartyRules | None = None, source: str = "GeoJSON"
) -> FeedResult:
    """Decode a GeoJSON FeatureCollection of Point features (one per state); problems are
    numbered by feature (1-based)."""
    rules = rules or PartyRules()
    result = FeedResult(source)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        result.problem(1, "not a GeoJSON FeatureCollection with a 'features' array")
        return result
    for number, feature in enumerate(features, start=1):
        result.lines = number
        try:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise ValueError("not a GeoJSON Feature")
            geometry, props = feature.get("geometry"), feature.get("properties")
            if not isinstance(geometry, dict) or geometry.get("type") != "Point":
                raise ValueError("a track feature needs a Point geometry")
            coords = geometry.get("coordinates")
            if not isinstance(coords, list) or len(coords) not in (2, 3):
                raise ValueError("Point coordinates must be [lon, lat]")
            if not isinstance(props, dict):
                raise ValueError("the feature has no properties")
            record = {**props, "lon": coords[0], "lat": coords[1]}
            result.states.append(state_from_record(record, rules, "geojson"))
        except (ValueError, TrackInputError) as exc:
            result.problem(number, f"feature {number}: {exc}")
    return result


@dataclass
class _Last:
    callsign: str = ""
    alt_ft: float | None = None
    speed_kt: float | None = None
    course_deg: float | None = None
    vrate_fpm: float = 0.0
    velocity_time_s: float = -math.inf


def _records_of(data: object) -> list[Mapping[str, object]] | None:
    if isinstance(data, list):
        return [r for r in data if isinstance(r, dict)] if data else []
    if isinstance(data, dict) and "timestamp" in data and isinstance(data["timestamp"], dict):
        columns = {k: v for k, v in data.items() if isinstance(v, dict)}
        keys = list(columns["timestamp"])
        return [{name: col.get(key) for name, col in columns.items()} for key in keys]
    return None


def _optional(record: Mapping[str, object], name: str) -> float | None:
    value = record.get(name)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    raise ValueError(f"{name} {value!r} is not a number")


def decode_recording(
    data: object, rules: PartyRules | None = None, source: str = "recording"
) -> FeedResult:
    """Decode recorded ADS-B in the JSON of the ``traffic`` library: records with
    ``timestamp`` (ms), ``icao24``, ``callsign``, ``latitude``, ``longitude``, ``altitude`` (ft),
    ``groundspeed`` (kt), ``track`` (deg), ``vertical_rate`` (ft/min), as a list of records or
    as columns. Like a receiver, it carries the latest altitude and velocity of each aircraft
    forward to its next position (for up to 60 s); records are numbered from 1."""
    rules = rules or PartyRules()
    result = FeedResult(source)
    records = _records_of(data)
    if records is None:
        result.problem(1, "not a recording: expected a list of records or columns of values")
        return result
    result.lines = len(records)
    keyed = []
    for number, record in enumerate(records, start=1):
        try:
            keyed.append((str(record.get("icao24") or ""), _number(record, "timestamp"), number))
        except ValueError as exc:
            result.problem(number, str(exc))
    keyed.sort()
    last: dict[str, _Last] = {}
    for icao24_text, stamp, number in keyed:
        record = records[number - 1]
        try:
            icao24 = int(icao24_text, 16)
            if len(icao24_text) != 6:
                raise ValueError
        except ValueError:
            result.problem(number, f"icao24 {icao24_text!r} is not 6 hexadecimal digits")
            continue
        try:
            time_s = stamp / 1000.0
            plane = last.setdefault(icao24_text, _Last())
            callsign = record.get("callsign")
            if isinstance(callsign, str) and callsign.strip():
                plane.callsign = callsign.strip()
            alt = _optional(record, "altitude")
            if alt is not None:
                plane.alt_ft = alt
            speed, course = _optional(record, "groundspeed"), _optional(record, "track")
            if speed is not None and course is not None:
                plane.speed_kt, plane.course_deg = speed, course % 360.0
                plane.velocity_time_s = time_s
            vrate = _optional(record, "vertical_rate")
            if vrate is not None:
                plane.vrate_fpm = vrate
            lat, lon = _optional(record, "latitude"), _optional(record, "longitude")
            if lat is None or lon is None:
                continue  # a velocity or identity message: kept for the next position
            if plane.alt_ft is None or plane.speed_kt is None or plane.course_deg is None:
                continue
            if time_s - plane.velocity_time_s > RECORD_VELOCITY_MAX_AGE_S:
                continue
            on_ground = record.get("onground") is True
            result.states.append(
                TrackState(
                    id=icao24_text,
                    party=rules.party_of(icao24_text, callsign=plane.callsign, icao24=icao24),
                    time_s=time_s,
                    lon=lon,
                    lat=lat,
                    alt_ft=0.0 if on_ground else plane.alt_ft,
                    speed_kt=plane.speed_kt,
                    course_deg=plane.course_deg,
                    vrate_fpm=plane.vrate_fpm,
                    domain=Domain.AIR,
                    callsign=plane.callsign,
                    source="recording",
                )
            )
        except (ValueError, TrackInputError) as exc:
            result.problem(number, str(exc))
    result.states.sort(key=lambda s: s.time_s)
    result.problems.sort(key=lambda p: p.line)
    return result
