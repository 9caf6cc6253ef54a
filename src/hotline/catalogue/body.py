"""The body codec: a notification to and from the bytes the protocol signs and carries.

Wire form: compact UTF-8 JSON, keys sorted, no insignificant whitespace, absent optional fields
left out, ``type`` and ``"version": "MAJOR.MINOR"`` beside the fields. The same notification
always gives the same bytes.

Decoding treats the bytes as hostile: the size is checked before parsing, duplicate keys, NaN
and infinities are refused, and anything wrong raises an :class:`InvalidNotificationError` whose
issues name the field path and what is expected there. Nothing else escapes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from hotline.catalogue.errors import (
    BodyTooLargeError,
    InvalidNotificationError,
    Issue,
    MalformedBodyError,
    UnsupportedVersionError,
)
from hotline.catalogue.fields import TOLERATE_UNKNOWN
from hotline.catalogue.notifications import Notification
from hotline.catalogue.registry import CATALOGUE, Catalogue

__all__ = [
    "MAX_BODY_BYTES",
    "body_object",
    "decode_body",
    "encode_body",
    "issues_from",
    "parse_json",
]

MAX_BODY_BYTES: Final = 64 * 1024
_VERSION_RE: Final = re.compile(r"(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})")

# Tags of discriminated unions appear in pydantic's error locations; a path shows fields only.
_GEOMETRY_TAGS: Final = frozenset({"Point", "Polygon", "Circle", "Corridor", "NamedSeaArea"})


def body_object(notification: Notification) -> dict[str, object]:
    """The JSON object of a body (``version`` included, absent optional fields left out)."""
    obj: dict[str, object] = notification.model_dump(mode="json", exclude_none=True)
    major, minor = notification.VERSION
    obj["version"] = f"{major}.{minor}"
    return obj


def encode_body(notification: Notification) -> bytes:
    """The canonical bytes of a notification body."""
    return json.dumps(
        body_object(notification),
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
        allow_nan=False,
    ).encode("utf-8")


def decode_body(
    data: bytes, *, max_bytes: int = MAX_BODY_BYTES, catalogue: Catalogue = CATALOGUE
) -> Notification:
    """Decode and validate a body from a peer. Raises :class:`InvalidNotificationError`."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise MalformedBodyError(f"body must be bytes, not {type(data).__name__}")
    if len(data) > max_bytes:
        raise BodyTooLargeError(len(data), max_bytes)
    raw = bytes(data)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedBodyError(f"body is not valid UTF-8 (byte {exc.start})") from None
    return _decode_object(parse_json(text), "", catalogue, None)


def decode_embedded(
    value: object, allowed: Sequence[type[Notification]], field: str, context: object
) -> Notification:
    """Validate a notification carried inside another (amendment, supersession), with the
    catalogue the outer body is being decoded with."""
    if isinstance(value, Notification):
        if not isinstance(value, tuple(allowed)):
            raise PydanticCustomError(
                "hotline", f"a {value.type} cannot be carried here; use {_names(allowed)}"
            )
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "hotline", "must be a notification object with type, version and its fields"
        )
    catalogue = context.get(_CATALOGUE_KEY) if isinstance(context, dict) else None
    return _decode_object(value, field, catalogue or CATALOGUE, allowed)


def _names(models: Sequence[type[Notification]]) -> str:
    return ", ".join(m.model_fields["type"].default for m in models)


def _reject_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj: dict[str, object] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"the key {key!r} appears twice in one object")
        obj[key] = value
    return obj


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not allowed; numbers must be finite")


_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def parse_json(text: str) -> object:
    """Parse JSON the strict way: no duplicate keys, NaN, infinities or lone surrogates."""
    obj = _parse(text)
    # UTF-8 cannot carry surrogates; only \uD8xx escapes can, and paired ones become one
    # character. A lone one is not text: refuse it before it reaches any validator.
    try:
        lone = bool(_SURROGATE_ESCAPE.search(text)) and _has_lone_surrogate(obj)
    except RecursionError:
        raise MalformedBodyError("body is nested too deeply") from None
    if lone:
        raise MalformedBodyError(
            "body contains a \\u escape of a lone surrogate, which is not text"
        )
    return obj


