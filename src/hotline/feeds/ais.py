"""AIS: NMEA 0183 ``!AIVDM``/``!AIVDO`` sentences from ships (and SAR aircraft), decoded with
pyais.

Sentences of a multi-part message are assembled (same sequential id, channel and fragment
count, fragments in order). Position reports (types 1-3 class A, 18-19 class B, 27 long range,
9 SAR aircraft) become track states; static reports (5, 24) give names and call signs. A sentence's
time is its NMEA tag block's ``c:`` field when it has one, else the receive time given by the
caller. Every line that cannot be used is reported with its number: empty lines, garbage,
bad checksums, empty payloads, fragments without a start, incomplete messages.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyais.exceptions import AISBaseException, MissingPayloadException
from pyais.messages import AISSentence, NMEASentenceFactory

from hotline.engine.errors import TrackInputError
from hotline.engine.tracks import Domain, TrackState
from hotline.feeds.parties import PartyRules
from hotline.feeds.result import FeedResult

_POSITION_TYPES = {1, 2, 3, 9, 18, 19, 27}
_STATIC_TYPES = {5, 24}
_SPEED_NOT_AVAILABLE = 102.3
_METRES_PER_FOOT = 0.3048


@dataclass
class _Pending:
    sentences: list[AISSentence] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


class AisDecoder:
    """Decodes AIS sentences line by line."""

    def __init__(
        self,
        rules: PartyRules | None = None,
        receive_time_s: float | None = None,
        source: str = "AIS",
    ) -> None:
        self.rules = rules or PartyRules()
        self.receive_time_s = receive_time_s
        self.result = FeedResult(source)
        self._pending: dict[tuple[object, ...], _Pending] = {}
        self._names: dict[int, str] = {}

    def feed(self, line: str | bytes) -> TrackState | None:
        self.result.lines += 1
        number = self.result.lines
        raw = line.encode("ascii", "replace") if isinstance(line, str) else line
        if not raw.strip():
            self.result.problem(number, "empty line")
            return None
        try:
            sentence = NMEASentenceFactory.produce(raw.strip())
        except (AISBaseException, ValueError, IndexError) as exc:
            self.result.problem(number, f"not an AIS NMEA sentence ({_reason(exc)})")
            return None
        if not isinstance(sentence, AISSentence):
            self.result.problem(number, "not an AIS sentence (!AIVDM or !AIVDO)")
            return None
        if not sentence.is_valid:
            self.result.problem(number, "checksum does not match: the sentence is corrupted")
            return None
        if sentence.is_single:
            return self._decode([sentence], [number])
        return self._fragment(sentence, number)

    def _fragment(self, sentence: AISSentence, number: int) -> TrackState | None:
        key = (sentence.seq_id, sentence.channel, sentence.talker_id, sentence.frag_cnt)
        if sentence.frag_num == 1:
            stale = self._pending.pop(key, None)
            if stale is not None:
                self._incomplete(stale)
            self._pending[key] = _Pending([sentence], [number])
            return None
        pending = self._pending.get(key)
        if pending is None or sentence.frag_num != len(pending.sentences) + 1:
            self.result.problem(
                number,
                f"fragment {sentence.frag_num} of {sentence.frag_cnt} without the fragments "
                "before it",
            )
            return None
        pending.sentences.append(sentence)
        pending.lines.append(number)
        if len(pending.sentences) < sentence.frag_cnt:
            return None
        del self._pending[key]
        try:
            whole = AISSentence.assemble_from_iterable(pending.sentences)
        except (AISBaseException, ValueError) as exc:
            self.result.problem(number, f"cannot assemble the multi-part message ({_reason(exc)})")
            return None
        return self._decode([whole], pending.lines, first=pending.sentences[0])

    def _incomplete(self, pending: _Pending) -> None:
        have = len(pending.sentences)
        total = pending.sentences[0].frag_cnt
        self.result.problem(
            pending.lines[0], f"multi-part message incomplete: {have} of {total} fragments"
        )

    def finish(self) -> FeedResult:
        """Report messages still waiting for fragments, and return the result."""
        for pending in self._pending.values():
            self._incomplete(pending)
        self._pending.clear()
        return self.result

    def _time_of(self, sentence: AISSentence) -> float | None:
        block = sentence.tag_block
        if block is not None:
            try:
                block.init()
                stamp = block.receiver_timestamp
            except (AISBaseException, ValueError, IndexError):
                stamp = None
            if stamp:
                value = float(stamp)
                return value / 1000.0 if value > 1e11 else value  # some write milliseconds
        return self.receive_time_s

    def _decode(
        self, sentences: list[AISSentence], lines: list[int], first: AISSentence | None = None
    ) -> TrackState | None:
        number = lines[0]
        try:
            message = sentences[0].decode()
        except MissingPayloadException:
            self.result.problem(number, "empty AIS payload: the sentence carries no message")
            return None
        except (AISBaseException, ValueError, IndexError) as exc:
            self.result.problem(number, f"cannot decode the AIS payload ({_reason(exc)})")
            return None
        kind = int(message.msg_type)
        mmsi = int(message.mmsi)
        if kind in _STATIC_TYPES:
            name = str(getattr(message, "shipname", "") or "").strip("@ ").strip()
            if name:
                self._names[mmsi] = name
            return None
        if kind not in _POSITION_TYPES:
            return None  # base stations, safety messages, binary data: no track
        lon, lat = getattr(message, "lon", None), getattr(message, "lat", None)
        if lon is None or lat is None or abs(lon) > 180.0 or abs(lat) > 90.0:
            self.result.problem(number, f"MMSI {mmsi}: no position (lon 181 / lat 91: unavailable)")
            return None
        time_s = self._time_of(first or sentences[0])
        if time_s is None:
            self.result.problem(
                number, "no time: no tag block time (c:) and no receive time was given"
            )
            return None
        speed = float(getattr(message, "speed", 0.0) or 0.0)
        course = float(getattr(message, "course", 0.0) or 0.0)
        if speed >= _SPEED_NOT_AVAILABLE or not math.isfinite(speed):
            speed = 0.0
        if course >= 360.0 or not math.isfinite(course):
            course, speed = 0.0, 0.0  # no course: cannot be extrapolated, taken as stopped
        aircraft = kind == 9
        alt_ft = float(getattr(message, "alt", 0) or 0) / _METRES_PER_FOOT if aircraft else 0.0
        track_id = str(mmsi)
        try:
            state = TrackState(
                id=track_id,
                party=self.rules.party_of(track_id, callsign=self._names.get(mmsi, ""), mmsi=mmsi),
                time_s=time_s,
                lon=float(lon),
                lat=float(lat),
                alt_ft=alt_ft,
                speed_kt=speed,
                course_deg=course,
                vrate_fpm=0.0,
                domain=Domain.AIR if aircraft else Domain.SEA,
                callsign=self._names.get(mmsi, ""),
                source="ais",
            )
        except TrackInputError as exc:
            self.result.problem(number, str(exc))
            return None
        self.result.states.append(state)
        return state


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text[:120]}" if text else name


def decode_ais(
    lines: Iterable[str | bytes],
    rules: PartyRules | None = None,
    receive_time_s: float | None = None,
    source: str = "AIS",
) -> FeedResult:
    """Decode AIS NMEA lines; states and problems (with line numbers) in a FeedResult."""
    decoder = AisDecoder(rules, receive_time_s, source)
    for line in lines:
        decoder.feed(line)
    return decoder.finish()
