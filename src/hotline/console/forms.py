"""A form per notification type, built from the catalogue's example of that type.

Each leaf of the example body becomes one input named by its field path, the same path the
catalogue's validation issues carry (``window.start``, ``aircraft[0].count``), so an issue lands
at its field. Lists of numbers (coordinates) stay one JSON input. Posted values are parsed by
the example's kind; a value that does not parse is passed on as text, so the catalogue reports
it at its field with what is expected there.

A list of objects (aircraft, windows, participants) is a repeated group: the posted indices say
how many rows it has (the example's count when none is posted), every row is laid out like the
example's first row, and :func:`with_row_added` / :func:`with_row_removed` change the count,
keeping the indices contiguous so issue paths still name the right row.

The catalogue's models say the rest (:mod:`hotline.console.choices`): a field with a closed
set of values carries its ``choices`` (shown as a list to pick from), and an optional field is
headed by a "Remove" control when present and leaves an "Add" control when absent. An optional
field the template lacks is present when the post carries values under its path (put there by
:func:`with_field_added`); one the template has is absent when the post carries its omission
mark, ``<path>!`` (put there by :func:`with_field_removed`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from hotline.catalogue import CATALOGUE
from hotline.catalogue.body import body_object
from hotline.catalogue.errors import Issue
from hotline.catalogue.examples import examples
from hotline.console.choices import Choices, blank_value, choices_at, optional_fields, scalar_kind

__all__ = [
    "MAX_ROWS",
    "OMITTED",
    "TICKED",
    "AddField",
    "AddRow",
    "DrawOnMap",
    "Entry",
    "FieldHead",
    "FormField",
    "RowHead",
    "Template",
    "fields_of",
    "form_entries",
    "form_values",
    "issues_by_field",
    "object_from_form",
    "with_field_added",
    "with_field_removed",
    "with_row_added",
    "with_row_removed",
]

Kind = Literal["str", "int", "float", "bool", "json"]
HIDDEN = frozenset({"type", "version"})
_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
DRAWABLE = frozenset({"Point", "Polygon", "Circle", "Corridor"})  # shapes the compose map can draw
MAX_ROWS = 50  # rows of one repeated group; the form stays under the post size limit
OMITTED = "!"  # after a path in a post: the template's optional field there is left out
TICKED = "~"  # ``<path>~`` in a post: the list of codes is ticked; ``<path>~<code>``: ticked


@dataclass(frozen=True)
class FormField:
    path: str
    kind: Kind
    value: str  # as shown in the input
    choices: Choices | None = None  # the allowed values, when the catalogue fixes them
    entry: Literal["field"] = "field"

    @property
    def ticked(self) -> tuple[str, ...] | None:
        """The codes of a list of codes, if its value is one of allowed codes (else None: the
        value is shown as typed, so the catalogue names what is wrong)."""
        if self.choices is None or not self.choices.many:
            return None
        try:
            codes = json.loads(self.value)
        except ValueError:
            return None
        known = isinstance(codes, list) and all(c in self.choices.values for c in codes)
        return tuple(codes) if known else None


@dataclass(frozen=True)
class RowHead:
    """Where a row of a repeated group starts: ``path`` is ``aircraft[1]``."""

    path: str
    list_path: str
    number: int  # 1-based, as shown
    removable: bool  # the last row stays: a group never becomes empty
    entry: Literal["row"] = "row"


@dataclass(frozen=True)
class AddRow:
    """After a repeated group's last row: the place of its "Add another" control."""

    list_path: str
    entry: Literal["add"] = "add"


@dataclass(frozen=True)
class DrawOnMap:
    """After a drawable geometry's ``type`` input: ``path`` is the geometry (``area``)."""

    path: str
    shape: str  # Point | Polygon | Circle | Corridor
    entry: Literal["draw"] = "draw"