def _parse(text: str) -> object:
    try:
        return json.loads(
            text,
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as exc:
        raise MalformedBodyError(
            f"body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise MalformedBodyError("body is nested too deeply") from None
    except ValueError as exc:
        raise MalformedBodyError(f"body is not acceptable JSON: {exc}") from None


def _decode_object(
    obj: object,
    prefix: str,
    catalogue: Catalogue,
    allowed: Sequence[type[Notification]] | None,
) -> Notification:
    def at(path: str) -> str:
        return f"{prefix}.{path}" if prefix and path else (prefix or path)

    if not isinstance(obj, dict):
        raise InvalidNotificationError([Issue(prefix, "must be a JSON object")])
    type_name = obj.get("type")
    if not isinstance(type_name, str):
        raise InvalidNotificationError(
            [Issue(at("type"), "is required: a string naming the notification type")]
        )
    try:
        spec = catalogue.spec(type_name)
    except InvalidNotificationError as exc:
        raise _under(prefix, exc) from None
    if allowed is not None and not issubclass(spec.model, tuple(allowed)):
        raise InvalidNotificationError(
            [Issue(at("type"), f"a {type_name} cannot be carried here; use {_names(allowed)}")]
        )
    version = obj.get("version")
    match = _VERSION_RE.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        raise InvalidNotificationError(
            [Issue(at("version"), 'is required: a string "MAJOR.MINOR", like "1.0"')]
        )
    version = match[0]
    major, minor = int(match[1]), int(match[2])
    known_major, known_minor = spec.model.VERSION
    if major != known_major:
        raise _under(prefix, UnsupportedVersionError(type_name, version, f"{known_major}.x"))
    newer = minor > known_minor
    fields = {k: v for k, v in obj.items() if k != "version"}
    skipped: list[str] = []
    for _ in range(_MAX_PASSES):
        try:
            notification = spec.model.model_validate_json(
                json.dumps(fields),  # ASCII escapes keep lone surrogates for the validators
                strict=True,
                context={TOLERATE_UNKNOWN: newer, _CATALOGUE_KEY: catalogue},
            )
            break
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            extra = [e for e in errors if e["type"] == "extra_forbidden"]
            if not (newer and extra):
                raise InvalidNotificationError(
                    issues_from(exc, prefix, type_name, version)
                ) from None
            # A newer minor version added these fields: skip them, and say so when rendering.
            for error in extra:
                skipped.append(_path(error["loc"], ""))
                _remove(fields, error["loc"])
        except RecursionError:
            raise MalformedBodyError("body is nested too deeply") from None
    else:  # pragma: no cover - every pass removes at least one field
        raise InvalidNotificationError([Issue(prefix, "too many unknown fields")])
    unknown = (*skipped, *_embedded_unknowns(notification))
    if newer or unknown:
        notification.mark_newer(version if newer else notification.body_version, unknown)
    return notification


_MAX_PASSES: Final = 4
_CATALOGUE_KEY: Final = "catalogue"


def _remove(obj: dict[str, object], loc: tuple[int | str, ...]) -> None:
    """Delete the member at a pydantic location from the raw JSON (union tags are skipped)."""
    node: object = obj
    for part in loc[:-1]:
        # A part that is not a member is a union tag, absent from the raw JSON: skip it.
        is_member = isinstance(node, dict) and isinstance(part, str) and part in node
        is_item = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if is_member or is_item:
            node = node[part]  # type: ignore[index]
    if isinstance(node, dict):
        node.pop(str(loc[-1]), None)


def _embedded_unknowns(notification: Notification) -> Iterator[str]:
    """Fields skipped inside an embedded notification (decoded on its own), by path."""
    for name in type(notification).model_fields:
        value = getattr(notification, name)
        if isinstance(value, Notification):
            yield from (f"{name}.{u}" for u in value.unknown_fields)


def _under(prefix: str, exc: InvalidNotificationError) -> InvalidNotificationError:
    """The same error, its paths moved under ``prefix`` (for embedded notifications)."""
    if not prefix:
        return exc
    return InvalidNotificationError([Issue(_join(prefix, i.path), i.message) for i in exc.issues])


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --- pydantic errors to issues -------------------------------------------------------------


def issues_from(
    exc: ValidationError, prefix: str = "", type_name: str = "", version: str = ""
) -> list[Issue]:
    """Turn pydantic's errors into issues: a field path and what is expected there."""
    issues: list[Issue] = []
    for error in exc.errors(include_url=False):
        path = _path(error["loc"], prefix)
        issues.append(Issue(path, _expected(error, type_name, version)))
    return issues


def _path(loc: tuple[int | str, ...], prefix: str) -> str:
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in _GEOMETRY_TAGS or part.startswith("function-"):
            continue
        else:
            path = _join(path, part)
    return path


def _expected(error: ErrorDetails, type_name: str, version: str) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    simple = {
        "missing": "is required",
        "int_type": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_type": "must be a number",
        "string_type": "must be a string",
        "bool_type": "must be true or false",
        "dict_type": "must be an object",
        "model_type": "must be an object",
        "model_attributes_type": "must be an object",
        "tuple_type": "must be an array",
        "list_type": "must be an array",
        "finite_number": "must be a finite number",
        "none_required": "must be null",
    }
    if kind in simple:
        return simple[kind]
    if kind == "hotline":
        return str(error["msg"])
    if kind == "extra_forbidden":
        where = f"{type_name} {version}".strip()
        return f"is not a field of {where}; remove it (check its spelling)"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        sign = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<"}.get(kind, "≤")
        limit = next(iter(ctx.values()), "?")
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        return f"must be {sign} {limit}"
    if kind in ("too_short", "string_too_short"):
        what = "characters" if kind.startswith("string") else "items"
        return f"must have at least {ctx.get('min_length')} {what}"
    if kind in ("too_long", "string_too_long"):
        what = "characters" if kind.startswith("string") else "items"
        return f"must have at most {ctx.get('max_length')} {what}"
    if kind == "string_pattern_mismatch":
        return f"must match the pattern {ctx.get('pattern')}"
    if kind in ("literal_error", "enum"):
        return f"must be one of {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return f"type {ctx.get('tag')!r} is not allowed here; use one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"needs a {ctx.get('discriminator')} member naming the shape"
    return str(error["msg"])
