"""What each notification type says, as labelled items; the layouts turn items into text.

One function per type, all built from the same :class:`Fmt`, so the compact and the readable
form, in every language, say the same things in the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hotline.catalogue.fields import OriginalText
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
)
from hotline.catalogue.phrasebook import PHRASEBOOK
from hotline.catalogue.render.fmt import INDENT, Fmt, Item

__all__ = ["describe"]

N = TypeVar("N", bound=Notification)
_DESCRIBERS: dict[type[Notification], Callable[[Any, Fmt], list[Item]]] = {}


def _describes(
    model: type[N],
) -> Callable[[Callable[[N, Fmt], list[Item]]], Callable[[N, Fmt], list[Item]]]:
    def register(fn: Callable[[N, Fmt], list[Item]]) -> Callable[[N, Fmt], list[Item]]:
        _DESCRIBERS[model] = fn
        return fn

    return register


def describe(notification: Notification, f: Fmt) -> list[Item]:
    """The labelled items of a notification's body."""
    return _DESCRIBERS[type(notification)](notification, f)


def _item(f: Fmt, name: str, lines: list[str] | str) -> Item:
    return Item(f.label(name), [lines] if isinstance(lines, str) else lines)


def _remarks(f: Fmt, text: OriginalText | None, name: str = "remarks") -> list[Item]:
    return [_item(f, name, f.original(text))] if text is not None else []


def _list(lines: list[str]) -> list[str]:
    """A list as continuation lines under its label (the label line stays empty)."""
    return ["", *(f"{INDENT}{line}" for line in lines)]


@_describes(MissileLaunch)
def _missile_launch(n: MissileLaunch, f: Fmt) -> list[Item]:
    return [
        _item(f, "missile_class", f.enum(n.missile_class)),
        _item(f, "launch_count", str(n.launch_count)),
        _item(f, "launch_window", f.window(n.launch_window)),
        _item(f, "launch_area", f.area(n.launch_area)),
        _item(f, "impact_area", f.area(n.impact_area)),
        *_remarks(f, n.remarks),
    ]


@_describes(HazardWarning)
def _hazard_warning(n: HazardWarning, f: Fmt) -> list[Item]:
    if len(n.windows) == 1:
        windows = f.window(n.windows[0])
    else:
        windows = [""]
        for i, w in enumerate(n.windows, 1):
            head, *rest = f.window(w)
            windows.append(f"{INDENT}{f.t('time.period', n=i)}: {head}".rstrip())
            windows += [INDENT + line for line in rest]
    return [
        _item(f, "hazard", f.enum(n.hazard)),
        _item(f, "area", f.area(n.area)),
        _item(f, "windows", windows),
        *([_item(f, "altitude", f.band(n.altitude))] if n.altitude else []),
        _item(f, "remain_clear", f.t("remain_clear.yes" if n.remain_clear else "remain_clear.no")),
        *_remarks(f, n.remarks),
    ]


@_describes(NavalExercise)
def _naval_exercise(n: NavalExercise, f: Fmt) -> list[Item]:
    participants = [f"{g.count} × {f.enum(g.kind)}" for g in n.participants]
    return [
        _item(f, "exercise_name", n.exercise_name),
        _item(f, "area", f.area(n.area)),
        _item(f, "window", f.window(n.window)),
        _item(f, "activities", f.enums(n.activities)),
        _item(f, "participants", _list(participants) if participants else f.t("hdr.none")),
        *([_item(f, "altitude", f.band(n.altitude))] if n.altitude else []),
        *_remarks(f, n.remarks),
    ]


def _aircraft(group: AircraftGroup, f: Fmt) -> str:
    parts = [f"{group.count} × {group.type_designator}"]
    if group.callsigns:
        parts.append(f"{f.label('callsigns')}: {', '.join(group.callsigns)}")
    if group.icao24:
        parts.append(f"{f.label('icao24')}: {', '.join(group.icao24)}")
    return "; ".join(parts)


@_describes(FlightNotice)
def _flight_notice(n: FlightNotice, f: Fmt) -> list[Item]:
    return [
        _item(f, "purpose", f.enum(n.purpose)),
        _item(f, "area", f.area(n.area)),
        _item(f, "altitude", f.band(n.altitude)),
        _item(f, "window", f.window(n.window)),
        _item(f, "aircraft", _list([_aircraft(g, f) for g in n.aircraft])),
        *_remarks(f, n.remarks),
    ]


