"""One realistic example of every notification type, with the envelope facts to render it.

Used by the generated reference (docs/catalogue.md), ``hotline catalogue show`` and the golden
files. Markings vary so that the goldens show REAL, TEST and EXERCISE renderings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from types import MappingProxyType

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
from hotline.catalogue.notifications import (
    AircraftGroup,
    Amendment,
    Asset,
    Cancellation,
    Evidence,
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
    TrackedAsset,
    UnitGroup,
    VehicleGroup,
)
from hotline.catalogue.render.context import RenderContext
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
from hotline.protocol.types import Marking, Precedence

__all__ = ["Example", "examples"]


@dataclass(frozen=True)
class Example:
    notification: Notification
    context: RenderContext


def _t(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)


def _ctx(
    sender: str,
    to: tuple[str, ...],
    number: int,
    released: str,
    precedence: Precedence,
    marking: Marking = Marking.REAL,
    refs: tuple[MessageRef, ...] = (),
) -> RenderContext:
    return RenderContext(
        precedence=precedence,
        marking=marking,
        sender=sender,
        recipients=to,
        number=number,
        released=_t(released),
        references=refs,
    )


def _ref(party: str, number: int) -> MessageRef:
    return MessageRef(party=party, number=number)


def _square(lon: float, lat: float, d_lon: float, d_lat: float) -> Polygon:
    ring = (
        (lon, lat),
        (lon + d_lon, lat),
        (lon + d_lon, lat + d_lat),
        (lon, lat + d_lat),
        (lon, lat),
    )
    return Polygon(coordinates=(ring,))


_FLIGHT = FlightNotice(
    purpose=FlightPurpose.RECONNAISSANCE,
    area=Corridor(coordinates=((29.5, 43.2), (32.8, 43.35), (36.0, 43.1)), half_width_nm=10),
    altitude=AltitudeBand(lower=Level(fl=250), upper=Level(fl=350)),
    window=TimeWindow(start=_t("2026-11-26T06:00Z"), end=_t("2026-11-26T12:00Z")),
    aircraft=(
        AircraftGroup(
            count=1, type_designator="RC-135W", callsigns=("OLIVE11",), icao24=("AE01CE",)
        ),
        AircraftGroup(count=1, type_designator="KC-135R", callsigns=("QUID51",)),
    ),
    remarks=OriginalText(lang="en", text="Flight stays over international waters throughout."),
)

_EXERCISE = NavalExercise(
    exercise_name="SEA BREEZE 2026",
    area=NamedSeaArea(
        sea=SeaArea.BLACK_SEA,
        boundary=Polygon(
            coordinates=(((30.8, 45.6), (31.9, 45.6), (32.3, 45.1), (31.2, 44.9), (30.8, 45.6)),)
        ),
    ),
    window=TimeWindow(start=_t("2026-12-01T05:00Z"), end=_t("2026-12-05T17:00Z")),
    activities=(HazardKind.GUNNERY, HazardKind.MINE_COUNTERMEASURES, HazardKind.FLIGHT_OPERATIONS),
    participants=(
        UnitGroup(count=4, kind=UnitKind.SURFACE_SHIP),
        UnitGroup(count=2, kind=UnitKind.HELICOPTER),
        UnitGroup(count=3, kind=UnitKind.UNCREWED_SURFACE_VESSEL),
    ),
    altitude=AltitudeBand(lower=Level(sfc=True), upper=Level(ft_amsl=15_000)),
    remarks=OriginalText(
        lang="uk", text="Кораблі ведуть прослуховування каналу 16 УКХ протягом усього навчання."
    ),
)


@cache
def examples() -> Mapping[str, Example]:
    """Example notification and envelope facts for every type, by type name."""
    site = HumanitarianSite(
        organisation="WFP",
        site_name="WFP Warehouse Zaporizhzhia-3",
        site_kind=SiteKind.WAREHOUSE,
        location=Polygon(
            coordinates=(
                (
                    (35.1391, 47.8384),
                    (35.1402, 47.8384),
                    (35.1402, 47.8392),
                    (35.1391, 47.8392),
                    (35.1391, 47.8384),
                ),
            )
        ),
        validity=Validity(start=_t("2026-11-20T00:00Z")),
        persons_on_site=14,
        emblems=(Emblem.UNITED_NATIONS, Emblem.ORGANISATION_LOGO),
        markings=OriginalText(
            lang="en",
            text="UN emblem and WFP logo painted on the roof, 8 m wide. Blue UN flag at the gate.",
        ),
        contact="WFP duty officer, via UN-OCHA",
    )
    all_examples: dict[str, Example] = {
        "missile_launch": Example(
            MissileLaunch(
                missile_class=MissileClass.ICBM,
                launch_window=TimeWindow(
                    start=_t("2026-11-27T06:00Z"), end=_t("2026-11-27T09:00Z")
                ),
                launch_area=Point(coordinates=(40.577, 62.9255)),
                impact_area=Circle(center=(160.85, 57.6), radius_nm=25),
            ),
            _ctx("RU", ("US",), 17, "2026-11-25T14:30Z", Precedence.PRIORITY, Marking.EXERCISE),
        ),
        "hazard_warning": Example(
            HazardWarning(
                hazard=HazardKind.GUNNERY,
                area=_square(30.5, 43.5, 1.0, 0.7),
                windows=(
                    TimeWindow(start=_t("2026-12-02T06:00Z"), end=_t("2026-12-02T15:00Z")),
                    TimeWindow(start=_t("2026-12-03T06:00Z"), end=_t("2026-12-03T15:00Z")),
                ),
                altitude=AltitudeBand(lower=Level(sfc=True), upper=Level(ft_amsl=20_000)),
            ),
            _ctx("US", ("RU",), 40, "2026-11-27T09:00Z", Precedence.ROUTINE, Marking.TEST),
        ),
        "naval_exercise": Example(
            _EXERCISE,
            _ctx("UA", ("RU", "US"), 5, "2026-11-25T10:00Z", Precedence.ROUTINE),
        ),
        "flight_notice": Example(
            _FLIGHT, _ctx("US", ("RU",), 41, "2026-11-25T18:00Z", Precedence.PRIORITY)
        ),
        "special_caution_area": Example(
            SpecialCautionArea(
                area=Circle(center=(35.55, 35.0), radius_nm=20),
                validity=Validity(start=_t("2026-11-26T00:00Z")),
                altitude=AltitudeBand(lower=Level(sfc=True), upper=Level(unl=True)),
                measures=(
                    CautionMeasure.ESTABLISH_COMMUNICATIONS,
                    CautionMeasure.NO_WEAPON_AIMING,
                    CautionMeasure.NO_LASER_USE,
                ),
                radio_frequencies_mhz=(121.5, 243.0, 156.8),
            ),
            _ctx("US", ("RU",), 43, "2026-11-25T20:00Z", Precedence.IMMEDIATE, Marking.EXERCISE),
        ),
        "laser_notice": Example(
            LaserNotice(
                purpose=LaserPurpose.RANGE_FINDING,
                laser_class=LaserClass.CLASS_3B,
                wavelength_nanometres=1064,
                nohd_m=2500,
                area=Circle(center=(20.1, 55.2), radius_km=5),
                altitude=AltitudeBand(lower=Level(sfc=True), upper=Level(m_amsl=3000)),
                window=TimeWindow(start=_t("2026-11-28T08:00Z"), end=_t("2026-11-28T11:00Z")),
            ),
            _ctx("RU", ("US",), 19, "2026-11-26T12:00Z", Precedence.PRIORITY),
        ),
        "humanitarian_site": Example(
            site,
            _ctx("UN-OCHA", ("RU", "UA"), 6, "2026-11-19T16:00Z", Precedence.PRIORITY),
        ),
        "humanitarian_movement": Example(
            HumanitarianMovement(
                organisation="ICRC",
                movement_id="ICRC-UA-CNV-0912",
                origin="Dnipro",
                destination="Zaporizhzhia",
                route=Corridor(
                    coordinates=((35.046, 48.464), (35.1, 48.15), (35.14, 47.84)), half_width_km=1
                ),
                window=TimeWindow(start=_t("2026-11-28T06:00Z"), end=_t("2026-11-28T14:00Z")),
                vehicles=(
                    VehicleGroup(count=6, kind=VehicleKind.TRUCK),
                    VehicleGroup(count=1, kind=VehicleKind.CAR),
                ),
                persons=9,
                cargo=(CargoKind.MEDICAL, CargoKind.FOOD),
                emblems=(Emblem.RED_CROSS,),
                markings=OriginalText(
                    lang="uk",
                    text="Червоний хрест на дахах і бортах усіх машин; білі прапори на кабінах.",
                ),
            ),
            _ctx("UN-OCHA", ("RU", "UA"), 7, "2026-11-25T12:00Z", Precedence.PRIORITY),
        ),
        "incident_report": Example(
            IncidentReport(
                category=IncidentKind.UNSAFE_INTERCEPT,
                occurred_at=_t("2026-11-24T07:03Z"),
                location=Point(coordinates=(32.2, 44.05)),
                assets=(
                    Asset(
                        party="US",
                        kind=AssetKind.UNCREWED_AIRCRAFT,
                        designation="MQ-9A",
                        identifier="19-4091",
                    ),
                    Asset(party="RU", kind=AssetKind.AIRCRAFT, designation="Su-27"),
                ),
                narrative=OriginalText(
                    lang="en",
                    text="Two Su-27 aircraft intercepted the MQ-9A over international waters. "
                    "One released fuel in front of it and struck its propeller at 07:03 UTC.\n"
                    "The MQ-9A was brought down into the sea.",
                ),
                evidence=(
                    Evidence(
                        kind=EvidenceKind.VIDEO,
                        reference="EUCOM-2026-1124-MQ9.mp4",
                        sha256="9f2c" * 16,
                    ),
                ),
            ),
            _ctx("US", ("RU",), 44, "2026-11-24T09:30Z", Precedence.IMMEDIATE),
        ),
        "proximity_alert": Example(
            ProximityAlert(
                computed_at=datetime(2026, 11, 26, 8, 15, 30, tzinfo=UTC),
                assets=(
                    TrackedAsset(
                        identifier="OLIVE11",
                        kind=AssetKind.AIRCRAFT,
                        party="US",
                        source=TrackSource.ADS_B,
                        position=(31.42, 43.27),
                        alt_ft=31_000,
                        ground_speed_kt=420,
                        track_deg=90,
                    ),
                    TrackedAsset(
                        identifier="RU-TRK-0412",
                        kind=AssetKind.AIRCRAFT,
                        party="RU",
                        source=TrackSource.PARTY_FEED,
                        position=(31.71, 43.52),
                        alt_ft=31_400,
                        ground_speed_kt=480,
                        track_deg=205,
                    ),
                ),
                cpa_time=datetime(2026, 11, 26, 8, 20, 0, tzinfo=UTC),
                cpa_distance_m=926,
                cpa_vertical_ft=400,
                cpa_position=(31.58, 43.29),
            ),
            _ctx("US", ("RU",), 45, "2026-11-26T08:15Z", Precedence.FLASH, Marking.TEST),
        ),
        "stop_check_fire": Example(
            StopCheckFire(
                reason=StopReason.HUMANITARIAN_MOVEMENT_AT_RISK,
                area=Circle(center=(35.1, 48.15), radius_km=5),
                until=_t("2026-11-28T14:00Z"),
                related=_ref("UN-OCHA", 7),
                remarks=OriginalText(
                    lang="en", text="ICRC convoy reports shelling 2 km ahead on its route."
                ),
            ),
            _ctx("UN-OCHA", ("RU", "UA"), 9, "2026-11-28T09:12Z", Precedence.FLASH),
        ),
        "rfi": Example(
            RequestForInformation(
                topic=RfiTopic.INTENTIONS,
                about=_ref("US", 41),
                question=OriginalText(
                    lang="ru",
                    text="Просим сообщить, планируется ли продление полёта после 12:00 UTC.",
                ),
                reply_by=_t("2026-11-26T10:00Z"),
            ),
            _ctx("RU", ("US",), 18, "2026-11-26T07:10Z", Precedence.PRIORITY),
        ),
        "rfi_response": Example(
            RfiResponse(
                responds_to=_ref("RU", 18),
                outcome=ResponseKind.ANSWERED,
                answer=OriginalText(
                    lang="en",
                    text="The flight will end by 12:00 UTC as notified. No extension is planned.",
                ),
            ),
            _ctx("US", ("RU",), 46, "2026-11-26T07:40Z", Precedence.PRIORITY),
        ),
        "short_message": Example(
            ShortMessage(code_word="ACORN", number=1, about=_ref("US", 44)),
            _ctx("RU", ("US",), 20, "2026-11-24T09:41Z", Precedence.IMMEDIATE),
        ),
        "free_text": Example(
            FreeText(
                text=OriginalText(
                    lang="uk",
                    text="Просимо підтвердити, що ваші підрозділи отримали сповіщення UN-OCHA-0007"
                    ".\nКонвой вирушає о 06:00 UTC.",
                )
            ),
            _ctx("UA", ("RU",), 8, "2026-11-27T20:05Z", Precedence.ROUTINE, Marking.TEST),
        ),
        "amendment": Example(
            Amendment(
                amends=_ref("US", 41),
                notification=_FLIGHT.model_copy(
                    update={
                        "window": TimeWindow(
                            start=_t("2026-11-26T08:00Z"), end=_t("2026-11-26T14:00Z")
                        )
                    }
                ),
                changed=("window",),
                reason=OriginalText(lang="en", text="Take-off delayed by two hours."),
            ),
            _ctx("US", ("RU",), 42, "2026-11-25T22:10Z", Precedence.PRIORITY),
        ),
        "cancellation": Example(
            Cancellation(cancels=_ref("RU", 17), reason=CancelReason.ACTIVITY_POSTPONED),
            _ctx("RU", ("US",), 21, "2026-11-26T15:00Z", Precedence.PRIORITY, Marking.EXERCISE),
        ),
        "supersession": Example(
            Supersession(
                supersedes=_ref("UA", 5),
                notification=_EXERCISE.model_copy(
                    update={
                        "window": TimeWindow(
                            start=_t("2026-12-02T05:00Z"), end=_t("2026-12-06T17:00Z")
                        )
                    }
                ),
                remarks=OriginalText(lang="uk", text="Навчання перенесено на одну добу."),
            ),
            _ctx("UA", ("RU", "US"), 9, "2026-11-26T10:00Z", Precedence.ROUTINE),
        ),
    }
    return MappingProxyType(all_examples)
