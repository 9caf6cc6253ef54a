"""The notification types: one typed structure per real practice.

Each type is a :class:`Notification` with a ``type`` tag and a ``VERSION`` (major, minor). The
wire form adds ``"version": "MAJOR.MINOR"`` (see :mod:`hotline.catalogue.body`). Precedence,
marking, sender and number travel in the envelope, never in the body.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    ValidationInfo,
    model_validator,
)

from hotline.catalogue.fields import (
    TOLERATE_UNKNOWN,
    Callsign,
    Designator,
    Icao24,
    MessageRef,
    Name,
    OriginalText,
    PartyId,
    Record,
    Sha256Hex,
    UtcTime,
    fail,
)
from hotline.catalogue.geometry import (
    AltitudeBand,
    Circle,
    Corridor,
    NamedSeaArea,
    Point,
    Polygon,
    Position,
    TimeWindow,
    Validity,
)
from hotline.catalogue.phrasebook import PHRASEBOOK
from hotline.catalogue.vocabulary import (
    AssetKind,
    CancelReason,
    CargoKind,
    CautionMeasure,
    Emblem,
    EvidenceKind,
    FlightPurpose,
    HazardKind,
    IncidentKind,
    LaserClass,
    LaserPurpose,
    MissileClass,
    ResponseKind,
    RfiTopic,
    SiteKind,
    StopReason,
    TrackSource,
    UnitKind,
    VehicleKind,
)

__all__ = [
    "AircraftGroup",
    "Amendment",
    "Asset",
    "Cancellation",
    "Evidence",
    "FlightNotice",
    "FreeText",
    "HazardWarning",
    "HumanitarianMovement",
    "HumanitarianSite",
    "IncidentReport",
    "LaserNotice",
    "MissileLaunch",
    "NavalExercise",
    "Notification",
    "PlacedArea",
    "ProximityAlert",
    "RequestForInformation",
    "RfiResponse",
    "ShortMessage",
    "SpecialCautionArea",
    "StopCheckFire",
    "Supersession",
    "TrackedAsset",
    "UnitGroup",
    "VehicleGroup",
]

Area = Annotated[
    Point | Polygon | Circle | Corridor | NamedSeaArea,
    Field(discriminator="type"),
]
WaterArea = Annotated[Polygon | Circle | Corridor | NamedSeaArea, Field(discriminator="type")]
ImpactArea = Annotated[Polygon | Circle, Field(discriminator="type")]
LaunchArea = Annotated[Point | Polygon | Circle | NamedSeaArea, Field(discriminator="type")]
ZoneArea = Annotated[Polygon | Circle | NamedSeaArea, Field(discriminator="type")]
FlightArea = Annotated[Corridor | Polygon | Circle | NamedSeaArea, Field(discriminator="type")]
SiteLocation = Annotated[Point | Polygon | Circle, Field(discriminator="type")]
Place = Annotated[Point | Polygon | Circle | NamedSeaArea, Field(discriminator="type")]
AnyGeometry = Point | Polygon | Circle | Corridor | NamedSeaArea

Count = Annotated[int, Field(ge=1, le=1000)]


def _version_schema(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    """Every notification's schema shows the ``version`` member the wire form carries."""
    version = getattr(cls, "VERSION", None)
    if version is None:
        return
    major, minor = version
    schema.setdefault("properties", {})["version"] = {
        "type": "string",
        "pattern": rf"^{major}\.[0-9]+$",
        "description": f"MAJOR.MINOR version of the type as the writer knows it; this is "
        f"{major}.{minor}. A reader accepts any minor of its major (see docs/catalogue.md).",
    }
    required = schema.setdefault("required", [])
    for name in ("type", "version"):
        if name not in required:
            required.insert(0, name)


@dataclass(frozen=True)
class PlacedArea:
    """An area a notification puts on the map: where, how high, when, and what it is."""

    role: str  # field whose area this is ("impact_area"), named in every language
    area: AnyGeometry
    altitude: AltitudeBand | None
    start: datetime | None
    end: datetime | None
    kind: Literal["notified", "humanitarian_site"] = "notified"


