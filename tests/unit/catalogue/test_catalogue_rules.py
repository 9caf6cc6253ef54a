"""Release rules: precedence limits, lead times, word and size limits; warn or block."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from hotline.catalogue import (
    ChannelRules,
    Finding,
    FreeText,
    OriginalText,
    Outcome,
    PrecedenceNotAllowedError,
    ReleaseBlockedError,
    allowed_precedences,
    check_precedence,
    check_release,
    require_release,
)
from hotline.catalogue.body import issues_from
from hotline.catalogue.examples import examples
from hotline.catalogue.notifications import Notification
from hotline.protocol.types import Precedence

FLASH, IMMEDIATE, PRIORITY, ROUTINE = (
    Precedence.FLASH,
    Precedence.IMMEDIATE,
    Precedence.PRIORITY,
    Precedence.ROUTINE,
)


def notice(name: str) -> Notification:
    return examples()[name].notification


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def codes(findings: list[Finding]) -> list[tuple[str, Outcome, str]]:
    return [(f.code, f.outcome, f.path) for f in findings]


def test_stop_check_fire_is_flash_only() -> None:
    stop = notice("stop_check_fire")
    check_precedence(stop, FLASH)
    with pytest.raises(PrecedenceNotAllowedError) as caught:
        check_precedence(stop, ROUTINE)
    assert str(caught.value) == (
        "precedence: ROUTINE is not allowed for stop_check_fire; use one of FLASH"
    )


def test_missile_launch_needs_24_hours_and_blocks_without_them() -> None:
    launch = notice("missile_launch")  # window starts 2026-11-27 06:00
    assert check_release(launch, PRIORITY, now=at("2026-11-26T06:00:00")) == []
    findings = check_release(launch, PRIORITY, now=at("2026-11-26T10:00:00"))
    assert codes(findings) == [("lead_time", Outcome.BLOCK, "launch_window.start")]
    assert findings[0].message == (
        "the activity starts in 20 h 00 min; the 1988 agreement requires at least 24 hours' "
        "notice (at least 24 h 00 min, so release by 2026-11-26 06:00 UTC)"
    )
    with pytest.raises(ReleaseBlockedError) as caught:
        require_release(launch, PRIORITY, now=at("2026-11-26T10:00:00"))
    assert caught.value.findings == tuple(findings)


def test_a_flight_notice_late_by_the_default_rule_only_warns() -> None:
    flight = notice("flight_notice")  # window 2026-11-26 06:00-12:00
    findings = require_release(flight, PRIORITY, now=at("2026-11-26T05:00:00"))
    assert codes(findings) == [("lead_time", Outcome.WARN, "window.start")]
    assert str(findings[0]).startswith("warn: window.start: the activity starts in 1 h 00 min")


def test_a_charter_can_override_lead_time_and_outcome() -> None:
    strict = ChannelRules.model_validate(
        {"types": {"flight_notice": {"lead_time": {"min_lead_s": 6 * 3600, "outcome": "block"}}}}
    )
    findings = check_release(
        notice("flight_notice"), PRIORITY, now=at("2026-11-26T01:00:00"), rules=strict
    )
    assert codes(findings) == [("lead_time", Outcome.BLOCK, "window.start")]
    assert "the channel charter's rule" in findings[0].message


def test_an_activity_already_over_cannot_be_notified() -> None:
    findings = check_release(notice("hazard_warning"), ROUTINE, now=at("2026-12-04T00:00:00"))
    assert codes(findings) == [("activity_over", Outcome.BLOCK, "windows[1].end")]


def test_an_activity_already_started_is_told_as_such() -> None:
    findings = check_release(notice("laser_notice"), PRIORITY, now=at("2026-11-28T09:00:00"))
    assert findings[0].message.startswith("the activity started 1 h 00 min ago;")


def test_amendments_are_held_to_the_lead_time_of_what_they_carry() -> None:
    findings = check_release(notice("amendment"), PRIORITY, now=at("2026-11-26T07:30:00"))
    assert codes(findings) == [("lead_time", Outcome.WARN, "notification.window.start")]


def test_an_incident_cannot_be_reported_from_the_future() -> None:
    report = notice("incident_report")  # occurred 2026-11-24 07:03
    assert check_release(report, IMMEDIATE, now=at("2026-11-24T06:59:00")) == []  # skew
    findings = check_release(report, IMMEDIATE, now=at("2026-11-24T06:30:00"))
    assert codes(findings) == [("in_future", Outcome.BLOCK, "occurred_at")]


def test_stale_alerts_and_past_reply_times_warn() -> None:
    alert = check_release(notice("proximity_alert"), FLASH, now=at("2026-11-26T08:25:00"))
    assert codes(alert) == [("stale_alert", Outcome.WARN, "cpa_time")]
    rfi = check_release(notice("rfi"), PRIORITY, now=at("2026-11-26T11:00:00"))
    assert codes(rfi) == [("reply_by_past", Outcome.WARN, "reply_by")]


def test_flash_and_immediate_bodies_are_limited_to_200_words() -> None:
    words = " ".join(["word"] * 201)
    long_text = FreeText(text=OriginalText(lang="en", text=words))
    now = at("2026-01-01T00:00:00")
    assert codes(check_release(long_text, FLASH, now=now)) == [
        ("too_many_words", Outcome.BLOCK, "")
    ]
    assert check_release(long_text, PRIORITY, now=now) == []
    exactly = FreeText(text=OriginalText(lang="en", text=" ".join(["word"] * 200)))
    assert check_release(exactly, IMMEDIATE, now=now) == []


def test_charter_rules_narrow_types_and_precedences() -> None:
    rules = ChannelRules.model_validate(
        {
            "allowed_types": ["free_text", "incident_report"],
            "types": {"incident_report": {"precedences": ["FLASH", "IMMEDIATE"]}},
            "max_body_bytes": 1024,
        }
    )
    now = at("2026-11-25T00:00:00")
    assert allowed_precedences(notice("incident_report"), rules) == (FLASH, IMMEDIATE)
    assert codes(check_release(notice("incident_report"), ROUTINE, now=now, rules=rules)) == [
        ("precedence", Outcome.BLOCK, "precedence")
    ]
    assert codes(check_release(notice("rfi"), PRIORITY, now=now, rules=rules)) == [
        ("type_not_allowed", Outcome.BLOCK, "type")
    ]
    rules = rules.model_copy(update={"allowed_types": ("incident_report",)})
    assert check_release(notice("free_text"), ROUTINE, now=now, rules=rules) == []  # always
    big = FreeText(text=OriginalText(lang="en", text="x" * 1500))
    assert codes(check_release(big, ROUTINE, now=now, rules=rules)) == [
        ("too_large", Outcome.BLOCK, "")
    ]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"types": {"stop_check_fire": {"precedences": ["ROUTINE"]}}}, "is not allowed for"),
        ({"allowed_types": ["telegram"]}, "'telegram' is not a notification type"),
        ({"max_body_bytes": 10}, "must be ≥ 1024"),
    ],
)
def test_charter_rules_cannot_widen_or_name_unknown_types(rules: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ChannelRules.model_validate(rules)
    assert message in "; ".join(str(i) for i in issues_from(caught.value))


def test_the_clock_is_an_argument_and_must_be_utc() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        check_release(notice("rfi"), PRIORITY, now=datetime(2026, 1, 1))
    released = at("2026-11-26T07:10:00")
    assert check_release(notice("rfi"), PRIORITY, now=released) == []
    assert check_release(notice("rfi"), PRIORITY, now=released + timedelta(hours=3)) != []
