"""The catalogue at the API's edge: what an operator sends is checked before it is signed, and
what operators read is rendered in their language and in the original.

Nothing reaches the channel unless it decodes with the catalogue and passes the charter's
release rules at the moment of sending; the body sent is the catalogue's canonical bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError

from hotline.catalogue import (
    CATALOGUE,
    ChannelRules,
    Finding,
    FreeText,
    InvalidNotificationError,
    Issue,
    MessageRef,
    Notification,
    OriginalText,
    RenderContext,
    decode_body,
    encode_body,
    render,
    require_release,
)
from hotline.catalogue.i18n import LANGUAGES, language
from hotline.errors import CatalogueError
from hotline.node.views import MessageView
from hotline.protocol.charter import Charter
from hotline.protocol.types import Marking, Precedence

__all__ = [
    "CharterRulesError",
    "RenderedMessage",
    "channel_rules",
    "checked_body",
    "rendered",
]

SUBJECT_CHARS = 60


class CharterRulesError(CatalogueError):
    """The charter's catalogue rules cannot be read (a charter every member signed: a bug or a
    newer catalogue on the proposer's side)."""


def channel_rules(charter: Charter) -> ChannelRules:
    """The catalogue rules a charter carries; its `types` list narrows the allowed types."""
    try:
        rules = ChannelRules.model_validate(charter.rules)
    except ValidationError as exc:
        raise CharterRulesError(
            f"the channel's charter carries rules this node cannot read: {exc}"
        ) from None
    if charter.types != ["*"] and rules.allowed_types is None:
        rules = rules.model_copy(update={"allowed_types": tuple(charter.types)})
    return rules


def checked_body(
    body: dict[str, object] | str,
    prec: Precedence,
    charter: Charter,
    *,
    author_lang: str,
    now_ms: int,
) -> tuple[bytes, list[Finding]]:
    """The canonical bytes of an operator's body, and the warnings of its release rules.

    Free text (a plain string) becomes the catalogue's free-text type in the author's language.
    Raises `InvalidNotificationError` (every problem with its path), `ReleaseBlockedError`.
    """
    if isinstance(body, str):
        try:
            notification: Notification = FreeText(text=OriginalText(lang=author_lang, text=body))
        except ValidationError as exc:
            issues = [
                Issue(".".join(map(str, ("text", *e["loc"]))), e["msg"]) for e in exc.errors()
            ]
            raise InvalidNotificationError(issues) from None
    else:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        notification = decode_body(data)
    now = datetime.fromtimestamp(now_ms / 1000, UTC)
    warnings = require_release(notification, prec, now=now, rules=channel_rules(charter))
    return encode_body(notification), warnings


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    """What an operator reads of one message: its type and subject, and its renderings by
    language (the operator's and the original). `problem` says why there is none."""

    type: str | None
    subject: str
    original_lang: str | None
    renderings: dict[str, str]
    problem: str | None = None


def render_context(view: MessageView) -> RenderContext:
    """The header facts a rendering shows, taken from the message's signed envelope."""
    return RenderContext(
        precedence=Precedence(view.prec),
        marking=Marking(view.mark),
        sender=view.sender,
        recipients=tuple(view.to),
        number=view.seq,
        released=datetime.fromtimestamp(view.sent_ms // 1000, UTC),  # whole seconds
        references=tuple(MessageRef(party=p, number=n) for p, n in view.refs),
    )


def original_language(notification: Notification, channel_languages: list[str]) -> str:
    """The language a message was written in: its free text's, else the channel's first."""
    texts = [t for t in notification.free_texts() if t.lang in LANGUAGES]
    if texts:
        return texts[0].lang
    first = channel_languages[0] if channel_languages else "en"
    return first if first in LANGUAGES else "en"


def rendered(view: MessageView, charter: Charter, operator_lang: str) -> RenderedMessage:
    """Render a stored message from its envelope facts, in the operator's language and in the
    original one (the language of its free text, else the channel's first language)."""
    if view.body is None:
        return RenderedMessage(None, "", None, {}, "the body is not held by this node")
    try:
        notification = decode_body(view.body.encode("utf-8"))
    except InvalidNotificationError as exc:
        return RenderedMessage(None, "(unreadable body)", None, {}, f"the body is refused: {exc}")
    original = original_language(notification, list(charter.languages))
    renderings: dict[str, str] = {}
    try:
        context = render_context(view)
        for lang in dict.fromkeys((operator_lang, original)):
            if lang in LANGUAGES:
                renderings[lang] = render(notification, context, lang=lang, form="readable")
    except (ValidationError, ValueError, LookupError) as exc:
        # A peer's envelope facts the catalogue cannot show: list the message all the same.
        return RenderedMessage(notification.type, notification.type, original, {}, str(exc))
    return RenderedMessage(
        notification.type,
        _subject(notification, operator_lang),
        original,
        renderings,
        None if renderings else f"no rendering in {operator_lang} or {original}",
    )


def _subject(notification: Notification, lang: str) -> str:
    title = language(lang if lang in LANGUAGES else "en").t(f"type.{notification.type}")
    texts = list(notification.free_texts())
    if notification.type == CATALOGUE.spec("free_text").name and texts:
        first = " ".join(texts[0].text.split())
        cut = first if len(first) <= SUBJECT_CHARS else first[: SUBJECT_CHARS - 1] + "…"
        return cut
    return title