class Notification(Record):
    """Base of every notification type."""

    type: str
    VERSION: ClassVar[tuple[int, int]] = (1, 0)

    model_config = ConfigDict(json_schema_extra=_version_schema)

    # Set only when the body came from a newer minor version of this type: the paths of the
    # fields this reader does not know and skipped, and the body's version.
    _unknown_fields: tuple[str, ...] = PrivateAttr(default=())
    _body_version: str | None = PrivateAttr(default=None)

    @property
    def unknown_fields(self) -> tuple[str, ...]:
        """Fields from a newer minor version that this reader skipped (paths)."""
        return self._unknown_fields

    @property
    def body_version(self) -> str:
        """The version the body was written in (this reader's own version unless newer)."""
        major, minor = self.VERSION
        return self._body_version or f"{major}.{minor}"

    def mark_newer(self, body_version: str, unknown_fields: tuple[str, ...]) -> None:
        """Record that this came from a newer minor version (the decoder calls this)."""
        self._body_version = body_version
        self._unknown_fields = unknown_fields

    def activity_window(self) -> tuple[str, TimeWindow] | None:
        """The field path and value of the activity's time window; None if not timed.

        Types timed by one window override only this; the three methods below follow from it.
        """
        return None

    def activity_start(self) -> datetime | None:
        """When the notified activity begins (for lead-time rules); None if not timed."""
        found = self.activity_window()
        return found[1].start if found else None

    def activity_end(self) -> datetime | None:
        found = self.activity_window()
        return found[1].end if found else None

    def activity_paths(self) -> tuple[str, str]:
        """Field paths of the start and end of the activity, for messages about them."""
        found = self.activity_window()
        return (f"{found[0]}.start", f"{found[0]}.end") if found else ("", "")

    def placed_areas(self) -> list[PlacedArea]:
        """Areas to draw and screen (``hotline.catalogue.volumes`` exports them)."""
        return []

    def references(self) -> list[MessageRef]:
        """Earlier messages this body refers to."""
        return []

    def free_texts(self) -> Iterator[OriginalText]:
        """Every free text in the body, for word limits."""
        yield from _free_texts(self)


