"""What the catalogue's models say about a form field: its closed set of values, whether it is
optional, and a blank value to lay out when the operator adds it.

A field is found by its form path (``aircraft[1].kind``, ``area.sea``) by walking the pydantic
model of the notification type: ``Annotated`` and ``X | None`` are unwrapped, a list index steps
into the tuple's item type, and a union of structures (the geometry kinds) steps into the member
that has the next name. Nothing here is keyed on field names.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Annotated, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from hotline.catalogue import CATALOGUE

__all__ = [
    "Choices",
    "OptionalField",
    "blank_value",
    "choices_at",
    "optional_fields",
    "scalar_kind",
]

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_UNIONS = (Union, types.UnionType)


@dataclass(frozen=True)
class Choices:
    """The allowed values of a field: ``vocabulary`` names their wordings (``FlightPurpose``,
    ``bool``) in the catalogue's texts (``FlightPurpose.PATROL``, ``yes``)."""

    vocabulary: str
    values: tuple[str, ...]
    many: bool = False  # a list of codes (an exercise's activities): any number ticked


@dataclass(frozen=True)
class OptionalField:
    """A field a structure may leave out: ``path`` is where it would go."""

    path: str
    name: str
    present: bool


def _members(annotation: object) -> list[object]:
    """The types an annotation allows, without ``Annotated`` wrappers and ``None``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin in _UNIONS:
        return [m for arg in get_args(annotation) for m in _members(arg)]
    if annotation is type(None):
        return []
    return [annotation]


def _item(annotation: object) -> list[object]:
    """The item types of a tuple (list) annotation."""
    found: list[object] = []
    for member in _members(annotation):
        if get_origin(member) is tuple:
            found += _members(get_args(member)[0])
    return found


def _models(annotation: object) -> list[type[BaseModel]]:
    return [m for m in _members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]


def _field(models: list[type[BaseModel]], name: str) -> FieldInfo | None:
    return next((m.model_fields[name] for m in models if name in m.model_fields), None)


@cache
def _info_at(type_name: str, path: str) -> FieldInfo | None:
    """The model field at ``path`` in a type (a path ending in a list index: that of the list),
    or None where the path leaves the model."""
    try:
        current: object = CATALOGUE.spec(type_name).model
    except LookupError:
        return None
    info: FieldInfo | None = None
    for name, index in _SEGMENT.findall(path):
        if index:
            items = _item(current)
            if not items:
                return None
            current = items[0] if len(items) == 1 else Union[tuple(items)]  # noqa: UP007
            continue
        info = _field(_models(current), name)
        if info is None:
            return None
        current = info.annotation
    return info


def _annotation_at(type_name: str, path: str) -> object | None:
    if path.endswith("]"):
        list_path = path[: path.rindex("[")]
        info = _info_at(type_name, list_path)
        items = _item(info.annotation) if info else []
        return items[0] if len(items) == 1 else None
    info = _info_at(type_name, path)
    return info.annotation if info else None


def choices_at(type_name: str, path: str) -> Choices | None:
    """The closed set of values of the field at ``path``: an enumeration's codes (one, or any
    number for a list of them), or true and false for a switch; None for anything else (free
    text, numbers, other lists, structures)."""
    annotation = _annotation_at(type_name, path)
    items = _item(annotation)
    if len(items) == 1 and isinstance(items[0], type) and issubclass(items[0], Enum):
        return Choices(items[0].__name__, tuple(str(e.value) for e in items[0]), many=True)
    members = _members(annotation)
    if len(members) != 1:
        return None
    (member,) = members
    if isinstance(member, type) and issubclass(member, Enum):
        return Choices(member.__name__, tuple(str(e.value) for e in member))
    if member is bool:
        return Choices("bool", ("true", "false"))
    return None


def scalar_kind(type_name: str, path: str) -> Literal["int", "float"] | None:
    """``int`` or ``float`` where the model wants a number at ``path``: a blank input added
    there is read as one."""
    members = _members(_annotation_at(type_name, path))
    if members == [int]:
        return "int"
    if members == [float]:
        return "float"
    return None


def _is_tag(info: FieldInfo) -> bool:
    """A fixed tag (``type``): not the operator's to add or leave out."""
    members = _members(info.annotation)
    fixed = len(members) == 1 and get_origin(members[0]) is Literal
    return fixed and not info.is_required() and info.default is not None


def optional_fields(
    type_name: str, path: str, present: typing.Collection[str]
) -> list[OptionalField]:
    """The fields of the structure at ``path`` (``""``: the body) that a body may leave out,
    in the model's order, and whether each is among ``present`` (the structure's keys)."""
    annotation = CATALOGUE.spec(type_name).model if not path else _annotation_at(type_name, path)
    models = _models(annotation)
    if not models:
        return []
    # the member of a union whose fields best match what is present (a geometry's kind)
    model = max(models, key=lambda m: len(set(m.model_fields) & set(present)))
    return [
        OptionalField(f"{path}.{name}" if path else name, name, name in present)
        for name, info in model.model_fields.items()
        # a field with a default value is always in a body; one defaulting to nothing may go
        if not info.is_required() and info.default is None
    ]


def blank_value(type_name: str, path: str, lang: str) -> object:
    """A value to lay the field at ``path`` out from when the operator adds it: its default
    where that is a value (a count of 1, a switch on), blank text to fill, one blank row for a
    list of structures."""
    info = _info_at(type_name, path)
    if info is None:
        return ""
    default = info.default
    if isinstance(default, Enum):
        return default.value
    if isinstance(default, bool | int | float | str):
        return default
    return _blank(info.annotation, lang)


def _blank(annotation: object, lang: str) -> object:
    members = _members(annotation)
    if not members:
        return ""
    member = members[0]
    if get_origin(member) is tuple:
        items = _item(member)
        return [_blank(items[0], lang)] if items and _models(items[0]) else []
    if get_origin(member) is Literal:
        return get_args(member)[0]
    if isinstance(member, type) and issubclass(member, BaseModel):
        blank = {
            name: _blank(info.annotation, lang)
            for name, info in member.model_fields.items()
            if info.is_required() or _is_tag(info)
        }
        if not blank:
            # nothing required (an altitude limit): lay out the first choice, others addable
            name, info = next(iter(member.model_fields.items()))
            blank = {name: _blank(info.annotation, lang)}
        # a free text is written in the operator's language unless they say otherwise
        return blank | ({"lang": lang} if set(blank) == {"lang", "text"} else {})
    return ""
