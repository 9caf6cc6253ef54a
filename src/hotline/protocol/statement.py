"""Signed statements: the one byte format of cards, certificates, rotations and revocations.

A statement is one line of compact, canonical JSON (ASCII, keys sorted, no spaces)::

    {"body":{...,"type":"hotline.node-certificate/1",...},"sig":{...}}

The signatures cover exactly the bytes of the ``body`` object as they appear in the line,
prefixed for domain separation (see ``signing_input``). A parser locates those bytes without
re-encoding anything, checks the signatures, and only then trusts a field. A line must also be
the canonical encoding of what it parses to, so every statement has exactly one byte form
(no duplicate keys, no whitespace variants, no alternative escapes).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hotline.protocol.identity_errors import MalformedStatementError, StatementTooLargeError

_BODY_PREFIX = b'{"body":'
_SIG_PREFIX = b',"sig":'
_TIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")
_DOMAIN_PATTERN = re.compile(r"[a-z0-9][a-z0-9./-]{0,63}\Z")


def canonical_json(value: object) -> bytes:
    """The one byte form of a JSON value: sorted keys, no spaces, ASCII only."""
    return json.dumps(
        value, separators=(",", ":"), sort_keys=True, ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def signing_input(domain: str, message: bytes) -> bytes:
    """What is actually signed: ``b"hotline\\0" + domain + b"\\0" + message``.

    ``domain`` names the kind of statement (``identity-card/1``), so that a signature made for
    one purpose can never be replayed as another.
    """
    if not _DOMAIN_PATTERN.match(domain):
        raise ValueError(f"bad signing domain {domain!r}")
    return b"hotline\x00" + domain.encode("ascii") + b"\x00" + message


def b64encode(data: bytes) -> str:
    """Standard base64 with padding (RFC 4648 section 4)."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str, *, what: str, path: str, size: int | None = None) -> bytes:
    """Strict base64: canonical padding and bits only, so one value has one encoding."""
    try:
        data = binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise MalformedStatementError(what, f"not strict base64 ({exc})", path) from None
    if b64encode(data) != text:
        raise MalformedStatementError(what, "base64 is not in canonical form", path)
    if size is not None and len(data) != size:
        raise MalformedStatementError(what, f"expected {size} bytes, got {len(data)}", path)
    return data


def format_utc(moment: datetime) -> str:
    """``2026-11-26T06:00:00Z``: UTC, to the second. Refuses a naive datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a time must be timezone-aware (UTC)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def floor_to_second(moment: datetime) -> datetime:
    """The time as statements record it: UTC, microseconds dropped."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a time must be timezone-aware (UTC)")
    return moment.astimezone(UTC).replace(microsecond=0)


def parse_utc(text: str, *, what: str, path: str) -> datetime:
    """Parse the exact form written by ``format_utc``."""
    if not _TIME_PATTERN.match(text):
        raise MalformedStatementError(
            what, f"time {text!r} is not of the form 2026-01-31T23:59:59Z", path
        )
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise MalformedStatementError(
            what, f"time {text!r} is not a real time ({exc})", path
        ) from None


@dataclass(frozen=True)
class RawStatement:
    """A statement split into the exact signed body bytes and its parsed parts (not yet trusted)."""

    line: bytes
    body_bytes: bytes
    body: Mapping[str, object]
    sig: Mapping[str, object]

    @property
    def type(self) -> str:
        value = self.body.get("type")
        return value if isinstance(value, str) else ""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not allowed")


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)


