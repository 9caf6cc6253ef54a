"""Generated notifications: canonical bytes, exact round trips, renderings in every language."""

from __future__ import annotations

import json

from hypothesis import given, settings

from hotline.catalogue import (
    Amendment,
    Cancellation,
    RenderContext,
    Supersession,
    decode_body,
    encode_body,
    may_have_volumes,
    render,
    volumes,
)
from hotline.catalogue.examples import examples
from hotline.catalogue.notifications import Notification
from hotline.protocol.types import Marking, Precedence
from hotline.testing.catalogue_strategies import notifications

CONTEXT = RenderContext(
    precedence=Precedence.PRIORITY,
    marking=Marking.EXERCISE,
    sender="US",
    recipients=("RU",),
    number=7,
)


@settings(max_examples=150, deadline=None)
@given(notifications)
def test_encode_decode_is_exact_and_deterministic(notification: Notification) -> None:
    data = encode_body(notification)
    assert encode_body(notification) == data
    decoded = decode_body(data)
    assert decoded == notification
    assert encode_body(decoded) == data
    obj = json.loads(data)
    assert (
        data == json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    )


@settings(max_examples=60, deadline=None)
@given(notifications)
def test_every_generated_notification_renders_marked_in_every_language(
    notification: Notification,
) -> None:
    for lang in ("en", "ru", "uk"):
        for form in ("compact", "readable"):
            lines = render(notification, CONTEXT, lang=lang, form=form).splitlines()
            assert "EXERCISE" in lines[0]
            assert lines[0] == lines[-1]


@settings(max_examples=100, deadline=None)
@given(notifications)
def test_volumes_are_plain_json_in_metres_and_feet(notification: Notification) -> None:
    for feature in volumes(notification, message_id="US-0007", party="US"):
        dumped = json.loads(feature.to_geojson())
        props = dumped["properties"]
        assert dumped["type"] == "Feature"
        assert dumped["geometry"]["type"] in ("Point", "LineString", "Polygon")
        assert ("radius_m" in props) == (dumped["geometry"]["type"] == "Point")
        assert ("half_width_m" in props) == (dumped["geometry"]["type"] == "LineString")
        lower, upper = props["alt_lower_ft"], props["alt_upper_ft"]
        assert lower is None or upper is None or lower < upper


@settings(max_examples=150, deadline=None)
@given(notifications)
def test_a_body_skipped_for_volumes_has_none_and_changes_nothing(
    notification: Notification,
) -> None:
    """`may_have_volumes` lets the picture and the map skip decoding: only ever for a body
    that has no areas and amends, supersedes or cancels nothing."""
    data = encode_body(notification)
    if not may_have_volumes(data):
        assert volumes(notification, message_id="US-0001", party="US") == []
        assert not isinstance(notification, Amendment | Cancellation | Supersession)


def test_every_example_with_areas_or_references_is_decoded_for_volumes() -> None:
    seen = {True: 0, False: 0}
    for example in examples().values():
        data = encode_body(example.notification)
        drawn = volumes(example.notification, message_id="US-0001", party="US")
        changes = isinstance(example.notification, Amendment | Cancellation | Supersession)
        seen[may_have_volumes(data)] += 1
        if drawn or changes:
            assert may_have_volumes(data), example.notification.type
    assert seen[True] > 0  # both kinds among the examples
    assert seen[False] > 0