@dataclass(frozen=True)
class _Scope:
    """The catalogue type whose model describes a part of the form, and where that part
    starts: the body's own type at ``""``, an embedded notification's at its path."""

    type_name: str
    at: str

    def rel(self, path: str) -> str:
        return path[len(self.at) + 1 :] if self.at else path

    def inside(self, value: Mapping[str, object], path: str) -> _Scope:
        kind = value.get("type")
        return _Scope(kind, path) if path and kind in _TYPE_NAMES else self


_TYPE_NAMES = frozenset(spec.name for spec in CATALOGUE)


@dataclass(frozen=True)
class FieldHead:
    """Before an optional field that is present: the place of its "Remove" control."""

    path: str
    name: str
    entry: Literal["optional"] = "optional"


@dataclass(frozen=True)
class AddField:
    """Where an absent optional field would go: the place of its "Add" control. ``omitted``:
    the template has the field and the post left it out (the mark is posted again)."""

    path: str
    name: str
    omitted: bool
    scope: _Scope  # the type whose model says what the field is
    entry: Literal["addfield"] = "addfield"


Entry = FormField | RowHead | AddRow | DrawOnMap | FieldHead | AddField


def _is_leaf_list(value: list[object]) -> bool:
    return all(not isinstance(v, dict) for v in value)


def _posted_rows(values: Mapping[str, str] | None, list_path: str) -> int | None:
    """How many rows the posted form gives the list at ``list_path`` (None: not posted)."""
    if values is None:
        return None
    prefix = list_path + "["
    found = [
        int(match.group(1))
        for key in values
        if key.startswith(prefix) and (match := re.match(r"(\d+)\]", key[len(prefix) :]))
    ]
    return min(max(found) + 1, MAX_ROWS) if found else None


def _posted_under(values: Mapping[str, str], path: str) -> bool:
    return any(k == path or k.startswith((path + ".", path + "[")) for k in values)


def _flatten(
    scope: _Scope,
    value: object,
    path: str,
    values: Mapping[str, str] | None,
    out: list[Entry],
) -> None:
    if isinstance(value, dict):
        scope = scope.inside(value, path)
        optional = {o.name: o for o in optional_fields(scope.type_name, scope.rel(path), value)}
        for key, item in value.items():
            if not path and key in HIDDEN:
                continue
            at = f"{path}.{key}" if path else key
            if key in optional:
                if values is not None and at + OMITTED in values:
                    out.append(AddField(at, key, omitted=True, scope=scope))
                    continue
                out.append(FieldHead(at, key))
            _flatten(scope, item, at, values, out)
            if key == "type" and item in DRAWABLE:
                out.append(DrawOnMap(path, str(item)))
        for name, field in optional.items():
            if field.present:
                continue
            at = f"{path}.{name}" if path else name
            if values is not None and _posted_under(values, at):
                out.append(FieldHead(at, name))
                _flatten(scope, blank_value(scope.type_name, scope.rel(at), ""), at, values, out)
            else:
                out.append(AddField(at, name, omitted=False, scope=scope))
    elif isinstance(value, list) and not _is_leaf_list(value):
        rows = _posted_rows(values, path) or len(value)
        for i in range(rows):
            out.append(RowHead(f"{path}[{i}]", path, i + 1, rows > 1))
            _flatten(scope, value[min(i, len(value) - 1)], f"{path}[{i}]", values, out)
        out.append(AddRow(path))
    else:
        default = _leaf(path, value)
        kind = default.kind
        if kind == "str" and not default.value:
            kind = scalar_kind(scope.type_name, scope.rel(path)) or kind  # a number added blank
        shown = default.value if values is None else values.get(path, default.value)
        choices = choices_at(scope.type_name, scope.rel(path))
        if choices and choices.many and values is not None and path + TICKED in values:
            shown = _ticked(
                shown, choices, {c for c in choices.values if values.get(path + TICKED + c)}
            )
        out.append(FormField(path, kind, shown, choices))


def _ticked(shown: str, choices: Choices, ticked: set[str]) -> str:
    """A list of codes from its tick boxes: those it had in their order, then the new ones."""
    try:
        before = json.loads(shown)
    except ValueError:
        before = []
    kept = [c for c in before if c in ticked] if isinstance(before, list) else []
    return json.dumps(kept + [c for c in choices.values if c in ticked and c not in kept])


