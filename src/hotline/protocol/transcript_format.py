"""The transcript file format: JSON Lines, one canonical JSON object per line.

::

    line 1       head      {"format":"hotline-transcript","version":1,"channel":HEX,
                            "exported_by":PARTY,"exported_at":"2026-11-25T06:00:00.000Z",
                            "charter":BASE64}
    lines 2..N   envelope  {"from":PARTY,"seq":N,"kind":KIND,"t":MS,"id":HEX,
                            ["withheld":true,] "env":BASE64}
    then, if any  relay     {"relay":PARTY,"card":BASE64}
                  witness   {"witness":RELAY,"from":PARTY,"seq":N,"id":HEX,"deposited_ms":MS,
                            ["forwarded_ms":MS,] "routing":BASE64,"sig":BASE64}
    last line    end       {"end":"hotline-transcript","lines":N,"sha256":HEX,"key":HEX,
                            "sig":BASE64}

- ``charter``: the exact charter bytes; the channel id is their hash and the member cards in it
  give every key needed, so a transcript verifies with nothing else.
- ``env``: the exact envelope frame as signed (`hotline.protocol.envelope`), with its body or,
  when ``withheld``, without it (the signed header still binds the body by length and hash).
  ``from``/``seq``/``kind``/``t``/``id`` are there for people reading the file; the verifier
  checks each against the signed header, so they cannot lie.
- ``end``: the exporter's node signs (Ed25519, domain-separated) the channel id, the number of
  lines before it and the SHA-256 over their exact bytes: the export cannot be cut short, and
  not one byte of it (``exported_at`` included) changed without the verifier saying so.
- ``relay``: the card of a relay that carried envelopes of this channel, as the exporter's node
  holds it (the end line vouches for it; an auditor compares its fingerprint with the one
  published by the relay's operator). ``witness``: a relay's Ed25519 signature (node key of its
  card) over the exact routing header bytes and the times (`sealed.witness_statement`): the item
  naming envelope ``id`` of ``from`` (seq ``seq``, earlier in the file) was held by the relay
  since ``deposited_ms`` (and, when ``forwarded_ms`` is there, handed over then). Witness lines
  come after every envelope line, each after its relay's card line.
- Every line is the one canonical encoding of its object (fields in the order above, no spaces,
  defaults omitted) followed by ``\\n``; anything else is refused, which rules out duplicate keys,
  odd escapes and alternative base64 spellings.
- Envelopes appear in causal order: after everything they reference (``prev``, ``seen``,
  ``tip``, ``refs``, and for a cosign the checkpoint it countersigns). A verifier therefore
  needs one pass and names the first bad line.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

import msgspec

from hotline.protocol.envelope import (
    MAX_BODY_BYTES,
    MAX_HEADER_BYTES,
    PREFIX_LEN,
    Hex64,
    Kind,
    Party,
    Seq,
    WireStruct,
)

__all__ = [
    "END_LABEL",
    "FORMAT",
    "MAX_LINE_BYTES",
    "VERSION",
    "EndLine",
    "EnvelopeLine",
    "HeadLine",
    "RelayCardLine",
    "WitnessLine",
    "encode_line",
    "end_statement",
    "format_duration_ms",
    "format_ms",
    "parse_iso_ms",
]

FORMAT = "hotline-transcript"
VERSION = 1
END_LABEL = b"hotline-transcript-end-v1\x00"
# The largest envelope, base64 (4/3), plus the readable fields, plus slack.
MAX_LINE_BYTES = (PREFIX_LEN + MAX_HEADER_BYTES + MAX_BODY_BYTES) * 4 // 3 + 4096


class HeadLine(WireStruct, frozen=True, kw_only=True):
    """Line 1: what this file is, which channel, who exported it and when."""

    format: str
    version: int
    channel: Hex64
    exported_by: Party
    exported_at: str
    charter: bytes


class EnvelopeLine(WireStruct, frozen=True, kw_only=True, rename={"sender": "from"}):
    """One envelope: readable fields (checked against the signed header) and the exact frame."""

    sender: Party
    seq: Seq
    kind: Kind
    t: Annotated[int, msgspec.Meta(ge=0)]
    id: Hex64
    withheld: bool = False
    env: bytes


class RelayCardLine(WireStruct, frozen=True, kw_only=True):
    """The card of a relay whose witnesses follow (from the exporter's directory)."""

    relay: Party
    card: Annotated[bytes, msgspec.Meta(min_length=1, max_length=64 * 1024)]


class WitnessLine(WireStruct, frozen=True, kw_only=True, rename={"sender": "from"}):
    """A relay's signed witness for one envelope of the file (readable fields checked)."""

    witness: Party  # the relay
    sender: Party
    seq: Seq
    id: Hex64
    deposited_ms: Annotated[int, msgspec.Meta(ge=0)]
    forwarded_ms: Annotated[int, msgspec.Meta(ge=0)] = 0
    routing: Annotated[bytes, msgspec.Meta(max_length=1024)]
    sig: Annotated[bytes, msgspec.Meta(min_length=64, max_length=64)]


class EndLine(WireStruct, frozen=True, kw_only=True):
    """The last line: the exporter's signature over everything before it."""

    end: Literal["hotline-transcript"]
    lines: Annotated[int, msgspec.Meta(ge=1)]
    sha256: Hex64
    key: Hex64
    sig: Annotated[bytes, msgspec.Meta(min_length=64, max_length=64)]


_ENCODER = msgspec.json.Encoder()  # fields in definition order: readable fields first


def encode_line(obj: HeadLine | EnvelopeLine | RelayCardLine | WitnessLine | EndLine) -> bytes:
    """The canonical bytes of one line, newline included."""
    return _ENCODER.encode(obj) + b"\n"


def end_statement(channel: str, lines: int, digest: bytes) -> bytes:
    """What the exporter's node key signs: channel id, number of lines before the end, SHA-256."""
    return END_LABEL + bytes.fromhex(channel) + lines.to_bytes(8, "big") + digest


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def format_ms(ms: int) -> str:
    """UTC time with milliseconds, ``2026-11-25T06:00:00.000Z``; out-of-range times as ms."""
    try:
        moment = _EPOCH + timedelta(milliseconds=ms)
    except OverflowError:
        return f"{ms} ms"
    if moment.year > 9999:
        return f"{ms} ms"
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def parse_iso_ms(text: str) -> int | None:
    """The inverse of `format_ms` for in-range times; None unless `text` is exactly that form."""
    if not _ISO_MS.match(text):
        return None
    try:
        moment = datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    ms = (moment - _EPOCH) // timedelta(milliseconds=1) + int(text[20:23])
    return ms if ms >= 0 and format_ms(ms) == text else None


def format_duration_ms(ms: int) -> str:
    """A duration for people: ``45.0 s``, ``12 min 49 s``, ``3 h 05 min`` (negative with -)."""
    sign, ms = ("-", -ms) if ms < 0 else ("", ms)
    seconds = ms // 1000
    if seconds < 60:
        return f"{sign}{ms / 1000:.1f} s"
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return sign + (f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {seconds:02d} s")
