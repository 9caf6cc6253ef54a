"""The body codec: canonical bytes, round trips, and precise errors for bad bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hotline.catalogue import (
    CATALOGUE,
    MAX_BODY_BYTES,
    BodyTooLargeError,
    InvalidNotificationError,
    MalformedBodyError,
    UnknownTypeError,
    UnsupportedVersionError,
    decode_body,
    encode_body,
)
from hotline.catalogue.body import body_object
from hotline.catalogue.examples import examples


def body_of(name: str) -> dict[str, Any]:
    """The example body of a type, as a JSON object to edit."""
    obj: dict[str, Any] = json.loads(encode_body(examples()[name].notification))
    return obj


def issues(obj: object) -> list[str]:
    """The issues decoding ``obj`` raises, as ``path: message`` lines."""
    data = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    with pytest.raises(InvalidNotificationError) as caught:
        decode_body(data)
    return [str(i) for i in caught.value.issues]


@pytest.mark.parametrize("name", CATALOGUE.names)
def test_every_example_round_trips_through_canonical_bytes(name: str) -> None:
    """decode(encode(n)) == n and encode(decode(b)) == b for every type."""
    notification = examples()[name].notification
    data = encode_body(notification)
    decoded = decode_body(data)
    assert decoded == notification
    assert encode_body(decoded) == data
    assert decoded.unknown_fields == ()


def test_encoding_is_compact_sorted_utf8_with_type_and_version() -> None:
    data = encode_body(examples()["free_text"].notification)
    text = data.decode("utf-8")
    obj = json.loads(text)
    assert obj["type"] == "free_text"
    assert obj["version"] == "1.0"
    assert text == json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert "Просимо" in text  # UTF-8 as is, not \u escapes


def test_absent_optional_fields_are_left_out() -> None:
    obj = body_object(examples()["missile_launch"].notification)
    assert "remarks" not in obj
    assert "radius_km" not in obj["impact_area"]  # type: ignore[operator]


def test_the_issue_example_error_names_path_and_expectation() -> None:
    body = body_of("missile_launch")
    body["impact_area"]["radius_nm"] = 0
    assert issues(body) == ["impact_area.radius_nm: must be > 0"]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda b: b.pop("launch_window"), "launch_window: is required"),
        (lambda b: b.update(launch_count=1.5), "launch_count: must be a whole number"),
        (lambda b: b.update(launch_count="2"), "launch_count: must be a whole number"),
        (lambda b: b.update(launch_count=True), "launch_count: must be a whole number"),
        (
            lambda b: b.update(missile_class="CRUISE"),
            "missile_class: must be one of 'ICBM', 'SLBM', 'IRBM', 'SRBM' or "
            "'SPACE_LAUNCH_VEHICLE'",
        ),
        (
            lambda b: b.update(warheads=3),
            "warheads: is not a field of missile_launch 1.0; remove it (check its spelling)",
        ),
        (
            lambda b: b["launch_window"].update(start="2026-11-27T06:00:00+01:00"),
            "launch_window.start: must be a UTC time in whole seconds, like 2026-11-26T06:00:00Z",
        ),
        (
            lambda b: b["launch_window"].update(start="2026-11-27T06:00:00.5Z"),
            "launch_window.start: must be a UTC time in whole seconds, like 2026-11-26T06:00:00Z",
        ),
        (
            lambda b: b["launch_window"].update(start="2026-02-30T06:00:00Z"),
            "launch_window.start: '2026-02-30T06:00:00Z' is not a real date and time; must be a "
            "UTC time in whole seconds, like 2026-11-26T06:00:00Z",
        ),
        (
            lambda b: b["launch_window"].update(end="2026-11-27T05:00:00Z"),
            "launch_window: end must be after start",
        ),
        (
            lambda b: b["impact_area"].update(radius_km=10),
            "impact_area: a circle needs exactly one of radius_km or radius_nm, not 2",
        ),
        (
            lambda b: b["impact_area"].update(center=[160.85, 95]),
            "impact_area.center: latitude 95 is outside -90..90 (positions are [lon, lat])",
        ),
        (
            lambda b: b["impact_area"].update(center=[200, 57.6]),
            "impact_area.center: longitude 200 is outside -180..180 (positions are [lon, lat])",
        ),
        (
            lambda b: b["impact_area"].update(center=[160.85]),
            "impact_area.center: must be a position [lon, lat]: an array of exactly two numbers",
        ),
        (
            lambda b: b["impact_area"].update(type="Corridor"),
            "impact_area: type 'Corridor' is not allowed here; use one of 'Polygon', 'Circle'",
        ),
        (
            lambda b: b["launch_area"].pop("type"),
            "launch_area: needs a 'type' member naming the shape",
        ),
    ],
)
def test_bad_fields_are_reported_with_path_and_expectation(edit: Any, expected: str) -> None:
    body = body_of("missile_launch")
    edit(body)
    assert issues(body) == [expected]


def test_all_problems_are_reported_at_once() -> None:
    body = body_of("missile_launch")
    body["impact_area"]["radius_nm"] = -1
    body["launch_count"] = 0
    assert sorted(issues(body)) == [
        "impact_area.radius_nm: must be > 0",
        "launch_count: must be ≥ 1",
    ]


def test_polygon_rings_must_be_closed_simple_and_not_cross_the_antimeridian() -> None:
    body = body_of("hazard_warning")
    ring = body["area"]["coordinates"][0]
    open_ring = {**body, "area": {"type": "Polygon", "coordinates": [ring[:-1]]}}
    assert issues(open_ring) == [
        "area: ring 0 is not closed: its last position must repeat its first, (30.5, 43.5)"
    ]
    bowtie = [[30, 43], [31, 44], [31, 43], [30, 44], [30, 43]]
    crossed = issues({**body, "area": {"type": "Polygon", "coordinates": [bowtie]}})
    assert len(crossed) == 1
    assert crossed[0].startswith("area: is not a valid simple area (Self-intersection")
    dateline = [[179, 60], [-179, 60], [-179, 61], [179, 61], [179, 60]]
    assert issues({**body, "area": {"type": "Polygon", "coordinates": [dateline]}}) == [
        "area: ring 0 crosses the antimeridian between (179.0, 60.0) and (-179.0, 60.0); "
        "split it into two polygons at 180° (RFC 7946 section 3.1.9)"
    ]


def test_altitude_band_must_go_up() -> None:
    body = body_of("flight_notice")
    body["altitude"] = {"lower": {"fl": 350}, "upper": {"ft_amsl": 20000}}
    assert issues(body) == ["altitude: lower must be below upper"]
    body["altitude"] = {"lower": {"fl": 100, "sfc": True}, "upper": {"unl": True}}
    assert issues(body) == [
        "altitude.lower: an altitude needs exactly one of ft_amsl, m_amsl, fl, sfc or unl, not 2"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ok\u202etxt", "must not contain the bidirectional control character U+202E"),
        ("bell\x07", "must not contain the control or unassigned character U+0007"),
        ("   ", "must not be empty"),
    ],
)
def test_free_text_refuses_control_and_bidi_characters(text: str, expected: str) -> None:
    body = body_of("free_text")
    body["text"]["text"] = text
    assert issues(body) == [f"text.text: {expected}"]


def test_identifiers_refuse_latin_cyrillic_look_alikes() -> None:
    body = body_of("humanitarian_movement")
    body["origin"] = "Dniprо"  # the last letter is Cyrillic о
    assert issues(body) == [
        "origin: 'Dniprо' mixes Latin and Cyrillic letters (look-alike characters); write "
        "each word in one alphabet"
    ]


def test_names_refuse_invisible_characters() -> None:
    body = body_of("humanitarian_site")
    body["site_name"] = "WFP Warehouse\u200bZaporizhzhia-3"
    assert issues(body) == ["site_name: must not contain the invisible format character U+200B"]


def test_callsigns_must_be_capital_latin() -> None:
    body = body_of("flight_notice")
    body["aircraft"][0]["callsigns"] = ["olive11"]
    assert issues(body) == [
        "aircraft[0].callsigns[0]: must be a callsign of 2-10 capital Latin letters and "
        "digits, like FORTE12"
    ]


def test_short_message_code_must_be_in_the_phrasebook() -> None:
    body = body_of("short_message")
    body["number"] = 98
    assert issues(body) == [
        "ACORN 98 is not in the phrasebook; see `hotline catalogue show short_message`"
    ]


def test_embedded_notification_errors_carry_the_outer_path() -> None:
    body = body_of("amendment")
    body["notification"]["window"]["end"] = "2026-11-26T07:00:00Z"
    assert issues(body) == ["notification.window: end must be after start"]
    body = body_of("amendment")
    body["notification"] = {
        "type": "free_text",
        "version": "1.0",
        "text": {"lang": "en", "text": "x"},
    }
    assert issues(body) == [
        "notification.type: a free_text cannot be carried here; use missile_launch, "
        "hazard_warning, naval_exercise, flight_notice, special_caution_area, laser_notice, "
        "humanitarian_site, humanitarian_movement, incident_report"
    ]
    body = body_of("amendment")
    body["changed"] = ["window", "wings"]
    assert len(issues(body)) == 1
    assert issues(body)[0].startswith(
        "changed names 'wings', which is not a field of flight_notice"
    )


def test_type_and_version_are_checked_first() -> None:
    with pytest.raises(UnknownTypeError) as unknown:
        decode_body(b'{"type":"telegram","version":"1.0"}')
    assert str(unknown.value).startswith("type: unknown notification type 'telegram'; known: ")
    assert issues({"version": "1.0"}) == [
        "type: is required: a string naming the notification type"
    ]
    assert issues({"type": "free_text", "version": "1"}) == [
        'version: is required: a string "MAJOR.MINOR", like "1.0"'
    ]
    with pytest.raises(UnsupportedVersionError) as newer_major:
        decode_body(b'{"type":"free_text","version":"2.0","text":{"lang":"en","text":"x"}}')
    assert str(newer_major.value) == (
        "version: free_text version 2.0 is not understood by this reader, which reads 1.x; a "
        "new major version is a breaking change: the sender must also send the old version, "
        "or both sides must upgrade hotline"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xff\xfe{}", "body is not valid UTF-8 (byte 0)"),
        (
            b"{",
            "body is not valid JSON: Expecting property name enclosed in double quotes "
            "at line 1 column 2",
        ),
        (b"[1, 2]", "must be a JSON object"),
        (
            b'{"type":"free_text","type":"rfi"}',
            "body is not acceptable JSON: the key 'type' appears twice in one object",
        ),
        (b'{"x": NaN}', "body is not acceptable JSON: NaN is not allowed; numbers must be finite"),
        (b"[" * 100_000, "body is nested too deeply"),
    ],
)
def test_bytes_that_are_not_a_body_are_refused(data: bytes, expected: str) -> None:
    with pytest.raises(InvalidNotificationError) as caught:
        decode_body(data, max_bytes=200_000)
    assert [str(i) for i in caught.value.issues] == [expected]


def test_size_limit_is_enforced_before_parsing() -> None:
    oversized = b"{" + b" " * MAX_BODY_BYTES + b"}"  # would be valid JSON if parsed
    with pytest.raises(BodyTooLargeError) as caught:
        decode_body(oversized)
    assert caught.value.size_bytes == MAX_BODY_BYTES + 2
    assert isinstance(caught.value, MalformedBodyError)
    assert decode_body(encode_body(examples()["rfi"].notification), max_bytes=300).type == "rfi"
    with pytest.raises(BodyTooLargeError):
        decode_body(encode_body(examples()["rfi"].notification), max_bytes=100)


def test_numbers_too_large_for_a_float_are_refused_at_their_path() -> None:
    body = json.dumps(body_of("missile_launch")).replace('"radius_nm": 25.0', '"radius_nm": 1e999')
    assert issues(body.encode()) == ["impact_area.radius_nm: must be a finite number"]
    body = json.dumps(body_of("missile_launch")).replace(
        '"launch_count": 1', '"launch_count": 1e999'
    )
    assert issues(body.encode()) == ["launch_count: must be a whole number"]


def test_lone_surrogates_are_refused_not_crashed_on() -> None:
    text = json.dumps(body_of("free_text"), ensure_ascii=False)
    body = text.replace("Просимо", "\\ud800").encode()
    assert b"\\ud800" in body
    assert issues(body) == ["body contains a \\u escape of a lone surrogate, which is not text"]
    paired = text.replace("Просимо", "\\ud83d\\ude00").encode()  # an emoji, escaped
    assert decode_body(paired).text.text.startswith("\U0001f600")  # type: ignore[attr-defined]
