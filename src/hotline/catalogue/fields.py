"""Building blocks of every notification: the strict base model and the scalar field types.

Bodies come from hostile peers, so every string is bounded and checked: no control
characters, no bidirectional-override characters (which can make a rendering read differently
from the bytes), no look-alike mixing of Latin and Cyrillic letters inside one identifier.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Final

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "Callsign",
    "Designator",
    "Icao24",
    "LanguageTag",
    "MessageRef",
    "Name",
    "OriginalText",
    "PartyId",
    "Record",
    "Sha256Hex",
    "UtcTime",
    "fail",
    "format_utc",
]

# Validation context key: set when a body comes from a newer minor version of its type (whose
# added fields and phrasebook entries this reader does not know; see docs/catalogue.md).
TOLERATE_UNKNOWN: Final = "tolerate_unknown_fields"


def fail(message: str) -> PydanticCustomError:
    """An error whose message is shown to the user as is, after the field path."""
    return PydanticCustomError("hotline", message)


class Record(BaseModel):
    """Base of every catalogue structure: immutable, unknown fields refused, no NaN/inf.

    No model-level "before" validators here: they would turn JSON input into Python input for
    the whole subtree, and strict validation of Python input refuses arrays for tuples.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        use_enum_values=False,
        validate_default=False,
    )


# --- times -----------------------------------------------------------------------------------

_UTC_RE: Final = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
UTC_EXPECTED: Final = "must be a UTC time in whole seconds, like 2026-11-26T06:00:00Z"


def _parse_utc(value: object) -> datetime:
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is None or offset.total_seconds() != 0:
            raise fail("must be a UTC time (timezone-aware, offset 0)")
        if value.microsecond:
            raise fail(UTC_EXPECTED)
        return value.astimezone(UTC)
    if not isinstance(value, str) or not _UTC_RE.fullmatch(value):
        raise fail(UTC_EXPECTED)
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise fail(f"{value!r} is not a real date and time; {UTC_EXPECTED}") from None


def format_utc(value: datetime) -> str:
    """The one wire form of a time: ``2026-11-26T06:00:00Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


UtcTime = Annotated[
    datetime,
    BeforeValidator(_parse_utc),
    PlainSerializer(format_utc, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
            "description": "UTC time in whole seconds, ending in Z",
        }
    ),
]


# --- strings ---------------------------------------------------------------------------------

# Bidirectional controls can make a rendering read differently from its bytes ("Trojan Source").
_BIDI: Final = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# Zero-width joiners are part of correct spelling in some scripts; other invisible characters
# in a name only serve to make two different names look the same.
_JOINERS: Final = frozenset("\u200c\u200d")


def _check_chars(value: str, *, multiline: bool) -> None:
    for ch in value:
        if ch in _BIDI:
            raise fail(f"must not contain the bidirectional control character U+{ord(ch):04X}")
        if ch == "\n" and multiline:
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Co", "Cn") or ch in "\u2028\u2029":
            raise fail(f"must not contain the control or unassigned character U+{ord(ch):04X}")
        if category == "Cf" and not multiline and ch not in _JOINERS:
            raise fail(f"must not contain the invisible format character U+{ord(ch):04X}")


def _script_mix(word: str) -> bool:
    latin = cyrillic = False
    for ch in word:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            latin = latin or name.startswith("LATIN")
            cyrillic = cyrillic or name.startswith("CYRILLIC")
    return latin and cyrillic


def _single_line(max_chars: int) -> BeforeValidator:
    def check(value: object) -> object:
        if not isinstance(value, str):
            return value  # the str validator reports the type
        if not value.strip() or value != value.strip():
            raise fail("must not be empty or start or end with spaces")
        if len(value) > max_chars:
            raise fail(f"must be at most {max_chars} characters")
        _check_chars(value, multiline=False)
        for word in value.split():
            if _script_mix(word):
                raise fail(
                    f"{word!r} mixes Latin and Cyrillic letters (look-alike characters); "
                    "write each word in one alphabet"
                )
        return value

    return BeforeValidator(check)


def _multiline(value: object) -> object:
    if not isinstance(value, str):
        return value
    if not value.strip():
        raise fail("must not be empty")
    _check_chars(value, multiline=True)
    return value


Name = Annotated[
    str,
    Field(
        max_length=80,
        description="A name or identifier, shown as written (one line, at most 80 characters)",
    ),
    _single_line(80),
]
Designator = Annotated[
    str,
    Field(max_length=24, description="A type designator such as RC-135W or Su-30SM, as written"),
    _single_line(24),
]


def _matching(regex: str, expected: str) -> BeforeValidator:
    compiled = re.compile(regex)

    def check(value: object) -> object:
        if isinstance(value, str) and not compiled.fullmatch(value):
            raise fail(f"must be {expected}")
        return value

    return BeforeValidator(check)


_CALLSIGN: Final = r"^[A-Z0-9]{2,10}$"
_ICAO24: Final = r"^[0-9A-F]{6}$"
_PARTY: Final = r"^[A-Z][A-Z0-9]{1,9}(-[A-Z0-9]{1,10})?$"
_LANG: Final = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$"
_SHA256: Final = r"^[0-9a-f]{64}$"

Callsign = Annotated[
    str,
    Field(pattern=_CALLSIGN, description="Radio callsign: 2-10 capital letters and digits"),
    _matching(_CALLSIGN, "a callsign of 2-10 capital Latin letters and digits, like FORTE12"),
]
Icao24 = Annotated[
    str,
    Field(pattern=_ICAO24, description="ICAO 24-bit aircraft address, 6 hex digits"),
    _matching(_ICAO24, "an ICAO 24-bit address of 6 hex digits in capitals, like AE5421"),
]
PartyId = Annotated[
    str,
    Field(pattern=_PARTY, description="A party of the channel, such as US, RU, UA or UN-OCHA"),
    _matching(_PARTY, "a party code in capitals, like US, RU, UA or UN-OCHA"),
]
LanguageTag = Annotated[
    str,
    Field(pattern=_LANG, description="BCP 47 language tag of the text as written"),
    _matching(_LANG, "a BCP 47 language tag in lower case, like en, ru, uk or ar"),
]
Sha256Hex = Annotated[
    str,
    Field(pattern=_SHA256, description="SHA-256 digest, 64 lower-case hex digits"),
    _matching(_SHA256, "a SHA-256 digest: 64 lower-case hex digits"),
]


class OriginalText(Record):
    """Free text exactly as its author wrote it. Rendered as is, marked as not translated."""

    lang: LanguageTag
    text: Annotated[str, Field(min_length=1, max_length=4000), BeforeValidator(_multiline)]

    def word_count(self) -> int:
        return len(self.text.split())


class MessageRef(Record):
    """A reference to an earlier message: the sender's party and message number."""

    party: PartyId
    number: Annotated[int, Field(ge=1, le=2**53 - 1)]
    sha256: Sha256Hex | None = Field(
        default=None, description="Hash of the referenced envelope, to make the reference exact"
    )

    def __str__(self) -> str:
        return f"{self.party}-{self.number:04d}"
