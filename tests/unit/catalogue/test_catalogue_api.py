"""The public surface of hotline.catalogue is pinned, and the catalogue never reads the clock."""

from __future__ import annotations

import re
from pathlib import Path

import hotline.catalogue as catalogue

PUBLIC = [
    "CATALOGUE",
    "DEFAULT_RULES",
    "LANGUAGES",
    "MAX_BODY_BYTES",
    "PHRASEBOOK",
    "AltitudeBand",
    "Amendment",
    "BodyTooLargeError",
    "Cancellation",
    "Catalogue",
    "CatalogueError",
    "ChannelRules",
    "Circle",
    "Corridor",
    "Feature",
    "Finding",
    "FlightNotice",
    "Form",
    "FreeText",
    "HazardWarning",
    "HumanitarianMovement",
    "HumanitarianSite",
    "IncidentReport",
    "InvalidNotificationError",
    "Issue",
    "LaserNotice",
    "LeadTimeRule",
    "Level",
    "MalformedBodyError",
    "MessageRef",
    "MissileLaunch",
    "NamedSeaArea",
    "NavalExercise",
    "Notification",
    "OriginalText",
    "Outcome",
    "Phrase",
    "Point",
    "Polygon",
    "PrecedenceNotAllowedError",
    "ProximityAlert",
    "ReleaseBlockedError",
    "RenderContext",
    "RequestForInformation",
    "RfiResponse",
    "SeaArea",
    "ShortMessage",
    "SpecialCautionArea",
    "StopCheckFire",
    "Supersession",
    "TimeWindow",
    "TypeRules",
    "TypeSpec",
    "UnknownLanguageError",
    "UnknownTypeError",
    "UnsupportedVersionError",
    "Validity",
    "allowed_precedences",
    "check_precedence",
    "check_release",
    "decode_body",
    "dtg",
    "encode_body",
    "feature_collection",
    "may_have_volumes",
    "render",
    "require_release",
    "volumes",
]


def test_public_names_are_pinned() -> None:
    assert sorted(catalogue.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert getattr(catalogue, name) is not None


def test_every_catalogue_error_is_a_hotline_error() -> None:
    from hotline.errors import CatalogueError, HotlineError

    errors = [getattr(catalogue, n) for n in PUBLIC if n.endswith("Error")]
    assert all(issubclass(e, CatalogueError) for e in errors)
    assert issubclass(CatalogueError, HotlineError)


def test_the_catalogue_never_reads_the_clock() -> None:
    package = Path(catalogue.__file__).parent
    clock = re.compile(
        r"\b(datetime\.now|datetime\.utcnow|date\.today|time\.time|time\.monotonic)\("
    )
    offenders = [
        f"{path.relative_to(package)}:{n}"
        for path in sorted(package.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if clock.search(line)
    ]
    assert offenders == []