def _leaf(path: str, value: object) -> FormField:
    if isinstance(value, list):
        return FormField(path, "json", json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return FormField(path, "bool", "true" if value else "false")
    if isinstance(value, int):
        return FormField(path, "int", str(value))
    if isinstance(value, float):
        return FormField(path, "float", repr(value))
    return FormField(path, "str", "" if value is None else str(value))


Template = Mapping[str, object]  # a body object whose layout (and values) the form takes


def _template(type_name: str, template: Template | None) -> Template:
    return template if template is not None else body_object(examples()[type_name].notification)


def form_entries(
    type_name: str, values: Mapping[str, str] | None = None, template: Template | None = None
) -> list[Entry]:
    """The form of a type in order: inputs, the rows and "Add another" places of repeated
    groups, and "Draw on map" places; the template's values where ``values`` has none.

    The template is the catalogue's example of the type unless given: an amendment's form is
    laid out and filled from the notification it amends (see :func:`form_values`)."""
    out: list[Entry] = []
    _flatten(_Scope(type_name, ""), _template(type_name, template), "", values, out)
    return out


def fields_of(
    type_name: str, values: Mapping[str, str] | None = None, template: Template | None = None
) -> list[FormField]:
    """The inputs of a type's form: the template's fields, with ``values`` posted over them."""
    return [e for e in form_entries(type_name, values, template) if isinstance(e, FormField)]


def form_values(template: Template) -> dict[str, str]:
    """The values a form laid out from ``template`` shows: posted back unchanged, they rebuild
    the same body (:func:`object_from_form` with the same template)."""
    type_name = str(template.get("type", ""))
    return {f.path: f.value for f in fields_of(type_name, None, template)}


def _row_of(path: str, row: str) -> str | None:
    """``path`` relative to ``row`` (``aircraft[1]``), or None if it lies outside that row."""
    for joint in (".", "["):
        if path.startswith(row + joint):
            return path[len(row) :]
    return None


def with_row_added(
    type_name: str, values: Mapping[str, str], list_path: str, template: Template | None = None
) -> dict[str, str]:
    """``values`` with one more row at the end of the repeated group ``list_path``: blank, so
    the operator fills it (or the catalogue names what is missing), lists empty, switches as in
    the example."""
    heads = [
        e
        for e in form_entries(type_name, values, template)
        if isinstance(e, RowHead) and e.list_path == list_path
    ]
    if not heads or len(heads) >= MAX_ROWS:
        return dict(values)
    first, new = heads[0].path, f"{list_path}[{len(heads)}]"
    added = dict(values)
    for f in fields_of(type_name, values, template):
        rest = _row_of(f.path, first)
        if rest is not None:
            added[new + rest] = {"json": "[]", "bool": f.value}.get(f.kind, "")
    return added


def with_field_added(
    type_name: str,
    values: Mapping[str, str],
    path: str,
    template: Template | None = None,
    lang: str = "en",
) -> dict[str, str]:
    """``values`` with the optional field at ``path``: the template's own again if it has
    one, else blank (free text in ``lang``), so the operator fills it."""
    added = {k: v for k, v in values.items() if k != path + OMITTED}
    entries = form_entries(type_name, added, template)
    if any(isinstance(e, FieldHead) and e.path == path for e in entries):
        return added
    place = next((e for e in entries if isinstance(e, AddField) and e.path == path), None)
    if place is None:
        return added  # not an optional field of this form
    scope = place.scope
    blank: list[Entry] = []
    _flatten(scope, blank_value(scope.type_name, scope.rel(path), lang), path, None, blank)
    return added | {f.path: f.value for f in blank if isinstance(f, FormField)}


def with_field_removed(values: Mapping[str, str], path: str) -> dict[str, str]:
    """``values`` without the optional field at ``path``, and marked so: a field the template
    has stays out."""
    kept = {
        k: v for k, v in values.items() if k != path and not k.startswith((path + ".", path + "["))
    }
    return kept | {path + OMITTED: "1"}


def with_row_removed(type_name: str, values: Mapping[str, str], row: str) -> dict[str, str]:
    """``values`` without the row ``row`` (``aircraft[1]``); the rows after it move up one, so
    the indices stay contiguous. The last row of a group is kept."""
    match = re.fullmatch(r"(.+)\[(\d+)\]", row)
    if match is None:
        return dict(values)
    list_path, index = match.group(1), int(match.group(2))
    rows = _posted_rows(values, list_path) or 0
    if rows < 2 or index >= rows:
        return dict(values)
    kept: dict[str, str] = {}
    for key, value in values.items():
        i, rest = _index_in(key, list_path)
        if i is None or i < index:
            kept[key] = value
        elif i > index:
            kept[f"{list_path}[{i - 1}]{rest}"] = value
    return kept


def _index_in(key: str, list_path: str) -> tuple[int | None, str]:
    """The row index ``key`` has in the list at ``list_path``, and the rest of ``key``."""
    match = (
        re.match(r"(\d+)\]", key[len(list_path) + 1 :]) if key.startswith(list_path + "[") else None
    )
    if match is None:
        return None, ""
    return int(match.group(1)), key[len(list_path) + 1 + match.end() :]


def _parse(kind: Kind, text: str) -> object:
    text = text.strip()
    try:
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
        if kind == "bool":
            return {"true": True, "false": False}.get(text.lower(), text)
        if kind == "json":
            return json.loads(text)
    except ValueError:
        return text  # the catalogue names the field and what it expects
    return text


def _put(root: dict[str, object], path: str, value: object) -> None:
    keys: list[str | int] = [name if name else int(index) for name, index in _SEGMENT.findall(path)]
    node: dict[str, object] | list[object] = root
    for key, following in zip(keys, [*keys[1:], None], strict=True):
        if following is None:
            if isinstance(node, dict) and isinstance(key, str):
                node[key] = value
            elif isinstance(node, list):
                node.append(value)
            return
        child: dict[str, object] | list[object] = [] if isinstance(following, int) else {}
        if isinstance(node, dict) and isinstance(key, str):
            existing = node.setdefault(key, child)
            assert isinstance(existing, dict | list)
            node = existing
        elif isinstance(node, list) and isinstance(key, int):
            while len(node) <= key:
                node.append([] if isinstance(following, int) else {})
            item = node[key]
            assert isinstance(item, dict | list)
            node = item


def object_from_form(
    type_name: str, values: Mapping[str, str], template: Template | None = None
) -> dict[str, object]:
    """The body object a posted form describes; blank optional text fields are left out, and
    so is the language of a free text left blank (``remarks.lang`` beside an empty
    ``remarks.text``), so an unused optional remark is not half sent."""
    layout = _template(type_name, template)
    root: dict[str, object] = {"type": type_name, "version": layout["version"]}
    fields = fields_of(type_name, values, template)
    blank = {f.path for f in fields if f.kind == "str" and not f.value.strip()}
    for f in fields:
        if f.path in blank:
            continue
        if f.path.endswith(".lang") and f.path.removesuffix(".lang") + ".text" in blank:
            continue
        _put(root, f.path, _parse(f.kind, f.value))
    return root


def issues_by_field(
    issues: Sequence[Issue], fields: Sequence[FormField]
) -> tuple[dict[str, list[str]], list[str]]:
    """Each issue at the input whose path is the issue's or its nearest ancestor; the rest
    (issues about the whole body) separately."""
    paths = sorted((f.path for f in fields), key=len, reverse=True)
    at: dict[str, list[str]] = {}
    general: list[str] = []
    for issue in issues:
        target = next(
            (p for p in paths if issue.path == p or issue.path.startswith((p + ".", p + "["))),
            None,
        )
        if target is None:
            # an issue about a field the form lacks (a missing group): show it at its children
            target = next((p for p in paths if p.startswith(issue.path + ".")), None)
        if target is None or not issue.path:
            general.append(str(issue))
        else:
            at.setdefault(target, []).append(issue.message)
    return at, general