@_describes(SpecialCautionArea)
def _special_caution_area(n: SpecialCautionArea, f: Fmt) -> list[Item]:
    freqs = [f"{f.lang.num(mhz, 3)} {f.t('unit.mhz')}" for mhz in n.radio_frequencies_mhz]
    return [
        _item(f, "area", f.area(n.area)),
        _item(f, "validity", f.validity(n.validity)),
        *([_item(f, "altitude", f.band(n.altitude))] if n.altitude else []),
        _item(f, "measures", _list([f.enum(m) for m in n.measures])),
        _item(f, "radio_frequencies_mhz", ", ".join(freqs) if freqs else f.t("hdr.none")),
        *_remarks(f, n.remarks),
    ]


@_describes(LaserNotice)
def _laser_notice(n: LaserNotice, f: Fmt) -> list[Item]:
    items = [
        _item(f, "purpose", f.enum(n.purpose)),
        _item(f, "laser_class", f.t("laser_class", c=n.laser_class.value)),
    ]
    if n.wavelength_nanometres is not None:
        items.append(
            _item(
                f, "wavelength_nanometres", f.lang.count(n.wavelength_nanometres, "unit.nanometre")
            )
        )
    if n.nohd_m is not None:
        items.append(_item(f, "nohd_m", f.metres(n.nohd_m)))
    return [
        *items,
        _item(f, "area", f.area(n.area)),
        *([_item(f, "altitude", f.band(n.altitude))] if n.altitude else []),
        _item(f, "window", f.window(n.window)),
        *_remarks(f, n.remarks),
    ]


@_describes(HumanitarianSite)
def _humanitarian_site(n: HumanitarianSite, f: Fmt) -> list[Item]:
    return [
        _item(f, "organisation", n.organisation),
        _item(f, "site_name", n.site_name),
        _item(f, "site_kind", f.enum(n.site_kind)),
        _item(f, "location", f.area(n.location)),
        _item(f, "validity", f.validity(n.validity)),
        *(
            [_item(f, "persons_on_site", str(n.persons_on_site))]
            if n.persons_on_site is not None
            else []
        ),
        _item(f, "emblems", f.enums(n.emblems)),
        *_remarks(f, n.markings, "markings"),
        *([_item(f, "contact", n.contact)] if n.contact else []),
    ]


@_describes(HumanitarianMovement)
def _humanitarian_movement(n: HumanitarianMovement, f: Fmt) -> list[Item]:
    return [
        _item(f, "organisation", n.organisation),
        _item(f, "movement_id", n.movement_id),
        _item(f, "origin", n.origin),
        _item(f, "destination", n.destination),
        _item(f, "route", f.area(n.route)),
        _item(f, "window", f.window(n.window)),
        _item(f, "vehicles", _list([f"{g.count} × {f.enum(g.kind)}" for g in n.vehicles])),
        *([_item(f, "persons", str(n.persons))] if n.persons is not None else []),
        _item(f, "cargo", f.enums(n.cargo)),
        _item(f, "emblems", f.enums(n.emblems)),
        *_remarks(f, n.markings, "markings"),
        *([_item(f, "contact", n.contact)] if n.contact else []),
    ]


def _asset(a: Asset, f: Fmt) -> str:
    text = f"{a.party}: {f.enum(a.kind)}, {a.designation}"
    return text + (f"; {f.label('identifier')} {a.identifier}" if a.identifier else "")


def _evidence(e: Evidence, f: Fmt) -> str:
    text = f"{f.enum(e.kind)}: {e.reference}"
    return text + (f" (SHA-256 {e.sha256})" if e.sha256 else "")


@_describes(IncidentReport)
def _incident_report(n: IncidentReport, f: Fmt) -> list[Item]:
    return [
        *([_item(f, "account_of", f.ref(n.account_of))] if n.account_of else []),
        _item(f, "category", f.enum(n.category)),
        _item(f, "occurred_at", f.time(n.occurred_at)),
        _item(f, "location", f.area(n.location)),
        _item(f, "assets", _list([_asset(a, f) for a in n.assets])),
        _item(f, "narrative", f.original(n.narrative)),
        _item(
            f,
            "evidence",
            _list([_evidence(e, f) for e in n.evidence]) if n.evidence else f.t("hdr.none"),
        ),
    ]


def _tracked(a: TrackedAsset, f: Fmt) -> list[str]:
    head = f"{a.identifier} — {f.enum(a.kind)}"
    if a.party:
        head += f"; {f.label('party')} {a.party}"
    head += f"; {f.label('source')}: {f.enum(a.source)}"
    lines = [head, f"{INDENT}{f.label('position')}: {f.position(a.position)}"]
    motion = []
    if a.alt_ft is not None:
        motion.append(f"{f.label('alt_ft')} {f.feet(a.alt_ft)}")
    if a.ground_speed_kt is not None:
        kmh = f"{f.lang.num(a.ground_speed_kt * 1.852)} {f.t('unit.kmh')}"
        motion.append(
            f"{f.label('ground_speed_kt')} {f.lang.count(a.ground_speed_kt, 'unit.kt')} ({kmh})"
        )
    if a.track_deg is not None:
        motion.append(f"{f.label('track_deg')} {round(a.track_deg) % 360:03d}°")
    if motion:
        lines.append(INDENT + "; ".join(motion))
    return lines