def _free_texts(value: object) -> Iterator[OriginalText]:
    if isinstance(value, OriginalText):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _free_texts(getattr(value, name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _free_texts(item)


# --- 1988 Ballistic Missile Launch Notification Agreement -------------------------------------


class MissileLaunch(Notification):
    """Ballistic missile launch notification (1988 agreement): the planned date and window
    of the launch, the launch area and the impact area, at least 24 hours ahead."""

    type: Literal["missile_launch"] = "missile_launch"
    missile_class: MissileClass
    launch_count: Count = Field(default=1, description="Number of missiles to be launched")
    launch_window: TimeWindow = Field(description="Planned date and time window of launch")
    launch_area: LaunchArea
    impact_area: ImpactArea = Field(description="Boundary points, or a centre and radius")
    remarks: OriginalText | None = None

    def activity_window(self) -> tuple[str, TimeWindow] | None:
        return "launch_window", self.launch_window

    def placed_areas(self) -> list[PlacedArea]:
        w = self.launch_window
        return [
            PlacedArea("launch_area", self.launch_area, None, w.start, w.end),
            PlacedArea("impact_area", self.impact_area, None, w.start, w.end),
        ]


# --- 1972 Incidents at Sea Agreement ----------------------------------------------------------


class HazardWarning(Notification):
    """Navigational warning of actions on the high seas dangerous to navigation or to
    aircraft in flight (1972 Incidents at Sea, Article VI), as a rule 3 to 5 days ahead."""

    type: Literal["hazard_warning"] = "hazard_warning"
    hazard: HazardKind
    area: WaterArea
    windows: Annotated[tuple[TimeWindow, ...], Field(min_length=1, max_length=31)] = Field(
        description="One or more periods of activity (for example one per day)"
    )
    altitude: AltitudeBand | None = Field(
        default=None, description="Airspace affected, if the hazard reaches aircraft in flight"
    )
    remain_clear: bool = Field(
        default=True, description="Ships and aircraft are requested to remain clear"
    )
    remarks: OriginalText | None = None

    @model_validator(mode="after")
    def _windows_ordered(self) -> HazardWarning:
        for a, b in itertools.pairwise(self.windows):
            if b.start < a.end:
                raise fail("windows must be in time order and must not overlap")
        return self

    def activity_start(self) -> datetime | None:
        return self.windows[0].start

    def activity_end(self) -> datetime | None:
        return self.windows[-1].end

    def activity_paths(self) -> tuple[str, str]:
        return "windows[0].start", f"windows[{len(self.windows) - 1}].end"

    def placed_areas(self) -> list[PlacedArea]:
        return [PlacedArea("area", self.area, self.altitude, w.start, w.end) for w in self.windows]


class UnitGroup(Record):
    count: Count
    kind: UnitKind


class NavalExercise(Notification):
    """Naval exercise notice (1972 Incidents at Sea): area, times, activities, participants,
    as a rule 3 to 5 days ahead."""

    type: Literal["naval_exercise"] = "naval_exercise"
    exercise_name: Name
    area: WaterArea
    window: TimeWindow
    activities: Annotated[tuple[HazardKind, ...], Field(max_length=len(HazardKind))] = ()
    participants: Annotated[tuple[UnitGroup, ...], Field(max_length=20)] = ()
    altitude: AltitudeBand | None = None
    remarks: OriginalText | None = None

    def activity_window(self) -> tuple[str, TimeWindow] | None:
        return "window", self.window

    def placed_areas(self) -> list[PlacedArea]:
        return [PlacedArea("area", self.area, self.altitude, self.window.start, self.window.end)]


# --- air activity -----------------------------------------------------------------------------


class AircraftGroup(Record):
    count: Count
    type_designator: Designator
    callsigns: Annotated[tuple[Callsign, ...], Field(max_length=50)] = ()
    icao24: Annotated[tuple[Icao24, ...], Field(max_length=50)] = Field(
        default=(), description="ICAO 24-bit addresses, to match ADS-B tracks"
    )


class FlightNotice(Notification):
    """Planned air activity: corridor or area, altitude band, time window, number and type
    of aircraft, callsigns or identifiers (for example ISR flights over international waters)."""

    type: Literal["flight_notice"] = "flight_notice"
    purpose: FlightPurpose
    area: FlightArea
    altitude: AltitudeBand
    window: TimeWindow
    aircraft: Annotated[tuple[AircraftGroup, ...], Field(min_length=1, max_length=20)]
    remarks: OriginalText | None = None

    def activity_window(self) -> tuple[str, TimeWindow] | None:
        return "window", self.window

    def placed_areas(self) -> list[PlacedArea]:
        return [PlacedArea("area", self.area, self.altitude, self.window.start, self.window.end)]


# --- 1989 Dangerous Military Activities Agreement ---------------------------------------------


class SpecialCautionArea(Notification):
    """Special caution area (1989 Dangerous Military Activities Agreement, Article V): where
    both sides' forces are present and agreed measures apply."""

    type: Literal["special_caution_area"] = "special_caution_area"
    area: ZoneArea
    validity: Validity
    altitude: AltitudeBand | None = None
    measures: Annotated[tuple[CautionMeasure, ...], Field(min_length=1, max_length=10)]
    radio_frequencies_mhz: Annotated[
        tuple[Annotated[float, Field(ge=2.0, le=400.0)], ...], Field(max_length=10)
    ] = Field(default=(), description="Agreed radio frequencies for contact, in MHz")
    remarks: OriginalText | None = None

    def activity_start(self) -> datetime | None:
        return self.validity.start

    def activity_end(self) -> datetime | None:
        return self.validity.end

    def activity_paths(self) -> tuple[str, str]:
        return "validity.start", "validity.end"

    def placed_areas(self) -> list[PlacedArea]:
        v = self.validity
        return [PlacedArea("area", self.area, self.altitude, v.start, v.end)]


class LaserNotice(Notification):
    """Laser use notice (1989 Dangerous Military Activities Agreement, Article IV): where,
    when and how a laser that could harm personnel or equipment will be used."""

    type: Literal["laser_notice"] = "laser_notice"
    purpose: LaserPurpose
    laser_class: LaserClass
    wavelength_nanometres: Annotated[int, Field(ge=100, le=20_000)] | None = None
    nohd_m: Annotated[float, Field(gt=0, le=1_000_000)] | None = Field(
        default=None, description="Nominal ocular hazard distance, metres"
    )
    area: Annotated[Point | Polygon | Circle | Corridor | NamedSeaArea, Field(discriminator="type")]
    altitude: AltitudeBand | None = None
    window: TimeWindow
    remarks: OriginalText | None = None

    def activity_window(self) -> tuple[str, TimeWindow] | None:
        return "window", self.window

    def placed_areas(self) -> list[PlacedArea]:
        return [PlacedArea("area", self.area, self.altitude, self.window.start, self.window.end)]


# --- OCHA Humanitarian Notification System ----------------------------------------------------


class HumanitarianSite(Notification):
    """A static humanitarian site (OCHA HNS). Notification is not permission: the standing
    disclaimer is part of every rendering."""

    type: Literal["humanitarian_site"] = "humanitarian_site"
    organisation: Name
    site_name: Name
    site_kind: SiteKind
    location: SiteLocation
    validity: Validity
    persons_on_site: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    emblems: Annotated[tuple[Emblem, ...], Field(max_length=len(Emblem))] = ()
    markings: OriginalText | None = Field(default=None, description="How the site is marked")
    contact: Name | None = None

    def activity_start(self) -> datetime | None:
        return self.validity.start

    def activity_end(self) -> datetime | None:
        return self.validity.end

    def activity_paths(self) -> tuple[str, str]:
        return "validity.start", "validity.end"

    def placed_areas(self) -> list[PlacedArea]:
        v = self.validity
        return [PlacedArea("location", self.location, None, v.start, v.end, "humanitarian_site")]


class VehicleGroup(Record):
    count: Count
    kind: VehicleKind


class HumanitarianMovement(Notification):
    """A humanitarian movement (OCHA HNS): route, timing, vehicles and markings. Notification
    is not permission: the standing disclaimer is part of every rendering."""

    type: Literal["humanitarian_movement"] = "humanitarian_movement"
    organisation: Name
    movement_id: Name
    origin: Name
    destination: Name
    route: Corridor
    window: TimeWindow
    vehicles: Annotated[tuple[VehicleGroup, ...], Field(min_length=1, max_length=20)]
    persons: Annotated[int, Field(ge=0, le=100_000)] | None = None
    cargo: Annotated[tuple[CargoKind, ...], Field(max_length=len(CargoKind))] = ()
    emblems: Annotated[tuple[Emblem, ...], Field(max_length=len(Emblem))] = ()
    markings: OriginalText | None = None
    contact: Name | None = None

    def activity_window(self) -> tuple[str, TimeWindow] | None:
        return "window", self.window

    def placed_areas(self) -> list[PlacedArea]:
        return [PlacedArea("route", self.route, None, self.window.start, self.window.end)]


# --- incidents and alerts ---------------------------------------------------------------------


class Asset(Record):
    party: PartyId
    kind: AssetKind
    designation: Designator = Field(description="Type, such as MQ-9A or Su-27")
    identifier: Name | None = Field(default=None, description="Callsign, tail or hull number")


class Evidence(Record):
    kind: EvidenceKind
    reference: Name = Field(description="File name, archive number or link, as the sender keeps it")
    sha256: Sha256Hex | None = None


class IncidentReport(Notification):
    """Incident report: time, place, assets involved, what happened, evidence. The other party
    can send its own account (``account_of``); both are kept side by side as disputed."""

    type: Literal["incident_report"] = "incident_report"
    category: IncidentKind
    occurred_at: UtcTime
    location: Place
    assets: Annotated[tuple[Asset, ...], Field(min_length=1, max_length=20)]
    narrative: OriginalText = Field(description="What happened, in the sender's own words")
    evidence: Annotated[tuple[Evidence, ...], Field(max_length=50)] = ()
    account_of: MessageRef | None = Field(
        default=None, description="Set when this is the sender's account of a reported incident"
    )

    def references(self) -> list[MessageRef]:
        return [self.account_of] if self.account_of else []


class TrackedAsset(Record):
    identifier: Name = Field(description="Callsign, ICAO address, MMSI or track number")
    kind: AssetKind
    party: PartyId | None = None
    source: TrackSource
    position: Position
    alt_ft: Annotated[int, Field(ge=-1500, le=200_000)] | None = None
    ground_speed_kt: Annotated[float, Field(ge=0, le=5000)] | None = None
    track_deg: Annotated[float, Field(ge=0, lt=360)] | None = None


class ProximityAlert(Notification):
    """What the engine found: two assets, their predicted closest point of approach (CPA),
    and the time to it."""

    type: Literal["proximity_alert"] = "proximity_alert"
    computed_at: UtcTime
    assets: Annotated[tuple[TrackedAsset, ...], Field(min_length=2, max_length=2)]
    cpa_time: UtcTime
    cpa_distance_m: Annotated[float, Field(ge=0, le=1_000_000)]
    cpa_vertical_ft: Annotated[float, Field(ge=0, le=200_000)] | None = None
    cpa_position: Position

    @model_validator(mode="after")
    def _cpa_after_computation(self) -> ProximityAlert:
        if self.cpa_time < self.computed_at:
            raise fail("cpa_time must not be before computed_at")
        return self


class StopCheckFire(Notification):
    """Stop / check fire. FLASH only; demands an immediate operator acknowledgement."""

    type: Literal["stop_check_fire"] = "stop_check_fire"
    reason: StopReason
    area: Area | None = Field(default=None, description="Where to stop; absent means everywhere")
    until: UtcTime | None = Field(default=None, description="Absent means until further notice")
    related: MessageRef | None = Field(
        default=None, description="The notified site, movement or activity at risk"
    )
    remarks: OriginalText | None = None

    def activity_end(self) -> datetime | None:
        return self.until

    def activity_paths(self) -> tuple[str, str]:
        return "", "until"

    def placed_areas(self) -> list[PlacedArea]:
        return [PlacedArea("area", self.area, None, None, self.until)] if self.area else []

    def references(self) -> list[MessageRef]:
        return [self.related] if self.related else []


# --- dialogue ---------------------------------------------------------------------------------


class RequestForInformation(Notification):
    """A question to the other party, optionally about an earlier message."""

    type: Literal["rfi"] = "rfi"
    topic: RfiTopic
    question: OriginalText
    about: MessageRef | None = None
    reply_by: UtcTime | None = None

    def references(self) -> list[MessageRef]:
        return [self.about] if self.about else []


class RfiResponse(Notification):
    """The answer to a request for information."""

    type: Literal["rfi_response"] = "rfi_response"
    responds_to: MessageRef
    outcome: ResponseKind
    answer: OriginalText | None = None

    @model_validator(mode="after")
    def _answer_given(self) -> RfiResponse:
        if self.outcome in (ResponseKind.ANSWERED, ResponseKind.PARTIAL) and self.answer is None:
            raise fail(f"an answer is required when outcome is {self.outcome.value}")
        return self

    def references(self) -> list[MessageRef]:
        return [self.responds_to]


class ShortMessage(Notification):
    """A pre-agreed short message: a code word and a number whose full text every side holds
    in its own language (hotline.catalogue.phrasebook)."""

    type: Literal["short_message"] = "short_message"
    code_word: Annotated[str, Field(pattern=r"^[A-Z]{3,12}$")]
    number: Annotated[int, Field(ge=1, le=99)]
    about: MessageRef | None = None

    @model_validator(mode="after")
    def _in_phrasebook(self, info: ValidationInfo) -> ShortMessage:
        newer = isinstance(info.context, dict) and info.context.get(TOLERATE_UNKNOWN)
        if (self.code_word, self.number) not in PHRASEBOOK and not newer:
            raise fail(
                f"{self.code_word} {self.number} is not in the phrasebook; "
                "see `hotline catalogue show short_message`"
            )
        return self

    def references(self) -> list[MessageRef]:
        return [self.about] if self.about else []


class FreeText(Notification):
    """Free text: always allowed, always marked as unformatted and not machine-translated."""

    type: Literal["free_text"] = "free_text"
    text: OriginalText


# --- amendment, cancellation, supersession ----------------------------------------------------

AMENDABLE: tuple[type[Notification], ...] = (
    MissileLaunch,
    HazardWarning,
    NavalExercise,
    FlightNotice,
    SpecialCautionArea,
    LaserNotice,
    HumanitarianSite,
    HumanitarianMovement,
    IncidentReport,
)
AmendableUnion = Annotated[
    MissileLaunch
    | HazardWarning
    | NavalExercise
    | FlightNotice
    | SpecialCautionArea
    | LaserNotice
    | HumanitarianSite
    | HumanitarianMovement
    | IncidentReport,
    Field(discriminator="type"),
]


def _embedded(value: object, info: ValidationInfo) -> Notification:
    # Embedded notifications are decoded by the same decoder as bodies, with their own version.
    from hotline.catalogue.body import decode_embedded

    return decode_embedded(value, AMENDABLE, info.field_name or "notification", info.context)


def _embedded_json(value: Notification) -> dict[str, object]:
    from hotline.catalogue.body import body_object

    return body_object(value)


Embedded = Annotated[
    Notification,
    PlainValidator(_embedded, json_schema_input_type=AmendableUnion),
    PlainSerializer(_embedded_json),
]


class Amendment(Notification):
    """Amends an earlier notification: carries it in full as amended, and names the fields that
    changed. The original stays in force as amended."""

    type: Literal["amendment"] = "amendment"
    amends: MessageRef
    notification: Embedded = Field(description="The earlier notification, in full, as amended")
    changed: Annotated[tuple[str, ...], Field(min_length=1, max_length=30)] = Field(
        description="Names of the fields of the notification that changed"
    )
    reason: OriginalText | None = None

    @model_validator(mode="after")
    def _changed_fields_exist(self) -> Amendment:
        fields = set(type(self.notification).model_fields) - {"type"}
        for name in self.changed:
            if name not in fields:
                raise fail(
                    f"changed names {name!r}, which is not a field of "
                    f"{self.notification.type}; use one of {', '.join(sorted(fields))}"
                )
        if len(set(self.changed)) != len(self.changed):
            raise fail("changed lists a field twice")
        return self

    def activity_start(self) -> datetime | None:
        return self.notification.activity_start()

    def activity_end(self) -> datetime | None:
        return self.notification.activity_end()

    def placed_areas(self) -> list[PlacedArea]:
        return self.notification.placed_areas()

    def references(self) -> list[MessageRef]:
        return [self.amends, *self.notification.references()]


class Cancellation(Notification):
    """Cancels an earlier notification."""

    type: Literal["cancellation"] = "cancellation"
    cancels: MessageRef
    reason: CancelReason
    remarks: OriginalText | None = None

    def references(self) -> list[MessageRef]:
        return [self.cancels]


class Supersession(Notification):
    """Replaces an earlier notification entirely with a new one; the earlier one is void."""

    type: Literal["supersession"] = "supersession"
    supersedes: MessageRef
    notification: Embedded = Field(description="The new notification that replaces it")
    remarks: OriginalText | None = None

    def activity_start(self) -> datetime | None:
        return self.notification.activity_start()

    def activity_end(self) -> datetime | None:
        return self.notification.activity_end()

    def placed_areas(self) -> list[PlacedArea]:
        return self.notification.placed_areas()

    def references(self) -> list[MessageRef]:
        return [self.supersedes, *self.notification.references()]
