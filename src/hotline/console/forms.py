"""A form per notification type, built from the catalogue's example of that type.

Each leaf of the example body becomes one input named by its field path, the same path the
catalogue's validation issues carry (``window.start``, ``aircraft[0].count``), so an issue lands
at its field. Lists of numbers (coordinates) stay one JSON input. Posted values are parsed by
the example's kind; a value that does not parse is passed on as text, so the catalogue reports
it at its field with what is expected there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from hotline.catalogue.body import body_object
from hotline.catalogue.errors import Issue
from hotline.catalogue.examples import examples

__all__ = ["FormField", "fields_of", "issues_by_field", "object_from_form"]

Kind = Literal["str", "int", "float", "bool", "json"]
HIDDEN = frozenset({"type", "version"})
_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class FormField:
    path: str
    kind: Kind
    value: str  # as shown in the input


def _is_leaf_list(value: list[object]) -> bool:
    return all(not isinstance(v, dict) for v in value)


def _flatten(value: object, path: str, out: list[FormField]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not path and key in HIDDEN:
                continue
            _flatten(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list) and not _is_leaf_list(value):
        for i, item in enumerate(value):
            _flatten(item, f"{path}[{i}]", out)
    elif isinstance(value, list):
        out.append(FormField(path, "json", json.dumps(value, ensure_ascii=False)))
    elif isinstance(value, bool):
        out.append(FormField(path, "bool", "true" if value else "false"))
    elif isinstance(value, int):
        out.append(FormField(path, "int", str(value)))
    elif isinstance(value, float):
        out.append(FormField(path, "float", repr(value)))
    else:
        out.append(FormField(path, "str", "" if value is None else str(value)))


def fields_of(type_name: str, values: Mapping[str, str] | None = None) -> list[FormField]:
    """The inputs of a type's form: the example's fields, with ``values`` posted over them."""
    out: list[FormField] = []
    _flatten(body_object(examples()[type_name].notification), "", out)
    if values is None:
        return out
    return [FormField(f.path, f.kind, values.get(f.path, f.value)) for f in out]


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


def object_from_form(type_name: str, values: Mapping[str, str]) -> dict[str, object]:
    """The body object a posted form describes; blank optional text fields are left out."""
    example = body_object(examples()[type_name].notification)
    root: dict[str, object] = {"type": type_name, "version": example["version"]}
    for f in fields_of(type_name, values):
        if f.kind == "str" and not f.value.strip():
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
