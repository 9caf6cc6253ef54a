"""Optional fields of the compose form: one the template leaves out can be added, one it has
can be left out, and either way the rebuilt body validates and round-trips."""

from __future__ import annotations

import json

import pytest

from hotline.catalogue import decode_body, encode_body
from hotline.catalogue.body import body_object
from hotline.catalogue.examples import examples
from hotline.console.forms import (
    OMITTED,
    AddField,
    FieldHead,
    fields_of,
    form_entries,
    form_values,
    object_from_form,
    with_field_added,
    with_field_removed,
)

TYPES = sorted(examples())


def _form(type_name: str) -> dict[str, str]:
    return {f.path: f.value for f in fields_of(type_name)}


def _bytes(type_name: str, values: dict[str, str]) -> bytes:
    body = object_from_form(type_name, values)
    return encode_body(decode_body(json.dumps(body).encode()))


def _example_bytes(type_name: str) -> bytes:
    return encode_body(examples()[type_name].notification)


def _places(type_name: str, values: dict[str, str] | None = None) -> list[AddField]:
    return [e for e in form_entries(type_name, values) if isinstance(e, AddField)]


def _heads(type_name: str, values: dict[str, str] | None = None) -> list[FieldHead]:
    return [e for e in form_entries(type_name, values) if isinstance(e, FieldHead)]


CASES_ADD = [(t, p.path) for t in TYPES for p in _places(t)]
CASES_REMOVE = [(t, h.path) for t in TYPES for h in _heads(t)]


def test_the_catalogue_has_optional_fields_to_offer() -> None:
    added = {p for _, p in CASES_ADD}
    assert {
        "remarks",
        "account_of",
        "amends.sha256",
        "notification.altitude.lower.ft_amsl",
    } <= added
    assert {"remarks", "reason", "area.boundary"} <= {p for _, p in CASES_REMOVE}
    # a field with a default value (a switch, a count, a list) is always in a body
    assert ("hazard_warning", "remain_clear") not in CASES_REMOVE
    assert ("naval_exercise", "activities") not in CASES_REMOVE


@pytest.mark.parametrize(("type_name", "path"), CASES_ADD)
def test_an_added_field_is_laid_out_and_taken_away_again(type_name: str, path: str) -> None:
    values = _form(type_name)
    added = with_field_added(type_name, values, path, lang="ru")
    assert any(k == path or k.startswith((path + ".", path + "[")) for k in added)
    assert path in {h.path for h in _heads(type_name, added)}
    assert path not in {p.path for p in _places(type_name, added)}
    again = with_field_removed(added, path)
    assert {k: v for k, v in again.items() if k != path + OMITTED} == values
    assert path in {p.path for p in _places(type_name, again)}
    assert _bytes(type_name, again) == _example_bytes(type_name)


@pytest.mark.parametrize(("type_name", "path"), CASES_REMOVE)
def test_a_field_left_out_and_added_back_round_trips(type_name: str, path: str) -> None:
    values = _form(type_name)
    removed = with_field_removed(values, path)
    assert not any(k.startswith((path + ".", path + "[")) or k == path for k in removed)
    place = [p for p in _places(type_name, removed) if p.path == path]
    assert place
    assert place[0].omitted
    body = object_from_form(type_name, removed)
    node: object = body
    for key in path.split(".")[:-1]:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    assert isinstance(node, dict)
    assert path.split(".")[-1] not in node
    back = with_field_added(type_name, removed, path)
    assert _bytes(type_name, back) == _example_bytes(type_name)


def test_an_added_remark_is_written_in_the_operators_language_and_sent() -> None:
    values = with_field_added("hazard_warning", _form("hazard_warning"), "remarks", lang="uk")
    assert values["remarks.lang"] == "uk"
    assert values["remarks.text"] == ""
    # left blank, the remark is not half sent
    assert _bytes("hazard_warning", values) == _example_bytes("hazard_warning")
    values["remarks.text"] = "Тримайтеся на відстані"
    notification = decode_body(_bytes("hazard_warning", values))
    assert notification.remarks is not None  # type: ignore[attr-defined]
    assert notification.remarks.lang == "uk"  # type: ignore[attr-defined]
    assert notification.remarks.text == "Тримайтеся на відстані"  # type: ignore[attr-defined]


def test_an_added_structure_is_laid_out_with_numbers_read_as_numbers() -> None:
    stored = body_object(examples()["hazard_warning"].notification)
    stored.pop("altitude")
    values = with_field_added("hazard_warning", form_values(stored), "altitude", stored)
    assert values["altitude.lower.ft_amsl"] == ""
    assert values["altitude.upper.ft_amsl"] == ""
    kinds = {f.path: f.kind for f in fields_of("hazard_warning", values, stored)}
    assert kinds["altitude.lower.ft_amsl"] == "int"
    values |= {"altitude.lower.ft_amsl": "0", "altitude.upper.ft_amsl": "12000"}
    body = object_from_form("hazard_warning", values, stored)
    notification = decode_body(json.dumps(body).encode())
    assert notification.altitude.upper.feet == 12000.0  # type: ignore[attr-defined]


def test_a_level_changes_kind_by_leaving_one_out_and_adding_another() -> None:
    values = with_field_removed(_form("flight_notice"), "altitude.upper.fl")
    values = with_field_added("flight_notice", values, "altitude.upper.ft_amsl")
    values["altitude.upper.ft_amsl"] = "36000"
    notification = decode_body(_bytes("flight_notice", values))
    assert notification.altitude.upper.ft_amsl == 36000  # type: ignore[attr-defined]
    assert notification.altitude.upper.fl is None  # type: ignore[attr-defined]


def test_a_form_from_a_stored_body_offers_what_it_left_out() -> None:
    stored = body_object(examples()["flight_notice"].notification)
    stored.pop("remarks")
    values = form_values(stored)
    assert "remarks" in {p.path for p in _places_of(stored, values)}
    added = with_field_added("flight_notice", values, "remarks", stored, "en")
    added["remarks.text"] = "Tanker joins at 0900Z."
    body = object_from_form("flight_notice", added, stored)
    assert body["remarks"] == {"lang": "en", "text": "Tanker joins at 0900Z."}
    assert object_from_form("flight_notice", values, stored) == stored


def _places_of(template: dict[str, object], values: dict[str, str]) -> list[AddField]:
    return [e for e in form_entries("flight_notice", values, template) if isinstance(e, AddField)]


def test_adding_a_field_that_is_not_optional_changes_nothing() -> None:
    values = _form("flight_notice")
    assert with_field_added("flight_notice", values, "purpose") == values
    assert with_field_added("flight_notice", values, "no.such.field") == values
