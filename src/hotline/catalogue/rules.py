"""Release rules: precedence limits, lead times, word and size limits, each a warning or a block.

The catalogue gives every type its defaults (``hotline.catalogue.registry``); a channel charter
can carry a :class:`ChannelRules` to override them. The time is always passed in as ``now``:
the catalogue never reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Final

from pydantic import Field, model_validator

from hotline.catalogue.body import MAX_BODY_BYTES, encode_body
from hotline.catalogue.errors import PrecedenceNotAllowedError, ReleaseBlockedError
from hotline.catalogue.fields import Record, fail
from hotline.catalogue.notifications import (
    Amendment,
    IncidentReport,
    Notification,
    ProximityAlert,
    RequestForInformation,
    Supersession,
)
from hotline.catalogue.registry import CATALOGUE, Catalogue, LeadTime, Outcome, TypeSpec
from hotline.protocol.types import Precedence

__all__ = [
    "DEFAULT_RULES",
    "ChannelRules",
    "Finding",
    "LeadTimeRule",
    "Outcome",
    "TypeRules",
    "allowed_precedences",
    "check_precedence",
    "check_release",
    "require_release",
]

# Free text is always allowed: a channel must never be unable to say something.
ALWAYS_ALLOWED: Final = "free_text"

# A report of something that happened may carry a time slightly ahead of ours: clocks differ.
CLOCK_SKEW_ALLOWANCE: Final = timedelta(minutes=5)


class LeadTimeRule(Record):
    """At least ``min_lead_s`` seconds between release and the start of the activity."""

    min_lead_s: Annotated[int, Field(ge=0, le=366 * 86400)]
    outcome: Outcome


class TypeRules(Record):
    """A charter's overrides for one notification type."""

    lead_time: LeadTimeRule | None = None
    precedences: Annotated[tuple[Precedence, ...], Field(min_length=1)] | None = Field(
        default=None, description="Narrows the precedences the type allows; cannot widen them"
    )


class ChannelRules(Record):
    """Rules a channel charter carries; anything not given keeps the catalogue's default."""

    allowed_types: Annotated[tuple[str, ...], Field(min_length=1)] | None = Field(
        default=None,
        description="Types allowed in the channel (free text always is); absent means all",
    )
    types: dict[str, TypeRules] = Field(default_factory=dict)
    max_words: dict[Precedence, Annotated[int, Field(ge=1)]] = Field(
        default_factory=lambda: {Precedence.FLASH: 200, Precedence.IMMEDIATE: 200},
        description="Most words of free text a body may carry, per precedence",
    )
    max_words_outcome: Outcome = Outcome.BLOCK
    max_body_bytes: Annotated[int, Field(ge=1024, le=MAX_BODY_BYTES)] = MAX_BODY_BYTES

    @model_validator(mode="after")
    def _known_types(self) -> ChannelRules:
        names = set(CATALOGUE.names)
        for name in (*(self.allowed_types or ()), *self.types):
            if name not in names:
                raise fail(f"{name!r} is not a notification type; use one of {sorted(names)}")
        for name, rules in self.types.items():
            if rules.precedences is not None:
                wider = set(rules.precedences) - set(CATALOGUE.spec(name).precedences)
                if wider:
                    bad = ", ".join(sorted(p.value for p in wider))
                    raise fail(f"types.{name}.precedences: {bad} is not allowed for {name}")
        return self


DEFAULT_RULES: Final = ChannelRules()


@dataclass(frozen=True)
class Finding:
    """One broken rule: what it is, whether it warns or blocks, where, and why."""

    code: str
    outcome: Outcome
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.outcome.value}: {where}{self.message}"


def allowed_precedences(
    notification: Notification,
    rules: ChannelRules = DEFAULT_RULES,
    catalogue: Catalogue = CATALOGUE,
) -> tuple[Precedence, ...]:
    """Precedences this notification may be sent with, highest first."""
    spec = catalogue.spec_of(notification)
    narrowed = rules.types.get(spec.name, TypeRules()).precedences
    if narrowed is None:
        return spec.precedences
    return tuple(p for p in spec.precedences if p in narrowed)


def check_precedence(
    notification: Notification,
    precedence: Precedence,
    rules: ChannelRules = DEFAULT_RULES,
    catalogue: Catalogue = CATALOGUE,
) -> None:
    """Raise :class:`PrecedenceNotAllowedError` unless ``precedence`` is allowed for the type."""
    allowed = allowed_precedences(notification, rules, catalogue)
    if precedence not in allowed:
        raise PrecedenceNotAllowedError(notification.type, precedence, allowed)


