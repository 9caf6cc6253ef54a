"""Opening one envelope line: everything that needs no other line of the transcript.

Canonical JSON, frame, signer (a node key from the cards), Ed25519 signature, canonical header,
body hash. `TranscriptVerifier` runs it on each envelope line before the checks that need the
rest of the file; `hotline verify --jobs N` runs `LineOpener.precheck` in worker processes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

import msgspec

from hotline.errors import RemoteProtocolError
from hotline.protocol.envelope import (
    Envelope,
    check_body,
    envelope_id,
    open_envelope,
    parse_header,
    split_frame,
)
from hotline.protocol.members import MemberDirectory, MemberKeys
from hotline.protocol.transcript_format import (
    MAX_LINE_BYTES,
    EndLine,
    EnvelopeLine,
    HeadLine,
    RelayCardLine,
    WitnessLine,
    encode_line,
)
from hotline.protocol.transcript_report import Check

__all__ = [
    "ENVELOPE_PREFIX",
    "SIGNATURE_VERIFIED",
    "LineFailure",
    "LineOpener",
    "Prechecked",
    "decode_line",
]

ENVELOPE_PREFIX = b'{"from":'  # the canonical first bytes of an envelope line
_ENVELOPE_DECODER = msgspec.json.Decoder(EnvelopeLine)
L = TypeVar("L", HeadLine, EnvelopeLine, RelayCardLine, WitnessLine, EndLine)


@dataclass(frozen=True, slots=True)
class LineFailure:
    """Why an envelope line failed the checks that need no context (see `LineOpener`)."""

    check: Check
    detail: str
    label: EnvelopeLine | None = None


def decode_line(decoder: msgspec.json.Decoder[L], line: bytes, what: str) -> L | LineFailure:
    try:
        obj = decoder.decode(memoryview(line)[:-1])
    except msgspec.ValidationError as exc:
        return LineFailure(Check.LINE, f"invalid {what} line: {exc}")
    except msgspec.DecodeError as exc:
        return LineFailure(Check.LINE, f"{what} line is not valid JSON: {exc}")
    except UnicodeDecodeError:
        return LineFailure(Check.LINE, f"{what} line is not valid UTF-8")
    if encode_line(obj) != line:
        return LineFailure(
            Check.LINE,
            f"{what} line is not in canonical form (field order, spacing, escapes or base64"
            " differ from what the exporter writes)",
        )
    return obj


class LineOpener:
    """The part of checking an envelope line that needs no other line: canonical JSON, frame,
    signer, signature, header, body hash. Picklable, so other processes can share the work
    (`hotline verify --jobs`); the verifier does the rest in order."""

    def __init__(self, members: Mapping[str, MemberKeys], max_body_bytes: int) -> None:
        self.members = dict(members)
        self.max_body_bytes = max_body_bytes
        self._directory = MemberDirectory(self.members)

    def __reduce__(self) -> tuple[type[LineOpener], tuple[dict[str, MemberKeys], int]]:
        return (LineOpener, (self.members, self.max_body_bytes))

    def __call__(
        self, line: bytes, *, signature_verified: bool = False
    ) -> tuple[EnvelopeLine, Envelope] | LineFailure:
        """Open an envelope line. `signature_verified`: `precheck` passed in another process,
        so everything but the Ed25519 check is repeated here (the parse is needed here)."""
        label = decode_line(_ENVELOPE_DECODER, line, "envelope")
        if isinstance(label, LineFailure):
            return label
        try:
            if signature_verified:
                env = self._open_verified(label.env)
            else:
                env = open_envelope(label.env, self._directory, max_body_bytes=self.max_body_bytes)
        except RemoteProtocolError as exc:
            return LineFailure(Check.ENVELOPE, str(exc), label)
        return label, env

    def precheck(self, line: bytes) -> Literal[True] | LineFailure | None:
        """For another process: SIGNATURE_VERIFIED, a LineFailure, or None (not an envelope
        line: the verifier looks at it itself). Small answers, cheap to send back."""
        if not line.startswith(ENVELOPE_PREFIX) or not line.endswith(b"\n"):
            return None
        if len(line) > MAX_LINE_BYTES:
            return None
        opened = self(line)
        return opened if isinstance(opened, LineFailure) else SIGNATURE_VERIFIED

    def _open_verified(self, frame: bytes) -> Envelope:
        """`open_envelope` without the signature check, from the same building blocks."""
        key_id, _, header_bytes, body = split_frame(frame, self.max_body_bytes)
        found = self._directory.signer(key_id)
        if found is None:  # pragma: no cover - precheck found it
            raise RemoteProtocolError(f"unknown signer key {key_id.hex()[:16]}...")
        try:
            header = parse_header(header_bytes)
        except UnicodeDecodeError:  # pragma: no cover - precheck parsed it
            raise RemoteProtocolError("header is not valid UTF-8") from None
        if header.sender != found[0]:  # pragma: no cover - precheck compared them
            raise RemoteProtocolError(
                f"envelope claims sender {header.sender} but is signed by a key of {found[0]}"
            )
        env_id = envelope_id(key_id, header_bytes)
        if body or header.blen == 0:
            check_body(header, body)
            return Envelope(frame, env_id, key_id, header, body)
        return Envelope(frame, env_id, key_id, header, None)


SIGNATURE_VERIFIED: Literal[True] = True
Prechecked = Literal[True] | LineFailure | None
"""What `LineOpener.precheck` answers and `TranscriptVerifier.feed` takes."""