@_describes(ProximityAlert)
def _proximity_alert(n: ProximityAlert, f: Fmt) -> list[Item]:
    items = [_item(f, "computed_at", f.time(n.computed_at))]
    for i, asset in enumerate(n.assets, 1):
        head, *rest = _tracked(asset, f)
        items.append(Item(f.t("field.tracked", n=i), [head, *rest]))
    items += [
        _item(f, "cpa_time", f.time(n.cpa_time)),
        _item(f, "time_to_cpa", f.duration(n.cpa_time - n.computed_at)),
        _item(f, "cpa_distance_m", f.metres(n.cpa_distance_m)),
    ]
    if n.cpa_vertical_ft is not None:
        items.append(_item(f, "cpa_vertical_ft", f.feet(n.cpa_vertical_ft)))
    items.append(_item(f, "cpa_position", ["", f"{INDENT}{f.position(n.cpa_position)}"]))
    return items


@_describes(StopCheckFire)
def _stop_check_fire(n: StopCheckFire, f: Fmt) -> list[Item]:
    return [
        Item(f.t("stop.order"), []),
        _item(f, "area", f.area(n.area) if n.area else f.t("stop.everywhere")),
        _item(f, "until", f.time(n.until) if n.until else f.t("time.until_further_notice")),
        _item(f, "reason", f.enum(n.reason)),
        *([_item(f, "related", f.ref(n.related))] if n.related else []),
        *_remarks(f, n.remarks),
    ]


@_describes(RequestForInformation)
def _rfi(n: RequestForInformation, f: Fmt) -> list[Item]:
    return [
        *([_item(f, "about", f.ref(n.about))] if n.about else []),
        _item(f, "topic", f.enum(n.topic)),
        _item(f, "question", f.original(n.question)),
        *([_item(f, "reply_by", f.time(n.reply_by))] if n.reply_by else []),
    ]


@_describes(RfiResponse)
def _rfi_response(n: RfiResponse, f: Fmt) -> list[Item]:
    return [
        _item(f, "responds_to", f.ref(n.responds_to)),
        _item(f, "outcome", f.enum(n.outcome)),
        *_remarks(f, n.answer, "answer"),
    ]


@_describes(ShortMessage)
def _short_message(n: ShortMessage, f: Fmt) -> list[Item]:
    code = f"{n.code_word} {n.number}"
    phrase = PHRASEBOOK.get((n.code_word, n.number))
    text = phrase.text(f.lang.code) if phrase else f.t("phrase.unknown", code=code)
    return [
        *([_item(f, "about", f.ref(n.about))] if n.about else []),
        Item(f.t("field.phrase", code=code), [text]),
    ]


@_describes(FreeText)
def _free_text(n: FreeText, f: Fmt) -> list[Item]:
    return [
        Item(f.t("original.language"), [f.lang_name(n.text.lang)]),
        _item(f, "text", f.original(n.text)),
    ]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _embedded(inner: Notification, heading: str, f: Fmt, changed: tuple[str, ...] = ()) -> Item:
    children = describe(inner, f)
    labels = {f.label(name) for name in changed}
    for child in children:
        child.changed = child.label in labels
    title = f.t(f"type.{inner.type}")
    return Item(heading, [title], children=children)


@_describes(Amendment)
def _amendment(n: Amendment, f: Fmt) -> list[Item]:
    return [
        _item(f, "amends", f.ref(n.amends)),
        _item(f, "changed", ", ".join(_lower_first(f.label(name)) for name in n.changed)),
        *_remarks(f, n.reason, "reason"),
        _embedded(n.notification, f.t("amended.heading"), f, n.changed),
    ]


@_describes(Cancellation)
def _cancellation(n: Cancellation, f: Fmt) -> list[Item]:
    return [
        _item(f, "cancels", f.ref(n.cancels)),
        _item(f, "reason", f.enum(n.reason)),
        *_remarks(f, n.remarks),
    ]


@_describes(Supersession)
def _supersession(n: Supersession, f: Fmt) -> list[Item]:
    return [
        _item(f, "supersedes", f.ref(n.supersedes)),
        *_remarks(f, n.remarks),
        _embedded(n.notification, f.t("superseded.heading"), f),
    ]
