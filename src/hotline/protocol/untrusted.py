"""The core's decoders for untrusted bytes, with one gap closed.

msgspec raises `UnicodeDecodeError`, not `msgspec.DecodeError`, for invalid UTF-8 inside a JSON
string (msgspec issue #714, open). `open_envelope`, `decode_body` and `Charter.from_bytes` let it
escape, so a member's node could crash an auditor with one signed header. These wrappers turn it
into the RemoteProtocolError the callers already handle; once the core catches it itself they
are plain pass-throughs.
"""

from __future__ import annotations

from hotline.errors import RemoteProtocolError
from hotline.protocol.charter import Charter
from hotline.protocol.envelope import MAX_BODY_BYTES, Envelope, SignerLookup, open_envelope
from hotline.protocol.messages import B, decode_body

__all__ = ["decode_untrusted_body", "open_untrusted", "untrusted_charter"]


def open_untrusted(
    data: bytes, signers: SignerLookup, *, max_body_bytes: int = MAX_BODY_BYTES
) -> Envelope:
    try:
        return open_envelope(data, signers, max_body_bytes=max_body_bytes)
    except UnicodeDecodeError:
        raise RemoteProtocolError("header is not valid UTF-8") from None


def decode_untrusted_body(model: type[B], data: bytes | None, what: str) -> B:
    try:
        return decode_body(model, data, what)
    except UnicodeDecodeError:
        raise RemoteProtocolError(f"{what}: body is not valid UTF-8") from None


def untrusted_charter(data: bytes) -> Charter:
    try:
        return Charter.from_bytes(data)
    except UnicodeDecodeError:
        raise RemoteProtocolError("invalid charter: not valid UTF-8") from None
