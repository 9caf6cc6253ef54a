"""Messages as the console shows them: a view of the node's MessageView with both renderings.

The original is rendered in the language its author wrote in (the language of its own text,
else the channel's first language) and beside it in the reader's language; both are built from
the structure by the catalogue, never by machine translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.api.bodies import original_language, render_context
from hotline.catalogue import (
    LANGUAGES,
    InvalidNotificationError,
    Notification,
    decode_body,
    render,
)
from hotline.catalogue.notifications import AMENDABLE
from hotline.console.references import in_force_notification
from hotline.node.views import MessageView

__all__ = ["Card", "card_of"]


@dataclass(frozen=True)
class Card:
    view: MessageView
    message_id: str  # US-0042
    title: str  # the type, for the list
    summary: str  # the first lines of the reader's rendering, shown when the body is folded
    original_lang: str
    original: str | None  # None when the body could not be decoded
    translated: str | None  # None when the reader's language is the original's
    reader_lang: str
    acknowledged_by_me: bool
    can_acknowledge: bool
    amendable: bool = False  # its notification (or the one it carries) can be amended


def card_of(view: MessageView, me: str, reader_lang: str, channel_languages: list[str]) -> Card:
    message_id = f"{view.sender}-{view.seq:04d}"
    reader = reader_lang if reader_lang in LANGUAGES else "en"
    acked = any(a.party == me for a in view.acks)
    can_ack = view.direction == "in" and view.kind == "notification" and not acked
    notification: Notification | None = None
    if view.body is not None:
        try:
            notification = decode_body(view.body.encode())
        except InvalidNotificationError:
            notification = None
    if notification is None:
        summary = view.kind
        return Card(
            view, message_id, view.kind, summary, reader, None, None, reader, acked, can_ack
        )
    context = render_context(view)
    author = original_language(notification, channel_languages)
    original = render(notification, context, lang=author)
    translated = render(notification, context, lang=reader) if reader != author else None
    shown = translated or original
    summary = " · ".join(line for line in shown.splitlines()[:12] if line and ":" not in line)
    return Card(
        view,
        message_id,
        notification.type,
        summary or notification.type,
        author,
        original,
        translated,
        reader,
        acked,
        can_ack,
        isinstance(in_force_notification(notification), AMENDABLE),
    )
