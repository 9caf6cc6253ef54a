"""The two renderings of a notification: a compact formatted message and a readable text.

Both carry the same header facts and the same items; TEST and EXERCISE banners open and close
every rendering, so a page torn from the middle of a printout still shows what it is (every
line of an unreal message could not be marked without hurting reading).
"""

from __future__ import annotations

from typing import Literal

from hotline.catalogue.i18n import language
from hotline.catalogue.notifications import HumanitarianMovement, HumanitarianSite, Notification
from hotline.catalogue.registry import CATALOGUE, Catalogue
from hotline.catalogue.render.context import RenderContext, dtg
from hotline.catalogue.render.describe import describe
from hotline.catalogue.render.fmt import INDENT, Fmt, Item
from hotline.protocol.types import Marking

__all__ = ["Form", "render"]

Form = Literal["compact", "readable"]
CHANGED = "» "


def render(
    notification: Notification,
    context: RenderContext,
    *,
    lang: str = "en",
    form: Form = "readable",
    catalogue: Catalogue = CATALOGUE,
) -> str:
    """The notification as text in ``lang`` (en, ru, uk), compact or readable."""
    f = Fmt(language(lang), compact=form == "compact")
    spec = catalogue.spec_of(notification)
    banners = (
        [f.t(f"marking.{context.marking.value}")] if context.marking is not Marking.REAL else []
    )
    if spec.immediate_ack:
        banners.append(f.t("ack.immediate"))
    if notification.type == "free_text":
        banners.append(f.t("unformatted.banner"))
    lines = [*banners, *_header(notification, context, f, spec.basis)]
    items = describe(notification, f)
    lines += _compact_items(items, "") if f.compact else ["", *_readable_items(items, "")]
    lines += _footer(notification, context, f)
    lines += reversed(banners)
    return "\n".join(_single_blank_lines(lines)) + "\n"


def _single_blank_lines(lines: list[str]) -> list[str]:
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return kept


def _references(notification: Notification, context: RenderContext, f: Fmt) -> str:
    refs: list[str] = []
    for ref in (*context.references, *notification.references()):
        text = f.ref(ref)
        if text not in refs:
            refs.append(text)
    return ", ".join(refs) if refs else f.t("hdr.none")


def _header(
    notification: Notification, context: RenderContext, f: Fmt, basis: str | None
) -> list[str]:
    number = context.message_id or f.t("hdr.unnumbered")
    if context.released is not None:
        stamp = dtg(context.released)
        released_compact = f"{stamp} ({f.time(context.released)})"
        released_readable = f"{f.lang.when(context.released)} (DTG {stamp})"
    else:
        released_compact = released_readable = f.t("hdr.unreleased")
    title = f.t(f"type.{notification.type}")
    rows = [
        ("hdr.precedence", f.t(f"precedence.{context.precedence.value}")),
        ("hdr.from", context.sender or f.t("hdr.unset")),
        ("hdr.to", ", ".join(context.recipients) or f.t("hdr.unset")),
        ("hdr.number", number),
        (
            "hdr.dtg" if f.compact else "hdr.released",
            released_compact if f.compact else released_readable,
        ),
        ("hdr.references", _references(notification, context, f)),
    ]
    if f.compact:
        lines = [f"{f.t(key).upper()}: {value}" for key, value in rows]
        lines.append(f"{f.t('hdr.subject').upper()}: {title.upper()}")
        if basis:
            lines.append(f"{f.t('hdr.basis').upper()}: {f.t(f'basis.{basis}')}")
        return lines
    lines = [title.upper()]
    if basis:
        lines.append(f"{f.t('hdr.basis')}: {f.t(f'basis.{basis}')}")
    lines.append("")
    lines += [f"{f.t(key)}: {value}" for key, value in rows]
    return lines


def _footer(notification: Notification, context: RenderContext, f: Fmt) -> list[str]:
    lines: list[str] = []
    inner = getattr(notification, "notification", notification)
    if isinstance(inner, HumanitarianSite | HumanitarianMovement):
        lines += ["", f.t("disclaimer.humanitarian")]
    if notification.unknown_fields:
        note = f.t(
            "newer.note",
            version=f"{notification.type} {notification.body_version}",
            fields=", ".join(notification.unknown_fields),
        )
        lines += ["", note]
    number = context.message_id or f.t("hdr.unnumbered")
    if not f.compact:
        lines.append("")
    lines.append(f.t("hdr.end", number=number))
    return lines


def _compact_items(items: list[Item], prefix: str) -> list[str]:
    lines: list[str] = []
    for n, item in enumerate(items, 1):
        number = f"{prefix}{n}."
        mark = CHANGED if item.changed else ""
        first, *rest = item.lines or [""]
        head = f"{mark}{number} {item.label.upper()}"
        lines.append(
            f"{head}: {first}" if first else (f"{head}:" if rest or item.children else head)
        )
        pad = " " * (len(number) + 1)
        lines += [
            f"{pad}{line.removeprefix(INDENT)}" if line.startswith(INDENT) else f"{pad}{line}"
            for line in rest
        ]
        if item.children:
            lines += [pad + line for line in _compact_items(item.children, number)]
    return lines


def _readable_items(items: list[Item], indent: str) -> list[str]:
    lines: list[str] = []
    for item in items:
        if item.children and lines and lines[-1]:
            lines.append("")
        mark = CHANGED if item.changed else ""
        first, *rest = item.lines or [""]
        if not item.lines:
            lines.append(f"{indent}{mark}{item.label}")
        else:
            lines.append(f"{indent}{mark}{item.label}: {first}".rstrip())
        lines += [f"{indent}{INDENT if not line.startswith(INDENT) else ''}{line}" for line in rest]
        if item.children:
            lines += _readable_items(item.children, indent + INDENT)
            lines.append("")
    return lines
