"""Cursor-on-Target (CoT): the XML events TAK servers and clients exchange::

    <event version="2.0" uid="RU-UAV-17" type="a-h-A-M-F-Q" how="m-g"
           time="2026-11-26T06:00:00Z" start="2026-11-26T06:00:00Z" stale="2026-11-26T06:01:00Z">
      <point lat="44.91" lon="31.52" hae="3048" ce="50" le="30"/>
      <detail><track course="270" speed="41.2"/><contact callsign="GERAN-17"/></detail>
    </event>

A stream is events one after another (no enclosing root). ``speed`` is in m/s, ``course`` in
degrees; ``hae`` (height above the ellipsoid, metres) is taken as the altitude. The CoT type's
third letter says air (``A``) or surface/ground (anything else, screened with the maritime
minima). Parties come from the party rules (by uid or callsign); the type's affiliation
(friendly, hostile) is not a party.

The XML is hostile until parsed: it goes through defusedxml with DTDs forbidden, so entity
expansion ("billion laughs") and external entities are refused, not evaluated.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from hotline.engine.errors import TrackInputError
from hotline.engine.tracks import Domain, TrackState
from hotline.feeds.parties import PartyRules
from hotline.feeds.result import FeedResult

_EVENT = re.compile(rb"<event\b[^>]*/>|<event\b[^>]*>.*?</event\s*>", re.DOTALL)
_DANGER = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_METRES_PER_FOOT = 0.3048
_KT_PER_MS = 3600.0 / 1852.0
MAX_EVENT_BYTES = 1 << 20


def _time(text: str | None, what: str) -> float:
    if not text:
        raise ValueError(f"the event has no {what} time")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not an ISO 8601 time") from None
    if moment.utcoffset() is None:
        raise ValueError(f"{what} {text!r} does not say it is UTC (end it with Z)")
    return moment.timestamp()


def _float(element: Element, name: str, default: float | None = None) -> float:
    text = element.get(name)
    if text is None:
        if default is None:
            raise ValueError(f"<{element.tag}> has no {name}")
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"<{element.tag} {name}={text!r}> is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"<{element.tag} {name}={text!r}> is not a finite number")
    return value


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_cot(
    data: bytes | str, rules: PartyRules | None = None, source: str = "CoT"
) -> FeedResult:
    """Decode a stream of CoT events; problems carry the line where the event starts."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    rules = rules or PartyRules()
    result = FeedResult(source, lines=raw.count(b"\n") + 1)
    for line in sorted({_line_of(raw, d.start()) for d in _DANGER.finditer(raw)}):
        result.problem(
            line, "a DTD or entity declaration: refused (CoT needs none; it could expand entities)"
        )
    position = 0
    for match in _EVENT.finditer(raw):
        gap = raw[position : match.start()].strip()
        if gap and not gap.startswith(b"<?xml") and not _DANGER.search(gap):
            result.problem(_line_of(raw, position), "text that is not a CoT <event>: skipped")
        position = match.end()
        line = _line_of(raw, match.start())
        chunk = match.group(0)
        if len(chunk) > MAX_EVENT_BYTES:
            result.problem(line, f"event larger than {MAX_EVENT_BYTES} bytes: refused")
            continue
        try:
            event = fromstring(chunk, forbid_dtd=True, forbid_entities=True, forbid_external=True)
            state = _state(event, rules)
        except DefusedXmlException:
            result.problem(line, "XML with a DTD or entities: refused")
            continue
        except ParseError as exc:
            result.problem(line, f"malformed XML ({exc})")
            continue
        except (ValueError, TrackInputError) as exc:
            result.problem(line, str(exc))
            continue
        if state is not None:
            result.states.append(state)
    tail = raw[position:].strip()
    if tail and not _DANGER.search(tail):
        result.problem(_line_of(raw, position), "text that is not a CoT <event>: skipped")
    return result


def _state(event: Element, rules: PartyRules) -> TrackState | None:
    if event.tag != "event":
        raise ValueError(f"<{event.tag}> is not a CoT <event>")
    uid = event.get("uid", "").strip()
    if not uid:
        raise ValueError("the event has no uid")
    kind = event.get("type", "")
    if not kind.startswith("a-"):
        return None  # not an atom (a thing that moves): drawings, tasks, chat
    point = event.find("point")
    if point is None:
        raise ValueError(f"event {uid!r} has no <point>")
    parts = kind.split("-")
    air = len(parts) > 2 and parts[2] == "A"
    time_s = _time(event.get("time"), "time")
    track = event.find("detail/track")
    contact = event.find("detail/contact")
    callsign = (contact.get("callsign", "") if contact is not None else "").strip()
    speed_ms = _float(track, "speed", 0.0) if track is not None else 0.0
    course = _float(track, "course", 0.0) if track is not None else 0.0
    hae = _float(point, "hae", 0.0)
    if hae >= 9_999_999.0:  # CoT's "unknown"
        hae = 0.0
    return TrackState(
        id=uid,
        party=rules.party_of(uid, callsign=callsign),
        time_s=time_s,
        lon=_float(point, "lon"),
        lat=_float(point, "lat"),
        alt_ft=hae / _METRES_PER_FOOT if air else 0.0,
        speed_kt=max(speed_ms, 0.0) * _KT_PER_MS,
        course_deg=course % 360.0,
        vrate_fpm=0.0,
        domain=Domain.AIR if air else Domain.SEA,
        callsign=callsign,
        source="cot",
    )