def _duration(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _lead_rule(spec: TypeSpec, rules: ChannelRules) -> LeadTime | None:
    override = rules.types.get(spec.name, TypeRules()).lead_time
    if override is not None:
        return LeadTime(
            timedelta(seconds=override.min_lead_s), override.outcome, "the channel charter's rule"
        )
    return spec.lead_time


def _timing(
    notification: Notification, spec: TypeSpec, rules: ChannelRules, now: datetime, prefix: str
) -> list[Finding]:
    findings: list[Finding] = []
    start, end = notification.activity_start(), notification.activity_end()
    start_path, end_path = (prefix + p for p in notification.activity_paths())
    if end is not None and end <= now:
        findings.append(
            Finding(
                "activity_over",
                Outcome.BLOCK,
                end_path,
                f"the activity ended {_duration(now - end)} ago; there is nothing to notify",
            )
        )
        return findings
    rule = _lead_rule(spec, rules)
    if rule is not None and start is not None:
        lead = start - now
        if lead < rule.minimum:
            told = (
                f"starts in {_duration(lead)}"
                if lead >= timedelta(0)
                else f"started {_duration(lead)} ago"
            )
            findings.append(
                Finding(
                    "lead_time",
                    rule.outcome,
                    start_path,
                    f"the activity {told}; {rule.why} "
                    f"(at least {_duration(rule.minimum)}, so release by "
                    f"{(start - rule.minimum).strftime('%Y-%m-%d %H:%M')} UTC)",
                )
            )
    return findings


def check_release(
    notification: Notification,
    precedence: Precedence,
    *,
    now: datetime,
    rules: ChannelRules = DEFAULT_RULES,
    catalogue: Catalogue = CATALOGUE,
) -> list[Finding]:
    """Every rule this notification breaks if released at ``now`` with ``precedence``."""
    if now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware UTC datetime")
    spec = catalogue.spec_of(notification)
    findings: list[Finding] = []
    if (
        rules.allowed_types is not None
        and spec.name not in rules.allowed_types
        and spec.name != ALWAYS_ALLOWED
    ):
        findings.append(
            Finding(
                "type_not_allowed",
                Outcome.BLOCK,
                "type",
                f"{spec.name} is not allowed in this channel; its charter allows "
                f"{', '.join(rules.allowed_types)}",
            )
        )
    allowed = allowed_precedences(notification, rules, catalogue)
    if precedence not in allowed:
        findings.append(
            Finding(
                "precedence",
                Outcome.BLOCK,
                "precedence",
                f"{precedence.value} is not allowed for {spec.name}; use "
                f"{', '.join(p.value for p in allowed)}",
            )
        )
    if isinstance(notification, Amendment | Supersession):
        inner = notification.notification
        findings += _timing(inner, catalogue.spec_of(inner), rules, now, "notification.")
    else:
        findings += _timing(notification, spec, rules, now, "")
    if isinstance(notification, IncidentReport) and notification.occurred_at > (
        now + CLOCK_SKEW_ALLOWANCE
    ):
        findings.append(
            Finding(
                "in_future",
                Outcome.BLOCK,
                "occurred_at",
                f"is {_duration(notification.occurred_at - now)} in the future; "
                "an incident report describes something that has happened",
            )
        )
    if isinstance(notification, ProximityAlert) and notification.cpa_time < now:
        findings.append(
            Finding(
                "stale_alert",
                Outcome.WARN,
                "cpa_time",
                f"the closest approach was {_duration(now - notification.cpa_time)} ago",
            )
        )
    if (
        isinstance(notification, RequestForInformation)
        and notification.reply_by is not None
        and notification.reply_by <= now
    ):
        findings.append(
            Finding("reply_by_past", Outcome.WARN, "reply_by", "is already past; set a later time")
        )
    limit = rules.max_words.get(precedence)
    if limit is not None:
        words = sum(t.word_count() for t in notification.free_texts())
        if words > limit:
            findings.append(
                Finding(
                    "too_many_words",
                    rules.max_words_outcome,
                    "",
                    f"{precedence.value} bodies carry at most {limit} words of free text; this "
                    f"one has {words}: shorten it, or send the detail separately at a lower "
                    "precedence",
                )
            )
    size = len(encode_body(notification))
    if size > rules.max_body_bytes:
        findings.append(
            Finding(
                "too_large",
                Outcome.BLOCK,
                "",
                f"the body is {size} bytes; this channel allows at most {rules.max_body_bytes}",
            )
        )
    return findings


def require_release(
    notification: Notification,
    precedence: Precedence,
    *,
    now: datetime,
    rules: ChannelRules = DEFAULT_RULES,
    catalogue: Catalogue = CATALOGUE,
) -> list[Finding]:
    """Raise :class:`ReleaseBlockedError` if any rule blocks; otherwise return the warnings."""
    findings = check_release(notification, precedence, now=now, rules=rules, catalogue=catalogue)
    blocking = [f for f in findings if f.outcome is Outcome.BLOCK]
    if blocking:
        raise ReleaseBlockedError(blocking)
    return findings
