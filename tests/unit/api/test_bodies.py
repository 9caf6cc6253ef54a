"""The catalogue at the API's edge: checks before signing, renderings for reading."""

import json
from datetime import UTC, datetime

import pytest

from hotline.api.bodies import channel_rules, checked_body, rendered
from hotline.catalogue import InvalidNotificationError, ReleaseBlockedError, decode_body
from hotline.node.views import MessageView
from hotline.protocol.charter import Charter, CharterMember
from hotline.protocol.types import Precedence

NOW_MS = int(datetime(2026, 11, 25, 6, 0, tzinfo=UTC).timestamp() * 1000)


def charter(**fields: object) -> Charter:
    members = [CharterMember(party=p, fingerprint="0" * 60, card=b"{}") for p in ("RU", "US")]
    return Charter(name="Black Sea", proposer="US", created_ms=1, members=members, **fields)


def view(body: bytes | None, *, prec: str = "FLASH", mark: str = "EXERCISE") -> MessageView:
    return MessageView(
        channel="c" * 64,
        sender="US",
        seq=3,
        id="0" * 64,
        kind="notification",
        prec=prec,
        mark=mark,
        direction="in",
        sent_ms=NOW_MS + 123,
        stored_ms=NOW_MS,
        to=["RU"],
        refs=[("RU", 2)],
        body=None if body is None else body.decode(),
        receipted_by=[],
    )


def test_free_text_becomes_the_catalogue_type_in_the_authors_language() -> None:
    body, warnings = checked_body(
        "Учения", Precedence.ROUTINE, charter(), author_lang="ru", now_ms=NOW_MS
    )
    notification = decode_body(body)
    assert notification.type == "free_text"
    assert [(t.lang, t.text) for t in notification.free_texts()] == [("ru", "Учения")]
    assert warnings == []


def test_every_problem_of_a_body_is_named_by_its_path() -> None:
    bad = {
        "type": "stop_check_fire",
        "version": "1.0",
        "reason": "BORED",
        "area": {"type": "Circle", "center": [935.1, 48.15], "radius_km": -5.0},
    }
    with pytest.raises(InvalidNotificationError) as caught:
        checked_body(bad, Precedence.FLASH, charter(), author_lang="en", now_ms=NOW_MS)
    assert [i.path for i in caught.value.issues] == ["reason", "area.center", "area.radius_km"]


def test_release_rules_block_a_wrong_precedence_and_types_outside_the_charter() -> None:
    check_fire = {"type": "stop_check_fire", "version": "1.0", "reason": "OTHER"}
    with pytest.raises(ReleaseBlockedError) as caught:
        checked_body(check_fire, Precedence.ROUTINE, charter(), author_lang="en", now_ms=NOW_MS)
    assert [f.path for f in caught.value.findings] == ["precedence"]
    narrow = charter(types=["free_text", "incident_report"])
    assert channel_rules(narrow).allowed_types == ("free_text", "incident_report")
    with pytest.raises(ReleaseBlockedError) as caught:
        checked_body(check_fire, Precedence.FLASH, narrow, author_lang="en", now_ms=NOW_MS)
    assert [f.code for f in caught.value.findings] == ["type_not_allowed"]


def test_the_body_sent_is_the_canonical_one() -> None:
    loose = {"version": "1.0", "reason": "OTHER", "type": "stop_check_fire"}
    body, _ = checked_body(loose, Precedence.FLASH, charter(), author_lang="en", now_ms=NOW_MS)
    assert body == json.dumps(json.loads(body), separators=(",", ":"), sort_keys=True).encode()


def test_renderings_are_in_the_readers_language_and_the_original() -> None:
    body, _ = checked_body(
        "Keep clear", Precedence.FLASH, charter(), author_lang="en", now_ms=NOW_MS
    )
    shown = rendered(view(body), charter(), "ru")
    assert shown.type == "free_text"
    assert shown.subject == "Keep clear"
    assert (shown.original_lang, sorted(shown.renderings)) == ("en", ["en", "ru"])
    assert "US-0003" in shown.renderings["en"]
    assert "RU-0002" in shown.renderings["en"]  # the reference, from the envelope
    assert "От: US" in shown.renderings["ru"]
    assert "EXERCISE" in shown.renderings["en"]


def test_an_unreadable_body_is_listed_with_the_reason() -> None:
    shown = rendered(view(b'{"type": "nope"}'), charter(), "en")
    assert shown.renderings == {}
    assert shown.problem is not None
    assert "unknown notification type" in shown.problem
    assert rendered(view(None), charter(), "en").problem == "the body is not held by this node"
