"""Checking drafts before release: blocks, warnings and previews in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

from hotline.catalogue.body import body_object
from hotline.catalogue.examples import examples
from hotline.console.drafts import check_body, check_form, chosen_recipients, preview_languages
from hotline.protocol.types import Marking, Precedence

NOW_MS = int(datetime(2026, 11, 25, 7, 0, tzinfo=UTC).timestamp() * 1000)
CONTEXT = {"sender": "US", "recipients": ["RU"], "languages": ["en", "ru"], "now_ms": NOW_MS}


def test_a_valid_draft_is_previewed_in_both_languages_and_marked() -> None:
    body = body_object(examples()["flight_notice"].notification)
    draft = check_body(body, prec=Precedence.PRIORITY, mark=Marking.EXERCISE, **CONTEXT)
    assert draft.notification == examples()["flight_notice"].notification
    assert draft.issues == []
    assert sorted(draft.previews) == ["en", "ru"]
    assert draft.previews["en"].startswith("EXERCISE")
    assert "ДЕЯТЕЛЬНОСТИ АВИАЦИИ" in draft.previews["ru"]


def test_a_launch_notified_too_late_is_blocked_at_its_field() -> None:
    body = body_object(examples()["missile_launch"].notification)
    body["launch_window"] = {"start": "2026-11-25T09:00:00Z", "end": "2026-11-25T10:00:00Z"}
    draft = check_body(body, prec=Precedence.PRIORITY, mark=Marking.REAL, **CONTEXT)
    assert draft.notification is None
    assert [i.path for i in draft.issues] == ["launch_window.start"]
    assert "24 hours" in draft.issues[0].message


def test_a_precedence_the_type_does_not_allow_is_refused() -> None:
    body = body_object(examples()["flight_notice"].notification)
    draft = check_body(body, prec=Precedence.FLASH, mark=Marking.REAL, **CONTEXT)
    assert draft.notification is None
    assert "FLASH is not allowed" in draft.issues[0].message


def test_a_form_draft_places_its_issues() -> None:
    draft = check_form(
        "flight_notice",
        {"window.start": "2026-13-01T00:00:00Z"},
        prec=Precedence.PRIORITY,
        mark=Marking.REAL,
        **CONTEXT,
    )
    assert draft.notification is None
    assert list(draft.field_issues) == ["window.start"]
    assert draft.previews == {}


def test_preview_languages_put_the_reader_first_and_skip_unknown_ones() -> None:
    assert preview_languages(["en", "ru", "xx"], "uk") == ["uk", "en", "ru"]
    assert preview_languages(["en"], "en") == ["en"]


def test_recipients_are_the_ticked_parties_or_everyone() -> None:
    others = ["RU", "UA", "UN-OCHA"]
    assert chosen_recipients({"to:UA": "1", "to:XX": "1"}, others) == ["UA"]
    assert chosen_recipients({"to:UN-OCHA": "1", "to:RU": "1"}, others) == ["RU", "UN-OCHA"]
    assert chosen_recipients({}, others) == others


def test_the_preview_names_the_chosen_recipients() -> None:
    body = body_object(examples()["flight_notice"].notification)
    context = CONTEXT | {"recipients": ["UA"]}
    draft = check_body(body, prec=Precedence.PRIORITY, mark=Marking.EXERCISE, **context)
    assert "\nTo: UA\n" in draft.previews["en"]
