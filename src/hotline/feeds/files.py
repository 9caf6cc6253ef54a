"""Reading a track file of any supported format, gzip-compressed or not.

The format comes from the file name (``.csv``, ``.sbs``, ``.nmea``/``.ais``, ``.xml``/``.cot``,
``.geojson``, ``.jsonl``/``.ndjson``, ``.json``) or, failing that, from the first line of the
content; it can also be given.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from enum import StrEnum
from pathlib import Path

from hotline.feeds.ais import decode_ais
from hotline.feeds.cot import decode_cot
from hotline.feeds.errors import FeedFormatError
from hotline.feeds.parties import PartyRules
from hotline.feeds.result import FeedResult
from hotline.feeds.sbs import decode_sbs
from hotline.feeds.tabular import (
    REQUIRED,
    decode_csv,
    decode_geojson,
    decode_jsonl,
    decode_recording,
)

MAX_FILE_BYTES = 2 << 30


class TrackFormat(StrEnum):
    CSV = "csv"
    SBS = "sbs"
    AIS = "ais"
    COT = "cot"
    GEOJSON = "geojson"
    JSONL = "jsonl"
    RECORDING = "recording"


_SUFFIXES = {
    ".csv": TrackFormat.CSV,
    ".sbs": TrackFormat.SBS,
    ".basestation": TrackFormat.SBS,
    ".nmea": TrackFormat.AIS,
    ".ais": TrackFormat.AIS,
    ".xml": TrackFormat.COT,
    ".cot": TrackFormat.COT,
    ".geojson": TrackFormat.GEOJSON,
    ".jsonl": TrackFormat.JSONL,
    ".ndjson": TrackFormat.JSONL,
}


def sniff(name: str, data: bytes) -> TrackFormat:
    """The format of a file from its name, else from its first non-blank line."""
    suffixes = [s.lower() for s in Path(name).suffixes if s.lower() != ".gz"]
    if suffixes and suffixes[-1] in _SUFFIXES:
        return _SUFFIXES[suffixes[-1]]
    text = data.lstrip()[:4096]
    first = text.split(b"\n", 1)[0].strip()
    if first.startswith((b"MSG,", b"SEL,", b"ID,", b"AIR,", b"STA,", b"CLK,")):
        return TrackFormat.SBS
    if first.startswith((b"!", b"\\", b"$")):
        return TrackFormat.AIS
    if first.startswith(b"<"):
        return TrackFormat.COT
    if first.replace(b" ", b"").split(b",")[:2] == [c.encode() for c in REQUIRED[:2]] or (
        first.startswith(b"id,")
    ):
        return TrackFormat.CSV
    if first.startswith(b"{"):
        if b'"FeatureCollection"' in text[:200] or b'"Feature"' in first[:100]:
            return TrackFormat.GEOJSON
        if b'"timestamp"' in text and b'"icao24"' in text and text.count(b"\n") < 1:
            return TrackFormat.RECORDING
        try:
            json.loads(first)
            return TrackFormat.JSONL
        except json.JSONDecodeError:
            pass
        return TrackFormat.RECORDING if b'"timestamp"' in text else TrackFormat.GEOJSON
    if first.startswith(b"["):
        return TrackFormat.RECORDING
    raise FeedFormatError(
        f"{name}: cannot tell the track format; name the file .csv, .sbs, .nmea, .xml, "
        ".geojson or .jsonl, or give the format"
    )


def read_bytes(path: str | Path) -> bytes:
    """A file's content, decompressed if it is gzip."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FeedFormatError(f"{path}: cannot be read: {exc.strerror}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
                raw = stream.read(MAX_FILE_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise FeedFormatError(f"{path}: broken gzip data: {exc}") from None
        if len(raw) > MAX_FILE_BYTES:
            raise FeedFormatError(f"{path}: more than {MAX_FILE_BYTES} bytes uncompressed")
    return raw


def decode(
    data: bytes,
    fmt: TrackFormat,
    rules: PartyRules | None = None,
    receive_time_s: float | None = None,
    source: str = "tracks",
) -> FeedResult:
    """Decode the content of a track file of format ``fmt``."""
    if fmt == TrackFormat.COT:
        return decode_cot(data, rules, source)
    if fmt == TrackFormat.AIS:
        return decode_ais(data.splitlines(), rules, receive_time_s, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedFormatError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    if fmt == TrackFormat.SBS:
        return decode_sbs(text.splitlines(), rules, source)
    if fmt == TrackFormat.CSV:
        return decode_csv(text, rules, source)
    if fmt == TrackFormat.JSONL:
        return decode_jsonl(text.splitlines(), rules, source)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedFormatError(f"{source}: not valid JSON: {exc}") from None
    if fmt == TrackFormat.GEOJSON:
        return decode_geojson(parsed, rules, source)
    return decode_recording(parsed, rules, source)


def read_tracks(
    path: str | Path,
    rules: PartyRules | None = None,
    fmt: TrackFormat | None = None,
    receive_time_s: float | None = None,
) -> FeedResult:
    """All track states in a file; bad lines are in ``problems``, never raised.

    ``receive_time_s`` is the time given to AIS sentences that carry none.
    """
    data = read_bytes(path)
    name = str(path)
    return decode(data, fmt or sniff(name, data), rules, receive_time_s, Path(name).name)
