"""The compose form of every catalogue type, and where validation issues land."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.catalogue import CATALOGUE, InvalidNotificationError, Issue, decode_body
from hotline.catalogue.examples import examples
from hotline.console.forms import fields_of, issues_by_field, object_from_form

TYPES = sorted(examples())


def test_every_catalogue_type_has_a_form() -> None:
    assert sorted(spec.name for spec in CATALOGUE) == TYPES


@pytest.mark.parametrize("type_name", TYPES)
def test_an_unchanged_form_gives_back_the_example(type_name: str) -> None:
    values = {f.path: f.value for f in fields_of(type_name)}
    body = object_from_form(type_name, values)
    assert decode_body(json.dumps(body).encode()) == examples()[type_name].notification


def test_an_issue_lands_at_its_field() -> None:
    values = {"window.end": "tomorrow", "aircraft[1].count": "two"}
    body = object_from_form("flight_notice", values)
    with pytest.raises(InvalidNotificationError) as caught:
        decode_body(json.dumps(body).encode())
    at, general = issues_by_field(caught.value.issues, fields_of("flight_notice", values))
    assert sorted(at) == ["aircraft[1].count", "window.end"]
    assert "UTC time" in at["window.end"][0]
    assert general == []


def test_an_issue_inside_a_json_field_lands_at_that_field() -> None:
    values = {"area.coordinates": "[[29.5, 43.2], [32.8, 95.0]]"}
    body = object_from_form("flight_notice", values)
    with pytest.raises(InvalidNotificationError) as caught:
        decode_body(json.dumps(body).encode())
    at, _ = issues_by_field(caught.value.issues, fields_of("flight_notice", values))
    assert list(at) == ["area.coordinates"]


@settings(max_examples=150, deadline=None)
@given(
    type_name=st.sampled_from(TYPES),
    data=st.data(),
    text=st.text(max_size=40),
)
def test_any_text_in_any_field_is_accepted_or_named(
    type_name: str, data: st.DataObject, text: str
) -> None:
    """Whatever an operator types, the form never crashes and every issue has a place."""
    fields = fields_of(type_name)
    field = data.draw(st.sampled_from(fields))
    values = {field.path: text}
    body = object_from_form(type_name, values)
    issues: tuple[Issue, ...] = ()
    try:
        decode_body(json.dumps(body).encode())
    except InvalidNotificationError as exc:
        issues = exc.issues
    at, general = issues_by_field(issues, fields_of(type_name, values))
    assert sum(map(len, at.values())) + len(general) == len(issues)
