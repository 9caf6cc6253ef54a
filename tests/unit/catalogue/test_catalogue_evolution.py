"""Schema evolution: peers on different minor versions still talk; a new major is refused.

The "newer" peer here is real code: a flight notice 1.1 that adds an optional field, built as a
subclass, encoded by the same codec and decoded by the catalogue as it ships (1.0).
"""

from __future__ import annotations

import json
from typing import Any, Literal

import pytest
from pydantic import Field

from hotline.catalogue import (
    CATALOGUE,
    Catalogue,
    FlightNotice,
    InvalidNotificationError,
    TypeSpec,
    UnsupportedVersionError,
    decode_body,
    encode_body,
    render,
)
from hotline.catalogue.examples import examples
from hotline.protocol.types import Precedence


class FlightNoticeV11(FlightNotice):
    """flight_notice 1.1: adds the transponder code the aircraft will squawk."""

    VERSION = (1, 1)
    squawk: str | None = Field(default=None, pattern=r"^[0-7]{4}$")


V11_CATALOGUE = Catalogue(
    [
        TypeSpec(FlightNoticeV11, (Precedence.PRIORITY,), Precedence.PRIORITY)
        if spec.name == "flight_notice"
        else spec
        for spec in CATALOGUE
    ]
)


def flight() -> FlightNotice:
    notification = examples()["flight_notice"].notification
    assert isinstance(notification, FlightNotice)
    return notification


def newer_flight(squawk: str | None = "7400") -> FlightNoticeV11:
    return FlightNoticeV11(**dict(flight()), squawk=squawk)


def test_a_newer_minor_body_decodes_on_the_older_reader_and_says_what_it_skipped() -> None:
    data = encode_body(newer_flight())
    assert json.loads(data)["version"] == "1.1"
    decoded = decode_body(data)  # the shipped reader knows 1.0
    assert type(decoded) is FlightNotice
    assert decoded.unknown_fields == ("squawk",)
    assert decoded.body_version == "1.1"
    assert decoded.model_dump() == flight().model_dump()  # everything it knows, intact


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        (
            "en",
            "NOTE: this message was written in a newer version (flight_notice 1.1) of its "
            "format. These fields are not shown here: squawk.",
        ),
        (
            "ru",
            "ВНИМАНИЕ: сообщение составлено в более новой версии (flight_notice 1.1) "
            "формата. Эти поля здесь не показаны: squawk.",
        ),
        (
            "uk",
            "УВАГА: повідомлення складено в новішій версії (flight_notice 1.1) формату. Ці "
            "поля тут не показано: squawk.",
        ),
    ],
)
def test_every_rendering_of_a_newer_body_shows_the_skipped_fields(lang: str, note: str) -> None:
    decoded = decode_body(encode_body(newer_flight()))
    context = examples()["flight_notice"].context
    for form in ("compact", "readable"):
        assert note in render(decoded, context, lang=lang, form=form)
    assert note not in render(flight(), context, lang=lang)


def test_unknown_fields_are_skipped_at_any_depth() -> None:
    body: dict[str, Any] = json.loads(encode_body(flight()))
    body["version"] = "1.3"
    body["area"]["corridor_name"] = "BLUE 7"
    body["aircraft"][1]["tail_number"] = "58-0001"
    decoded = decode_body(json.dumps(body).encode())
    assert sorted(decoded.unknown_fields) == ["aircraft[1].tail_number", "area.corridor_name"]
    assert decoded.model_dump() == flight().model_dump()


def test_unknown_fields_in_an_embedded_newer_notification_are_reported_under_its_path() -> None:
    amendment = json.loads(encode_body(examples()["amendment"].notification))
    amendment["notification"] = json.loads(encode_body(newer_flight()))
    data = json.dumps(amendment).encode()
    decoded = decode_body(data)
    assert decoded.unknown_fields == ("notification.squawk",)
    assert "notification.squawk" in render(decoded, examples()["amendment"].context)
    on_newer_reader = decode_body(data, catalogue=V11_CATALOGUE)
    assert on_newer_reader.unknown_fields == ()
    assert on_newer_reader.notification == newer_flight()  # type: ignore[attr-defined]


def test_the_same_field_in_a_body_of_the_readers_own_version_is_an_error() -> None:
    body = json.loads(encode_body(newer_flight()))
    body["version"] = "1.0"
    with pytest.raises(InvalidNotificationError) as caught:
        decode_body(json.dumps(body).encode())
    assert [str(i) for i in caught.value.issues] == [
        "squawk: is not a field of flight_notice 1.0; remove it (check its spelling)"
    ]


def test_a_newer_body_must_still_be_valid_in_everything_the_reader_knows() -> None:
    body = json.loads(encode_body(newer_flight()))
    body["window"]["end"] = body["window"]["start"]
    with pytest.raises(InvalidNotificationError) as caught:
        decode_body(json.dumps(body).encode())
    assert [str(i) for i in caught.value.issues] == ["window: end must be after start"]


def test_an_older_minor_body_decodes_on_the_newer_reader_with_defaults() -> None:
    data = encode_body(flight())  # written by 1.0
    decoded = decode_body(data, catalogue=V11_CATALOGUE)
    assert isinstance(decoded, FlightNoticeV11)
    assert decoded.squawk is None
    assert decoded.unknown_fields == ()
    assert decode_body(encode_body(newer_flight()), catalogue=V11_CATALOGUE) == newer_flight()


def test_an_unused_new_field_is_left_out_so_older_readers_see_nothing_unknown() -> None:
    decoded = decode_body(encode_body(newer_flight(squawk=None)))
    assert decoded.unknown_fields == ()
    assert decoded.body_version == "1.1"


def test_a_new_major_version_is_refused_with_what_to_do() -> None:
    body = json.loads(encode_body(flight()))
    body["version"] = "2.0"
    with pytest.raises(UnsupportedVersionError) as caught:
        decode_body(json.dumps(body).encode())
    assert caught.value.version == "2.0"
    assert "reads 1.x" in str(caught.value)
    assert "breaking change" in str(caught.value)


def test_a_newer_phrasebook_code_is_shown_as_unknown_never_guessed() -> None:
    body: dict[str, Any] = {
        "type": "short_message",
        "version": "1.4",
        "code_word": "HAZEL",
        "number": 3,
    }
    decoded = decode_body(json.dumps(body).encode())
    context = examples()["short_message"].context
    assert "the text of HAZEL 3 is not in this version's list of pre-agreed messages" in render(
        decoded, context, lang="en"
    )
    assert "текст сообщения HAZEL 3 отсутствует" in render(decoded, context, lang="ru")
    assert "текст повідомлення HAZEL 3 відсутній" in render(decoded, context, lang="uk")
    body["version"] = "1.0"
    with pytest.raises(InvalidNotificationError):
        decode_body(json.dumps(body).encode())


def test_version_literal_in_schema_matches_the_model() -> None:
    major, minor = FlightNotice.VERSION
    schema = FlightNotice.model_json_schema()
    version: dict[str, Literal["string"] | str] = schema["properties"]["version"]
    assert version["pattern"] == rf"^{major}\.[0-9]+$"
    assert f"{major}.{minor}" in version["description"]
    assert schema["required"][:2] == ["version", "type"]
