"""SBS / BaseStation: the comma-separated lines dump1090 serves on TCP port 30003.

Each line is one Mode S message already decoded::

    MSG,3,1,1,4B1806,1,2018/08/01,05:00:00.000,2018/08/01,05:00:00.000,,34975,,,45.81,9.22,,,0,0,0,0

Fields (1-based): 1 message type, 2 transmission type, 5 ICAO address (hex), 7-8 date and
time generated, 11 callsign, 12 altitude (ft), 13 ground speed (kt), 14 track (degrees),
15 latitude, 16 longitude, 17 vertical rate (ft/min), 22 on ground.

Position (MSG,3) and velocity (MSG,4) come in separate messages, so the decoder keeps the last
of each per aircraft and emits a state at every position once a velocity is known. The times
of dump1090 are the receiving machine's clock; they are taken as UTC.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from hotline.engine.errors import TrackInputError
from hotline.engine.tracks import Domain, TrackState
from hotline.feeds.parties import PartyRules
from hotline.feeds.result import FeedResult

_TYPES = {"MSG", "SEL", "ID", "AIR", "STA", "CLK"}
VELOCITY_MAX_AGE_S = 60.0


@dataclass
class _Aircraft:
    callsign: str = ""
    alt_ft: float | None = None
    speed_kt: float | None = None
    course_deg: float | None = None
    vrate_fpm: float = 0.0
    velocity_time_s: float = -math.inf


def _time(date_text: str, time_text: str) -> float:
    moment = datetime.strptime(f"{date_text} {time_text}", "%Y/%m/%d %H:%M:%S.%f")
    return moment.replace(tzinfo=UTC).timestamp()


def _number(text: str, name: str) -> float | None:
    if not text.strip():
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{name} {text!r} is not a finite number")
    return value


class SbsDecoder:
    """Decodes SBS lines one by one (it keeps what it knows of each aircraft)."""

    def __init__(self, rules: PartyRules | None = None, source: str = "SBS") -> None:
        self.rules = rules or PartyRules()
        self.result = FeedResult(source)
        self._aircraft: dict[str, _Aircraft] = {}

    def feed(self, line: str) -> TrackState | None:
        """Decode one line; a state when it completes one, None otherwise (problems are
        recorded in ``result.problems``, never raised)."""
        self.result.lines += 1
        number = self.result.lines
        text = line.strip()
        if not text:
            self.result.problem(number, "empty line")
            return None
        fields = text.split(",")
        if fields[0] not in _TYPES:
            self.result.problem(number, f"not an SBS message: starts with {fields[0][:20]!r}")
            return None
        if fields[0] != "MSG":
            return None  # status and selection messages carry no state
        if len(fields) != 22:
            self.result.problem(number, f"an SBS MSG line has 22 fields, this one {len(fields)}")
            return None
        try:
            return self._message(fields)
        except (ValueError, TrackInputError) as exc:
            self.result.problem(number, str(exc))
            return None

    def _message(self, f: list[str]) -> TrackState | None:
        kind = f[1].strip()
        address = f[4].strip().lower()
        try:
            icao24 = int(address, 16)
        except ValueError:
            raise ValueError(f"ICAO address {f[4]!r} is not hexadecimal") from None
        if not 0 <= icao24 <= 0xFFFFFF or len(address) != 6:
            raise ValueError(f"ICAO address {f[4]!r} is not 6 hexadecimal digits")
        try:
            time_s = _time(f[6].strip(), f[7].strip())
        except ValueError:
            raise ValueError(f"date/time {f[6]} {f[7]} is not YYYY/MM/DD HH:MM:SS.sss") from None
        plane = self._aircraft.setdefault(address, _Aircraft())
        if f[10].strip():
            plane.callsign = f[10].strip()
        alt = _number(f[11], "altitude")
        if alt is not None:
            plane.alt_ft = alt
        if kind == "4":
            speed, course = _number(f[12], "ground speed"), _number(f[13], "track")
            if speed is not None and course is not None:
                plane.speed_kt, plane.course_deg = speed, course % 360.0
                plane.velocity_time_s = time_s
            vrate = _number(f[16], "vertical rate")
            plane.vrate_fpm = vrate if vrate is not None else 0.0
            return None
        if kind != "3":
            return None
        lat, lon = _number(f[14], "latitude"), _number(f[15], "longitude")
        if lat is None or lon is None:
            raise ValueError("a position message (MSG,3) without latitude and longitude")
        if plane.speed_kt is None or plane.course_deg is None or plane.alt_ft is None:
            return None  # wait for a velocity message
        if time_s - plane.velocity_time_s > VELOCITY_MAX_AGE_S:
            return None  # the velocity we know is too old to extrapolate with
        on_ground = f[21].strip() in ("-1", "1")
        state = TrackState(
            id=address,
            party=self.rules.party_of(address, callsign=plane.callsign, icao24=icao24),
            time_s=time_s,
            lon=lon,
            lat=lat,
            alt_ft=0.0 if on_ground else plane.alt_ft,
            speed_kt=plane.speed_kt,
            course_deg=plane.course_deg,
            vrate_fpm=plane.vrate_fpm,
            domain=Domain.AIR,
            callsign=plane.callsign,
            source="sbs",
        )
        self.result.states.append(state)
        return state


def decode_sbs(
    lines: Iterable[str], rules: PartyRules | None = None, source: str = "SBS"
) -> FeedResult:
    """Decode SBS lines; states and problems (with line numbers) in a :class:`FeedResult`."""
    decoder = SbsDecoder(rules, source)
    for line in lines:
        decoder.feed(line)
    return decoder.result
