"""hotline.catalogue: the formatted notifications of the real risk-reduction agreements.

Typed, validated notification types (one per practice), the body codec the protocol carries as
opaque bytes, release rules (precedence, lead time, size) evaluated at a given ``now``,
renderings in English, Russian and Ukrainian, and the GeoJSON volumes the engine screens.

    >>> body = encode_body(notification)            # canonical bytes to sign and send
    >>> notification = decode_body(body)            # from a peer; InvalidNotificationError if bad
    >>> check_release(notification, precedence, now=now, rules=charter.rules)
    >>> render(notification, context, lang="ru", form="compact")
    >>> volumes(notification, message_id="US-0042", party="US")
"""

from hotline.catalogue.body import MAX_BODY_BYTES, decode_body, encode_body
from hotline.catalogue.errors import (
    BodyTooLargeError,
    CatalogueError,
    InvalidNotificationError,
    Issue,
    MalformedBodyError,
    PrecedenceNotAllowedError,
    ReleaseBlockedError,
    UnknownLanguageError,
    UnknownTypeError,
    UnsupportedVersionError,
)
from hotline.catalogue.fields import MessageRef, OriginalText
from hotline.catalogue.geometry import (
    AltitudeBand,
    Circle,
    Corridor,
    Level,
    NamedSeaArea,
    Point,
    Polygon,
    SeaArea,
    TimeWindow,
    Validity,
)
from hotline.catalogue.i18n import LANGUAGES
from hotline.catalogue.notifications import (
    Amendment,
    Cancellation,
    FlightNotice,
    FreeText,
    HazardWarning,
    HumanitarianMovement,
    HumanitarianSite,
    IncidentReport,
    LaserNotice,
    MissileLaunch,
    NavalExercise,
    Notification,
    ProximityAlert,
    RequestForInformation,
    RfiResponse,
    ShortMessage,
    SpecialCautionArea,
    StopCheckFire,
    Supersession,
)
from hotline.catalogue.phrasebook import PHRASEBOOK, Phrase
from hotline.catalogue.registry import CATALOGUE, Catalogue, Outcome, TypeSpec
from hotline.catalogue.render import Form, RenderContext, dtg, render
from hotline.catalogue.rules import (
    DEFAULT_RULES,
    ChannelRules,
    Finding,
    LeadTimeRule,
    TypeRules,
    allowed_precedences,
    check_precedence,
    check_release,
    require_release,
)
from hotline.catalogue.volumes import Feature, feature_collection, may_have_volumes, volumes

__all__ = [
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
