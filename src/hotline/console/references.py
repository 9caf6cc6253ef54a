"""Composing a message that refers to an earlier one: an amendment, a cancellation or a reply.

The compose page is opened from a card with an intent and the referenced message. This module
decides which catalogue type that gives, lays the form out (an amendment's form is the amended
notification's own, filled with its values as they stand now, so the operator changes only what
changed) and builds the body to release from what is posted back. The reference itself always
comes from the store, never from the posted form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from hotline.catalogue import (
    Amendment,
    InvalidNotificationError,
    MessageRef,
    Notification,
    RequestForInformation,
    Supersession,
    decode_body,
    dtg,
)
from hotline.catalogue.body import body_object
from hotline.catalogue.examples import examples
from hotline.catalogue.notifications import AMENDABLE
from hotline.console.forms import Template
from hotline.errors import LocalProtocolError
from hotline.node.views import MessageView
from hotline.protocol.envelope import Ref

__all__ = [
    "INTENTS",
    "Intent",
    "NotReferableError",
    "Referenced",
    "amendment_object",
    "changed_fields",
    "in_force_notification",
    "referenced",
]

Intent = Literal["amend", "cancel", "reply"]
INTENTS: tuple[Intent, ...] = ("amend", "cancel", "reply")
_VERB = {"amend": "amends", "cancel": "cancels", "reply": "replies to"}


class NotReferableError(LocalProtocolError):
    """The message cannot be amended, cancelled or replied to (as asked) from the console."""

    def __init__(self, message_id: str, intent: str, reason: str) -> None:
        self.message_id, self.intent, self.reason = message_id, intent, reason
        super().__init__(f"cannot {intent} {message_id}: {reason}")


@dataclass(frozen=True)
class Referenced:
    """A compose page's reference: what it refers to, and how the form is laid out."""

    intent: Intent
    message_id: str  # US-0042
    ref: Ref  # the protocol reference sent as the API's ``refs`` (or the reply's target)
    title: str  # the referenced type's name in the reader's language
    dtg: str  # when the referenced message was released, as a date-time group
    type_name: str  # the catalogue type composed
    template: Template  # the form's layout and first values
    locked: str  # the body field that holds the reference (hidden in the form), or ""

    @property
    def message_ref(self) -> MessageRef:
        return MessageRef(party=self.ref.party, number=self.ref.seq, sha256=self.ref.id)

    def line(self, verb: Mapping[str, str] | None = None) -> str:
        """``amends US-0042, Flight notification, 251430ZNOV26`` (``verb`` translates)."""
        word = (verb or _VERB).get(self.intent, _VERB[self.intent])
        return f"{word} {self.message_id}, {self.title}, {self.dtg}"


def in_force_notification(notification: Notification) -> Notification:
    """The notification an amendment or supersession carries; any other is itself."""
    if isinstance(notification, Amendment | Supersession):
        return notification.notification
    return notification


def _decoded(view: MessageView, message_id: str, intent: str) -> Notification:
    if view.body is None:
        raise NotReferableError(message_id, intent, "its body is not held on this node")
    try:
        return decode_body(view.body.encode())
    except InvalidNotificationError:
        raise NotReferableError(message_id, intent, "its body does not decode") from None


def referenced(
    intent: Intent,
    view: MessageView,
    me: str,
    *,
    in_force: bool,
    titles: Mapping[str, str],
    lang: str = "en",
) -> Referenced:
    """The compose reference for ``intent`` on the stored message ``view``.

    Amend and cancel take our own notifications still in force; reply takes a peer's."""
    message_id = f"{view.sender}-{view.seq:04d}"
    notification = _decoded(view, message_id, intent)
    own = view.sender == me
    if view.kind != "notification":
        raise NotReferableError(message_id, intent, "it is a reply, not a notification")
    if intent in ("amend", "cancel"):
        if not own:
            raise NotReferableError(message_id, intent, f"it is {view.sender}'s, not {me}'s")
        if not in_force:
            raise NotReferableError(
                message_id, intent, "it was amended or cancelled since: open the newest one"
            )
    elif own:
        raise NotReferableError(message_id, intent, "it is our own: amend or cancel it instead")
    ref = Ref(party=view.sender, seq=view.seq, id=view.id)
    message_ref = MessageRef(party=view.sender, number=view.seq, sha256=view.id)
    released = dtg(datetime.fromtimestamp(view.sent_ms // 1000, UTC))
    title = titles.get(notification.type, notification.type)
    if intent == "amend":
        current = in_force_notification(notification)
        if not isinstance(current, AMENDABLE):
            raise NotReferableError(
                message_id, intent, f"a {current.type} cannot be amended: cancel it instead"
            )
        template: Template = body_object(current)
        return Referenced(
            intent, message_id, ref, title, released, current.type, template, locked=""
        )
    if intent == "cancel":
        layout = body_object(examples()["cancellation"].notification)
        layout["cancels"] = message_ref.model_dump(mode="json", exclude_none=True)
        layout.pop("remarks", None)
        layout["remarks"] = {"lang": lang, "text": ""}
        return Referenced(
            intent, message_id, ref, title, released, "cancellation", layout, locked="cancels"
        )
    if isinstance(notification, RequestForInformation):
        layout = body_object(examples()["rfi_response"].notification)
        layout["responds_to"] = message_ref.model_dump(mode="json", exclude_none=True)
        layout["answer"] = {"lang": lang, "text": ""}
        return Referenced(
            intent, message_id, ref, title, released, "rfi_response", layout, "responds_to"
        )
    layout = {"type": "free_text", "version": "1.0", "text": {"lang": lang, "text": ""}}
    return Referenced(intent, message_id, ref, title, released, "free_text", layout, locked="")


def changed_fields(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    """Top-level fields whose value differs (added or removed included), in a stable order."""
    names = [k for k in (*before, *after) if k not in ("type", "version")]
    return [k for k in dict.fromkeys(names) if before.get(k) != after.get(k)]


def amendment_object(
    reference: Referenced, amended: Mapping[str, object], reason: str, reason_lang: str
) -> dict[str, object]:
    """The amendment body: the notification as amended, the reference, the changed fields
    (computed, not typed) and the operator's reason if given. No change gives an empty
    ``changed``, which the catalogue refuses at that field."""
    body: dict[str, object] = {
        "type": "amendment",
        "version": body_object(examples()["amendment"].notification)["version"],
        "amends": reference.message_ref.model_dump(mode="json", exclude_none=True),
        "notification": dict(amended),
        "changed": changed_fields(reference.template, amended),
    }
    if reason.strip():
        body["reason"] = {"lang": reason_lang, "text": reason.strip()}
    return body
