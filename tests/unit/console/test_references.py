"""Amend, cancel and reply from a card: forms filled from a stored notification, the body
built back from them, and which notifications are still in force."""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.catalogue import (
    Amendment,
    Cancellation,
    Notification,
    RfiResponse,
    Supersession,
    decode_body,
    encode_body,
)
from hotline.catalogue.body import body_object
from hotline.catalogue.examples import examples
from hotline.catalogue.notifications import AMENDABLE
from hotline.console.drafts import check_form
from hotline.console.forms import form_values, object_from_form
from hotline.console.lineage import Successor, lineage_of
from hotline.console.references import (
    NotReferableError,
    amendment_object,
    changed_fields,
    referenced,
)
from hotline.node.views import MessageView
from hotline.protocol.types import Marking, Precedence

NOW_MS = int(datetime(2026, 11, 20, 7, 0, tzinfo=UTC).timestamp() * 1000)
AMENDABLE_EXAMPLES = sorted(
    name for name, e in examples().items() if isinstance(e.notification, AMENDABLE)
)
ID = "ab" * 32
TITLES = {"flight_notice": "Flight notification"}


def view(name: str, sender: str = "US", seq: int = 42, kind: str = "notification") -> MessageView:
    body = encode_body(examples()[name].notification).decode()
    sent_ms = int(datetime(2026, 11, 25, 14, 30, tzinfo=UTC).timestamp() * 1000)
    direction = "out" if sender == "US" else "in"
    return MessageView(
        "c" * 64,
        sender,
        seq,
        ID,
        kind,
        "PRIORITY",
        "EXERCISE",
        direction,
        sent_ms,
        sent_ms,
        ["RU"],
        [],
        body,
        [],
    )


@pytest.mark.parametrize("name", AMENDABLE_EXAMPLES)
def test_a_form_filled_from_a_notification_rebuilds_the_same_body(name: str) -> None:
    """Posted back unchanged, the pre-filled form gives exactly the stored bytes."""
    notification = examples()[name].notification
    template = body_object(notification)
    rebuilt = object_from_form(name, form_values(template), template)
    assert rebuilt == template
    assert encode_body(decode_body_obj(rebuilt)) == encode_body(notification)


def decode_body_obj(obj: dict[str, object]) -> Notification:
    return decode_body(json.dumps(obj).encode())


TEXT = st.text(alphabet=string.ascii_letters + string.digits + " .,", min_size=1, max_size=80)


@given(
    name=st.sampled_from(AMENDABLE_EXAMPLES),
    edits=st.dictionaries(st.integers(0, 40), TEXT.map(str.strip).filter(bool), max_size=3),
)
def test_edited_free_texts_are_kept_and_named_as_changed(name: str, edits: dict[int, str]) -> None:
    """Whatever free texts the operator edits, the body carries them and ``changed`` names
    exactly the top-level fields that hold them."""
    template = body_object(examples()[name].notification)
    values = form_values(template)
    text_paths = [p for p in values if p.endswith(".text")]
    edited = {text_paths[i % len(text_paths)]: text for i, text in edits.items() if text_paths}
    rebuilt = object_from_form(name, values | edited, template)
    for path, text in edited.items():
        assert form_values(rebuilt)[path] == text
    expected = {p.split(".")[0].split("[")[0] for p, t in edited.items() if values[p] != t}
    assert set(changed_fields(template, rebuilt)) == expected
    assert decode_body_obj(rebuilt).type == name


def test_amending_a_flight_window_names_window_as_changed_and_references_it() -> None:
    reference = referenced("amend", view("flight_notice"), "US", in_force=True, titles=TITLES)
    assert reference.line() == "amends US-0042, Flight notification, 251430ZNOV26"
    values = form_values(reference.template)
    values["window.end"] = "2026-11-26T15:00:00Z"
    draft = check_form(
        "flight_notice",
        values,
        template=reference.template,
        wrap=partial(amendment_object, reference, reason="Delayed", reason_lang="en"),
        prec=Precedence.PRIORITY,
        mark=Marking.EXERCISE,
        sender="US",
        recipients=["RU"],
        languages=["en", "ru"],
        now_ms=NOW_MS,
    )
    amendment = draft.notification
    assert isinstance(amendment, Amendment), draft.issues
    assert amendment.changed == ("window",)
    assert (amendment.amends.party, amendment.amends.number, amendment.amends.sha256) == (
        "US",
        42,
        ID,
    )
    assert amendment.notification.activity_end() == datetime(2026, 11, 26, 15, tzinfo=UTC)
    assert "»" in draft.previews["en"]


def test_an_amendment_that_changes_nothing_is_refused_and_a_bad_field_lands_at_its_input() -> None:
    reference = referenced("amend", view("flight_notice"), "US", in_force=True, titles=TITLES)
    check = partial(
        check_form,
        "flight_notice",
        template=reference.template,
        wrap=partial(amendment_object, reference, reason="", reason_lang="en"),
        prec=Precedence.PRIORITY,
        mark=Marking.EXERCISE,
        sender="US",
        recipients=["RU"],
        languages=["en"],
        now_ms=NOW_MS,
    )
    unchanged = check(form_values(reference.template))
    assert unchanged.notification is None
    assert any(g.startswith("changed") for g in unchanged.general)
    bad = check(form_values(reference.template) | {"window.start": "tomorrow"})
    assert bad.notification is None
    assert list(bad.field_issues) == ["window.start"]


