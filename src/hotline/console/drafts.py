"""Checking a draft before release: validation with field paths, release rules, and previews in
every language of the channel (and the operator's), exactly as the peers will render it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from hotline.catalogue import (
    LANGUAGES,
    InvalidNotificationError,
    Issue,
    MessageRef,
    Notification,
    RenderContext,
    check_precedence,
    check_release,
    decode_body,
    render,
)
from hotline.catalogue.errors import PrecedenceNotAllowedError
from hotline.catalogue.registry import Outcome
from hotline.console.forms import (
    FormField,
    Template,
    fields_of,
    issues_by_field,
    object_from_form,
)
from hotline.protocol.types import Marking, Precedence

__all__ = [
    "WRAPPED",
    "Draft",
    "check_body",
    "check_form",
    "chosen_recipients",
    "preview_languages",
]

WRAPPED = "notification"  # where an amendment carries the form's notification


@dataclass
class Draft:
    """A checked draft: ``notification`` is set only when nothing blocks its release."""

    issues: list[Issue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    previews: dict[str, str] = field(default_factory=dict)  # language -> rendering
    notification: Notification | None = None
    fields: list[FormField] = field(default_factory=list)
    field_issues: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)


def chosen_recipients(form: Mapping[str, str], others: Sequence[str]) -> list[str]:
    """The parties ticked in a posted form (``to:RU``), in the charter's order; everyone when
    none is ticked (a notification to nobody is not a notification)."""
    ticked = [p for p in others if form.get(f"to:{p}")]
    return ticked or list(others)


def preview_languages(channel_languages: Sequence[str], reader: str) -> list[str]:
    wanted = [reader, *channel_languages]
    return [lang for lang in dict.fromkeys(wanted) if lang in LANGUAGES]


def check_body(
    body: Mapping[str, object],
    *,
    prec: Precedence,
    mark: Marking,
    sender: str,
    recipients: Sequence[str],
    languages: Sequence[str],
    now_ms: int,
    references: Sequence[MessageRef] = (),
) -> Draft:
    """Validate a body object and the release rules; render previews if it validates."""
    draft = Draft()
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        notification = decode_body(data)
    except InvalidNotificationError as exc:
        draft.issues = list(exc.issues)
        return draft
    try:
        check_precedence(notification, prec)
    except PrecedenceNotAllowedError as exc:
        draft.issues = [Issue("", str(exc))]
        return draft
    now = datetime.fromtimestamp(now_ms / 1000, UTC)
    for finding in check_release(notification, prec, now=now):
        if finding.outcome is Outcome.BLOCK:
            draft.issues.append(Issue(finding.path, finding.message))
        else:
            draft.warnings.append(f"{finding.path}: {finding.message}".lstrip(": "))
    context = RenderContext(
        precedence=prec,
        marking=mark,
        sender=sender,
        recipients=tuple(recipients),
        references=tuple(references),
    )
    draft.previews = {lang: render(notification, context, lang=lang) for lang in languages}
    if not draft.issues:
        draft.notification = notification
    return draft


def check_form(
    type_name: str,
    values: Mapping[str, str],
    *,
    template: Template | None = None,
    wrap: Callable[[dict[str, object]], dict[str, object]] | None = None,
    prec: Precedence,
    mark: Marking,
    sender: str,
    recipients: Sequence[str],
    languages: Sequence[str],
    now_ms: int,
    references: Sequence[MessageRef] = (),
) -> Draft:
    """Like :func:`check_body`, for a posted form; issues are placed at their inputs.

    ``template`` lays the form out (the catalogue's example by default); ``wrap`` puts the
    form's object inside the body checked (an amendment carries it as ``notification``: its
    issues there are placed at the form's inputs)."""
    body = object_from_form(type_name, values, template)
    draft = check_body(
        wrap(body) if wrap else body,
        prec=prec,
        mark=mark,
        sender=sender,
        recipients=recipients,
        languages=languages,
        now_ms=now_ms,
        references=references,
    )
    draft.fields = fields_of(type_name, values, template)
    issues = draft.issues
    if wrap is not None:
        issues = [
            Issue(i.path.removeprefix(WRAPPED + "."), i.message)
            if i.path.startswith(WRAPPED + ".")
            else Issue("", f"{i.path}: {i.message}" if i.path else i.message)
            for i in issues
        ]
    draft.field_issues, draft.general = issues_by_field(issues, draft.fields)
    return draft
