"""Closed sets of values in the compose form: every enumeration and switch of every catalogue
type is a list of exactly its allowed values, found from the catalogue's models."""

from __future__ import annotations

import json
from collections.abc import Iterator
from enum import Enum
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from hotline.catalogue import (
    InvalidNotificationError,
    Issue,
    Notification,
    decode_body,
    encode_body,
)
from hotline.catalogue.examples import examples
from hotline.catalogue.i18n import language
from hotline.console.forms import TICKED, FormField, fields_of, form_entries, object_from_form
from hotline.console.pages import _environment
from hotline.console.texts import chrome

TYPES = sorted(examples())


def _closed_values(value: object, path: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every enumeration, switch and (non-empty) list of codes in a decoded body, with its form
    path and allowed values, found from the values themselves (not from the form's code)."""
    if isinstance(value, Enum):
        yield path, tuple(str(e.value) for e in type(value))
    elif isinstance(value, bool):
        yield path, ("true", "false")
    elif isinstance(value, tuple) and value and isinstance(value[0], Enum):
        yield path + "[]", tuple(str(e.value) for e in type(value[0]))
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if (not path and name == "type") or (
                item is True and "Literal" in str(info.annotation)
            ):
                continue  # a fixed tag, a mark that is only ever true (sfc): nothing to choose
            yield from _closed_values(item, f"{path}.{name}" if path else name)
    elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
        for i, item in enumerate(value):
            yield from _closed_values(item, f"{path}[{i}]")


def _form(type_name: str) -> dict[str, str]:
    return {f.path: f.value for f in fields_of(type_name)}


def _listed(type_name: str) -> dict[str, FormField]:
    return {f.path: f for f in fields_of(type_name) if f.choices is not None}


@pytest.mark.parametrize("type_name", TYPES)
def test_every_closed_field_is_a_list_of_exactly_its_values(type_name: str) -> None:
    expected = dict(_closed_values(examples()[type_name].notification, ""))
    listed = _listed(type_name)
    found = {
        path + ("[]" if f.choices.many else ""): f.choices.values
        for path, f in listed.items()
        if f.choices and (f.value != "[]" or not f.choices.many)
    }
    assert found == expected


def test_the_catalogue_has_lists_to_offer() -> None:
    vocabularies = {
        f.choices.vocabulary for name in TYPES for f in _listed(name).values() if f.choices
    }
    # nested (a sea inside an area), inside rows (a unit's kind), inside an embedded notification
    assert {"FlightPurpose", "SeaArea", "UnitKind", "CancelReason", "bool"} <= vocabularies
    assert "notification.purpose" in _listed("amendment")


class _Selects(HTMLParser):
    """The ``<select>`` lists of a page: name -> [(value, label, selected)]."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: dict[str, list[tuple[str, str, bool]]] = {}
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "select":
            self._select = a.get("name") or ""
            self.selects[self._select] = []
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value") or "", "selected" in a)

    def handle_data(self, data: str) -> None:
        if self._select is not None and self._option is not None:
            value, selected = self._option
            self.selects[self._select].append((value, data.strip(), selected))
            self._option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _render(type_name: str, lang: str, values: dict[str, str] | None = None) -> _Selects:
    html = (
        _environment()
        .get_template("compose_form.html")
        .render(
            entries=form_entries(type_name, values),
            t=chrome(lang),
            wording=language(lang).texts,
            group_of={},
            field_issues={},
            general=[],
            precedences=["ROUTINE"],
            mark_choices=["EXERCISE"],
        )
    )
    parser = _Selects()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("type_name", TYPES)
def test_the_page_shows_each_list_with_the_current_value_chosen_and_worded(type_name: str) -> None:
    selects = _render(type_name, "ru").selects
    wording = language("ru").texts
    for path, f in _listed(type_name).items():
        assert f.choices is not None
        if f.choices.many:
            continue  # tick boxes: see test_a_list_of_codes_is_ticked_as_sent
        options = selects[f"f:{path}"]
        assert [value for value, _, _ in options] == list(f.choices.values)
        assert [value for value, _, selected in options if selected] == [f.value]
        for value, label, _ in options:
            key = {"true": "yes", "false": "no"}[value] if f.choices.vocabulary == "bool" else ""
            key = key or f"{f.choices.vocabulary}.{value}"
            assert label.startswith(wording.get(key, value))  # the code where no wording
            assert f.choices.vocabulary == "bool" or label.endswith(f"({value})")


def test_a_value_not_in_the_list_stays_shown_and_chosen() -> None:
    values = _form("flight_notice") | {"purpose": "SPYING"}
    options = _render("flight_notice", "en", values).selects["f:purpose"]
    assert options[0] == ("SPYING", "SPYING", True)  # kept, so the catalogue names it
    assert len(options) == 1 + len(_listed("flight_notice")["purpose"].choices.values)  # type: ignore[union-attr]


@pytest.mark.parametrize("type_name", TYPES)
def test_a_form_posted_back_unchanged_gives_the_same_bytes(type_name: str) -> None:
    body = object_from_form(type_name, _form(type_name))
    again = decode_body(json.dumps(body).encode())
    assert encode_body(again) == encode_body(examples()[type_name].notification)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), type_name=st.sampled_from([t for t in TYPES if _listed(t)]))
def test_any_value_chosen_from_the_lists_is_the_value_sent(
    data: st.DataObject, type_name: str
) -> None:
    listed = _listed(type_name)
    chosen = {
        path: data.draw(st.sampled_from(f.choices.values), label=path)
        for path, f in listed.items()
        if f.choices and not f.choices.many
    }
    body = object_from_form(type_name, _form(type_name) | chosen)
    notification, issues = _decoded(json.dumps(body).encode())
    # a choice may break a rule of the type (an answer required); never a parse of the list
    assert not [i for i in issues if i.path in chosen]
    if notification is None:
        return
    sent = dict(_closed_values(notification, ""))
    assert set(chosen) <= set(sent)
    got = {p: v for p, v in _values(notification, "") if p in chosen}
    assert got == chosen


def _decoded(data: bytes) -> tuple[Notification | None, list[Issue]]:
    try:
        return decode_body(data), []
    except InvalidNotificationError as exc:
        return None, list(exc.issues)


def _values(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, Enum):
        yield path, str(value.value)
    elif isinstance(value, bool):
        yield path, "true" if value else "false"
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _values(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _values(item, f"{path}[{i}]")


MANY = [(t, f.path) for t in TYPES for f in _listed(t).values() if f.choices and f.choices.many]


class _Ticks(HTMLParser):
    """The tick boxes of a page: name -> checked."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: dict[str, bool] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") == "checkbox" and a.get("name"):
            self.boxes[a["name"] or ""] = "checked" in a


def test_lists_of_codes_are_found() -> None:
    assert {p for _, p in MANY} >= {"activities", "measures", "emblems", "cargo"}


@pytest.mark.parametrize(("type_name", "path"), MANY)
def test_a_list_of_codes_is_a_tick_box_per_code(type_name: str, path: str) -> None:
    f = _listed(type_name)[path]
    assert f.choices is not None
    assert f.ticked is not None
    html = (
        _environment()
        .get_template("compose_form.html")
        .render(
            entries=form_entries(type_name),
            t=chrome("en"),
            wording=language("en").texts,
            group_of={},
            field_issues={},
            general=[],
        )
    )
    ticks = _Ticks()
    ticks.feed(html)
    mine = {k: v for k, v in ticks.boxes.items() if k.startswith(f"f:{path}~")}
    assert list(mine) == [f"f:{path}~{c}" for c in f.choices.values]
    assert {k.split("~")[1] for k, v in mine.items() if v} == set(f.ticked)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), case=st.sampled_from(MANY))
def test_a_list_of_codes_is_ticked_as_sent(data: st.DataObject, case: tuple[str, str]) -> None:
    type_name, path = case
    f = _listed(type_name)[path]
    assert f.choices is not None
    assert f.ticked is not None
    ticked = data.draw(st.sets(st.sampled_from(f.choices.values)))
    posted = _form(type_name) | {path + TICKED: "1"}
    posted |= {f"{path}{TICKED}{c}": "1" for c in ticked}
    body = object_from_form(type_name, posted)
    node: object = body
    for key in path.split("."):
        node = node[key] if isinstance(node, dict) else None
    assert isinstance(node, list)
    kept = [c for c in f.ticked if c in ticked]
    assert node == kept + [c for c in f.choices.values if c in ticked and c not in kept]
    if ticked == set(f.ticked):  # unchanged: the same bytes
        again = decode_body(json.dumps(body).encode())
        assert encode_body(again) == encode_body(examples()[type_name].notification)