def test_a_cancellation_references_the_stored_message_and_needs_no_typing() -> None:
    reference = referenced("cancel", view("flight_notice"), "US", in_force=True, titles=TITLES)
    assert reference.locked == "cancels"
    body = object_from_form("cancellation", form_values(reference.template), reference.template)
    cancellation = decode_body_obj(body)
    assert isinstance(cancellation, Cancellation)
    assert (cancellation.cancels.party, cancellation.cancels.number) == ("US", 42)
    assert cancellation.remarks is None  # a blank remark is left out, language and all


def test_a_reply_to_a_question_is_an_rfi_response_and_to_anything_else_free_text() -> None:
    rfi = referenced("reply", view("rfi", sender="RU", seq=18), "US", in_force=True, titles={})
    assert (rfi.type_name, rfi.locked) == ("rfi_response", "responds_to")
    values = form_values(rfi.template) | {"answer.text": "Ends at 12:00 UTC."}
    response = decode_body_obj(object_from_form("rfi_response", values, rfi.template))
    assert isinstance(response, RfiResponse)
    assert str(response.responds_to) == "RU-0018"
    other = referenced("reply", view("flight_notice", sender="RU"), "US", in_force=True, titles={})
    assert other.type_name == "free_text"


@pytest.mark.parametrize(
    ("intent", "sender", "in_force", "kind", "reason"),
    [
        ("amend", "RU", True, "notification", "RU's, not US's"),
        ("cancel", "US", False, "notification", "amended or cancelled since"),
        ("reply", "US", True, "notification", "our own"),
        ("amend", "US", True, "reply", "a reply"),
    ],
)
def test_what_cannot_be_referenced_is_refused_with_the_reason(
    intent: str, sender: str, in_force: bool, kind: str, reason: str
) -> None:
    with pytest.raises(NotReferableError, match=reason):
        referenced(
            intent,  # type: ignore[arg-type]
            view("flight_notice", sender=sender, kind=kind),
            "US",
            in_force=in_force,
            titles={},
        )


def _amend(party: str, target: tuple[str, int]) -> bytes:
    example = examples()["amendment"].notification
    assert isinstance(example, Amendment)
    ref = example.amends.model_copy(update={"party": target[0], "number": target[1]})
    return encode_body(example.model_copy(update={"amends": ref}))


def _cancel(target: tuple[str, int]) -> bytes:
    example = examples()["cancellation"].notification
    assert isinstance(example, Cancellation)
    ref = example.cancels.model_copy(update={"party": target[0], "number": target[1]})
    return encode_body(example.model_copy(update={"cancels": ref}))


def test_lineage_follows_a_chain_of_amendments_and_a_cancellation() -> None:
    flight = encode_body(examples()["flight_notice"].notification)
    lineage = lineage_of(
        [
            ("US", 1, flight),
            ("US", 2, _amend("US", ("US", 1))),
            ("US", 3, _amend("US", ("US", 1))),  # names the original: replaces US-0002
            ("RU", 1, _cancel(("US", 3))),  # another party's: ignored
            ("US", 4, _cancel(("US", 1))),  # the line's newest is cancelled
        ]
    )
    assert lineage.replaced_by("US", 1) == Successor("amended", "US", 2)
    assert lineage.replaced_by("US", 2) == Successor("amended", "US", 3)
    assert lineage.replaced_by("US", 3) == Successor("cancelled", "US", 4)
    assert [lineage.in_force("US", n) for n in (1, 2, 3, 4)] == [False, False, False, True]
    assert lineage.in_force("RU", 1)


def test_a_loop_of_references_ends() -> None:
    """(A node refuses a reference to a message it lacks, so a loop needs a forged store;
    the walk must still end.)"""
    loop = [("US", 1, _amend("US", ("US", 2))), ("US", 2, _amend("US", ("US", 1)))]
    lineage = lineage_of([*loop, ("US", 3, _amend("US", ("US", 1)))])
    assert lineage.replaced_by("US", 2) == Successor("amended", "US", 1)
    assert lineage.replaced_by("US", 1) == Successor("amended", "US", 2)
    assert lineage.in_force("US", 3)


def test_a_supersession_replaces_and_an_amendment_after_a_cancellation_restores() -> None:
    """As in the engine (decision 15): a volume too many is safer than one too few."""
    example = examples()["supersession"].notification
    assert isinstance(example, Supersession)
    supersede = example.model_copy(
        update={"supersedes": example.supersedes.model_copy(update={"party": "UA", "number": 1})}
    )
    exercise = encode_body(examples()["naval_exercise"].notification)
    lineage = lineage_of(
        [
            ("UA", 1, exercise),
            ("UA", 2, encode_body(supersede)),
            ("UA", 3, _cancel(("UA", 1))),
            ("UA", 4, _amend("UA", ("UA", 1))),
        ]
    )
    assert lineage.replaced_by("UA", 1) == Successor("superseded", "UA", 2)
    assert lineage.replaced_by("UA", 2) == Successor("cancelled", "UA", 3)
    assert lineage.replaced_by("UA", 3) == Successor("amended", "UA", 4)
    assert lineage.in_force("UA", 4)