def split_statement(line: bytes, *, what: str, max_bytes: int) -> RawStatement:
    """Split one statement line into its body bytes, body and signatures; check its form only."""
    if len(line) > max_bytes:
        raise StatementTooLargeError(what, len(line), max_bytes)
    if not line.isascii():
        raise MalformedStatementError(what, "not ASCII (statements are ASCII JSON)")
    if not line.startswith(_BODY_PREFIX):
        raise MalformedStatementError(what, 'does not start with {"body":')
    text = line.decode("ascii")
    try:
        body, body_end = _DECODER.raw_decode(text, len(_BODY_PREFIX))
        if not text.startswith(_SIG_PREFIX.decode(), body_end):
            raise ValueError('expected ,"sig": after the body')
        sig, sig_end = _DECODER.raw_decode(text, body_end + len(_SIG_PREFIX))
    except (ValueError, RecursionError) as exc:
        raise MalformedStatementError(what, f"not valid JSON ({exc})") from None
    if text[sig_end:] != "}":
        raise MalformedStatementError(what, "unexpected bytes after the signatures")
    if not isinstance(body, dict) or not isinstance(sig, dict):
        raise MalformedStatementError(what, "body and sig must be JSON objects")
    if canonical_json({"body": body, "sig": sig}) != line:
        raise MalformedStatementError(
            what, "not in canonical form (sorted keys, no spaces, ASCII escapes, no duplicates)"
        )
    return RawStatement(line, line[len(_BODY_PREFIX) : body_end], body, sig)


def join_statement(body_bytes: bytes, sig: Mapping[str, object]) -> bytes:
    """The statement line for an already-encoded canonical body and its signatures."""
    return _BODY_PREFIX + body_bytes + _SIG_PREFIX + canonical_json(sig) + b"}"


def split_lines(data: bytes, *, what: str, max_bytes: int) -> list[bytes]:
    """A document of statements: one per line, each ending in a newline, none empty."""
    if len(data) > max_bytes:
        raise StatementTooLargeError(what, len(data), max_bytes)
    if not data.endswith(b"\n"):
        raise MalformedStatementError(what, "must end with a newline")
    lines = data[:-1].split(b"\n")
    if any(not line for line in lines):
        raise MalformedStatementError(what, "empty line")
    return lines


HEX32 = re.compile(r"[0-9a-f]{64}")


class Fields:
    """Strict reading of one JSON object: exactly the named keys, each of the expected type.

    Errors name the JSON path (``$.body.valid_from``). Kept to the few shapes statements use.
    """

    def __init__(self, value: object, names: Iterable[str], *, what: str, path: str) -> None:
        if not isinstance(value, dict):
            raise MalformedStatementError(what, "must be a JSON object", path)
        expected = list(names)
        for name in expected:
            if name not in value:
                raise MalformedStatementError(what, "field is missing", f"{path}.{name}")
        for name in value:
            if name not in expected:
                raise MalformedStatementError(what, "unexpected field", f"{path}.{name}")
        self._value: dict[str, object] = value
        self.what = what
        self.path = path

    def text(self, name: str, pattern: re.Pattern[str] | None = None, form: str = "") -> str:
        """A string field, matching ``pattern`` in full if given (``form`` describes it)."""
        value = self._value[name]
        if not isinstance(value, str):
            raise MalformedStatementError(self.what, "must be a string", f"{self.path}.{name}")
        if pattern is not None and not pattern.fullmatch(value):
            raise MalformedStatementError(
                self.what, f"{value[:80]!r} is not {form or 'valid'}", f"{self.path}.{name}"
            )
        return value

    def choice(self, name: str, options: Sequence[str]) -> str:
        value = self.text(name)
        if value not in options:
            raise MalformedStatementError(
                self.what,
                f"{value[:80]!r} is not one of {', '.join(options)}",
                f"{self.path}.{name}",
            )
        return value

    def texts(self, name: str, pattern: re.Pattern[str], form: str, max_items: int) -> list[str]:
        """A list of at most ``max_items`` strings, each matching ``pattern``."""
        value = self._value[name]
        path = f"{self.path}.{name}"
        if not isinstance(value, list):
            raise MalformedStatementError(self.what, "must be a list", path)
        if len(value) > max_items:
            raise MalformedStatementError(self.what, f"more than {max_items} items", path)
        for index, item in enumerate(value):
            if not isinstance(item, str) or not pattern.fullmatch(item):
                raise MalformedStatementError(self.what, f"must be {form}", f"{path}[{index}]")
        return list(value)

    def fields(self, name: str, names: Iterable[str]) -> Fields:
        return Fields(self._value[name], names, what=self.what, path=f"{self.path}.{name}")
