"""Repeated groups of the compose form: rows added and removed in any order come back as the
list the operator composed, and issues land at the row they are about."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.catalogue import InvalidNotificationError, decode_body
from hotline.console.forms import (
    MAX_ROWS,
    AddRow,
    DrawOnMap,
    RowHead,
    fields_of,
    form_entries,
    issues_by_field,
    object_from_form,
    with_row_added,
    with_row_removed,
)

# a repeated group of each kind, and one text input of its rows
GROUPS = [
    ("flight_notice", "aircraft", "type_designator"),
    ("hazard_warning", "windows", "start"),
    ("naval_exercise", "participants", "kind"),
    ("incident_report", "assets", "designation"),
    ("amendment", "notification.aircraft", "type_designator"),
]


def _form(type_name: str) -> dict[str, str]:
    return {f.path: f.value for f in fields_of(type_name)}


def _rows(type_name: str, values: dict[str, str], list_path: str) -> list[RowHead]:
    return [
        e
        for e in form_entries(type_name, values)
        if isinstance(e, RowHead) and e.list_path == list_path
    ]


@settings(max_examples=60, deadline=None)
@given(
    group=st.sampled_from(GROUPS),
    steps=st.lists(st.one_of(st.just(None), st.integers(0, 6)), max_size=12),
)
def test_rows_added_and_removed_come_back_in_order(
    group: tuple[str, str, str], steps: list[int | None]
) -> None:
    """None adds a row (and names it), a number removes that row: the body's list follows."""
    type_name, list_path, key = group
    values = _form(type_name)
    model = [
        values[f"{list_path}[{i}].{key}"] for i in range(len(_rows(type_name, values, list_path)))
    ]
    for n, step in enumerate(steps):
        if step is None:
            values = with_row_added(type_name, values, list_path)
            assert values[f"{list_path}[{len(model)}].{key}"] == ""  # a new row starts blank
            name = f"ROW-{n}"
            values[f"{list_path}[{len(model)}].{key}"] = name
            model.append(name)
        else:
            values = with_row_removed(type_name, values, f"{list_path}[{step}]")
            if len(model) > 1 and step < len(model):
                del model[step]
        rows = _rows(type_name, values, list_path)
        assert [r.path for r in rows] == [f"{list_path}[{i}]" for i in range(len(model))]
        assert all(r.removable == (len(model) > 1) for r in rows)
    body = object_from_form(type_name, values)
    node: object = body
    for part in list_path.split("."):
        assert isinstance(node, dict)
        node = node[part]
    assert isinstance(node, list)
    assert [row[key] for row in node] == model


def test_an_added_row_that_is_left_blank_is_named_at_its_inputs() -> None:
    values = with_row_added("flight_notice", _form("flight_notice"), "aircraft")
    body = object_from_form("flight_notice", values)
    with pytest.raises(InvalidNotificationError) as caught:
        decode_body(json.dumps(body).encode())
    at, general = issues_by_field(caught.value.issues, fields_of("flight_notice", values))
    assert general == []
    assert set(at) == {"aircraft[2].count", "aircraft[2].type_designator"}


def test_an_issue_lands_at_the_row_that_moved_up() -> None:
    values = with_row_added("flight_notice", _form("flight_notice"), "aircraft")
    values |= {"aircraft[2].count": "two", "aircraft[2].type_designator": "E-3G"}
    values = with_row_removed("flight_notice", values, "aircraft[1]")
    body = object_from_form("flight_notice", values)
    with pytest.raises(InvalidNotificationError) as caught:
        decode_body(json.dumps(body).encode())
    at, _ = issues_by_field(caught.value.issues, fields_of("flight_notice", values))
    assert list(at) == ["aircraft[1].count"]


def test_the_last_row_stays_and_a_group_has_a_limit() -> None:
    values = _form("hazard_warning")
    values = with_row_removed("hazard_warning", values, "windows[1]")
    assert with_row_removed("hazard_warning", values, "windows[0]") == values
    for _ in range(MAX_ROWS + 5):
        values = with_row_added("hazard_warning", values, "windows")
    assert len(_rows("hazard_warning", values, "windows")) == MAX_ROWS
    assert with_row_added("hazard_warning", values, "no_such_list") == values


def test_every_group_has_an_add_control_after_its_last_row() -> None:
    entries = form_entries("naval_exercise")
    adds = [i for i, e in enumerate(entries) if isinstance(e, AddRow)]
    heads = [i for i, e in enumerate(entries) if isinstance(e, RowHead)]
    assert [entries[i] for i in adds] == [AddRow("participants")]
    assert len(heads) == 3
    assert max(heads) < adds[0]


@pytest.mark.parametrize(
    ("type_name", "draws"),
    [
        ("hazard_warning", [DrawOnMap("area", "Polygon")]),
        ("naval_exercise", [DrawOnMap("area.boundary", "Polygon")]),
        ("flight_notice", [DrawOnMap("area", "Corridor")]),
        ("missile_launch", [DrawOnMap("launch_area", "Point"), DrawOnMap("impact_area", "Circle")]),
        ("incident_report", [DrawOnMap("location", "Point")]),
        ("amendment", [DrawOnMap("notification.area", "Corridor")]),
        ("rfi", []),
    ],
)
def test_drawable_geometries_are_marked(type_name: str, draws: list[DrawOnMap]) -> None:
    assert [e for e in form_entries(type_name) if isinstance(e, DrawOnMap)] == draws
