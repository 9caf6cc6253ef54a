"""Files an operator hands to ``hotline validate`` and ``hotline render``: either a body as it
travels on the wire, or a message file ``{"context": {...}, "body": {...}}`` that adds the
envelope facts a rendering shows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from pydantic import ValidationError

from hotline.catalogue.body import MAX_BODY_BYTES, issues_from, parse_json
from hotline.catalogue.errors import InvalidNotificationError, Issue, MalformedBodyError
from hotline.catalogue.render import RenderContext

__all__ = ["MAX_FILE_BYTES", "MessageFile", "read_message_file"]

MAX_FILE_BYTES: Final = 4 * MAX_BODY_BYTES


@dataclass(frozen=True)
class MessageFile:
    """The body bytes to decode, the context if the file gave one, and where the body sits
    in the file (``body`` for a message file), to prefix error paths."""

    body: bytes
    context: RenderContext | None
    body_path: str


def read_message_file(data: bytes) -> MessageFile:
    """Split a file into body bytes and optional context; raise InvalidNotificationError."""
    if len(data) > MAX_FILE_BYTES:
        raise MalformedBodyError(f"file is {len(data)} bytes; at most {MAX_FILE_BYTES} accepted")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedBodyError(f"file is not valid UTF-8 (byte {exc.start})") from None
    obj = parse_json(text)
    if not (isinstance(obj, dict) and "body" in obj and "type" not in obj):
        return MessageFile(data, None, "")
    extra = sorted(set(obj) - {"body", "context"})
    if extra:
        raise InvalidNotificationError(
            [Issue(k, "is not part of a message file; use context and body") for k in extra]
        )
    body = obj["body"]
    if not isinstance(body, dict):
        raise InvalidNotificationError([Issue("body", "must be a JSON object")])
    context = None
    if "context" in obj:
        try:
            context = RenderContext.model_validate_json(json.dumps(obj["context"]), strict=True)
        except ValidationError as exc:
            raise InvalidNotificationError(issues_from(exc, "context")) from None
    encoded = json.dumps(body, separators=(",", ":")).encode("ascii")  # escapes lone surrogates
    return MessageFile(encoded, context, "body")
