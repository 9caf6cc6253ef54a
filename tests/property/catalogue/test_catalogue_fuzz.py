"""Bodies come from hostile peers: whatever the bytes, decoding raises only the catalogue's
error, and whatever decodes renders in every language and round-trips."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.catalogue import CATALOGUE, InvalidNotificationError, decode_body, encode_body, render
from hotline.catalogue.examples import examples

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
EXAMPLE_BODIES = {name: json.loads(encode_body(e.notification)) for name, e in examples().items()}


def decode_or_refuse(data: bytes) -> None:
    """Decode; a refusal must be the catalogue's error with at least one issue."""
    try:
        notification = decode_body(data)
    except InvalidNotificationError as exc:
        refusal = exc
    else:
        refusal = None
    if refusal is not None:
        assert refusal.issues
        assert all(isinstance(i.message, str) and i.message for i in refusal.issues)
        return
    again = decode_body(encode_body(notification))
    assert again.model_dump() == notification.model_dump()
    context = examples()[notification.type].context
    for lang in ("en", "ru", "uk"):
        for form in ("compact", "readable"):
            assert render(notification, context, lang=lang, form=form)


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_the_catalogue_error(data: bytes) -> None:
    decode_or_refuse(data)


@settings(max_examples=300)
@given(
    json_values,
    st.sampled_from(sorted(CATALOGUE.names)),
    st.sampled_from(["1.0", "1.7", "0.9", "x"]),
)
def test_arbitrary_json_with_a_real_type_raises_only_the_catalogue_error(
    value: Any, type_name: str, version: str
) -> None:
    decode_or_refuse(json.dumps(value).encode())
    if isinstance(value, dict):
        decode_or_refuse(json.dumps({**value, "type": type_name, "version": version}).encode())


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths(item, (*prefix, i))
    return found


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(EXAMPLE_BODIES)),
    st.data(),
    json_values,
    st.sampled_from(["replace", "delete", "add"]),
    st.sampled_from(["1.0", "1.1"]),
)
def test_mutated_real_bodies_raise_only_the_catalogue_error(
    name: str, data: st.DataObject, value: Any, how: str, version: str
) -> None:
    body = json.loads(json.dumps(EXAMPLE_BODIES[name]))
    body["version"] = version
    path = data.draw(st.sampled_from(paths(body)[1:]))
    parent = body
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "replace":
        parent[last] = value
    elif how == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[f"x_{last}"] = value
    else:
        parent.append(value)
    decode_or_refuse(json.dumps(body, ensure_ascii=False).encode())
