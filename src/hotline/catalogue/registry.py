"""What the catalogue knows about each type beyond its fields: its basis in an agreement, the
precedences it allows, its default lead-time rule, and whether it demands immediate
acknowledgement. A :class:`Catalogue` is built from these specs (no global registration)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from hotline.catalogue.errors import UnknownTypeError
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
from hotline.protocol.types import Precedence

__all__ = ["CATALOGUE", "Catalogue", "LeadTime", "Outcome", "TypeSpec"]

FLASH, IMMEDIATE, PRIORITY, ROUTINE = (
    Precedence.FLASH,
    Precedence.IMMEDIATE,
    Precedence.PRIORITY,
    Precedence.ROUTINE,
)
ALL = (FLASH, IMMEDIATE, PRIORITY, ROUTINE)
NOT_FLASH = (IMMEDIATE, PRIORITY, ROUTINE)


class Outcome(StrEnum):
    """What a broken rule does: a warning the operator may override, or a block."""

    WARN = "warn"
    BLOCK = "block"


@dataclass(frozen=True)
class LeadTime:
    """The activity must be notified at least ``minimum`` before it starts."""

    minimum: timedelta
    outcome: Outcome
    why: str  # shown with the finding: where the rule comes from


@dataclass(frozen=True)
class TypeSpec:
    """One notification type and its rules."""

    model: type[Notification]
    precedences: tuple[Precedence, ...]  # allowed, highest first
    default_precedence: Precedence
    basis: str | None = None  # text key "basis.*" of the agreement behind the type
    lead_time: LeadTime | None = None
    immediate_ack: bool = False

    @property
    def name(self) -> str:
        name: str = self.model.model_fields["type"].default
        return name

    @property
    def version(self) -> str:
        major, minor = self.model.VERSION
        return f"{major}.{minor}"


class Catalogue:
    """A set of notification types, looked up by name."""

    def __init__(self, specs: Iterable[TypeSpec]) -> None:
        self._specs = {spec.name: spec for spec in specs}

    def __iter__(self) -> Iterator[TypeSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    @property
    def names(self) -> list[str]:
        return list(self._specs)

    def spec(self, name: str) -> TypeSpec:
        try:
            return self._specs[name]
        except KeyError:
            raise UnknownTypeError(name, self.names) from None

    def spec_of(self, notification: Notification) -> TypeSpec:
        return self.spec(notification.type)


_H = timedelta(hours=1)

SPECS = (
    TypeSpec(
        MissileLaunch,
        NOT_FLASH,
        PRIORITY,
        basis="bmlna_1988",
        lead_time=LeadTime(
            24 * _H, Outcome.BLOCK, "the 1988 agreement requires at least 24 hours' notice"
        ),
    ),
    TypeSpec(
        HazardWarning,
        NOT_FLASH,
        ROUTINE,
        basis="incsea_1972",
        lead_time=LeadTime(
            72 * _H, Outcome.WARN, "the 1972 agreement asks for 3 to 5 days' notice as a rule"
        ),
    ),
    TypeSpec(
        NavalExercise,
        NOT_FLASH,
        ROUTINE,
        basis="incsea_1972",
        lead_time=LeadTime(
            72 * _H, Outcome.WARN, "the 1972 agreement asks for 3 to 5 days' notice as a rule"
        ),
    ),
    TypeSpec(
        FlightNotice,
        NOT_FLASH,
        PRIORITY,
        lead_time=LeadTime(2 * _H, Outcome.WARN, "flights should be notified 2 hours ahead"),
    ),
    TypeSpec(SpecialCautionArea, NOT_FLASH, PRIORITY, basis="dma_1989"),
    TypeSpec(
        LaserNotice,
        NOT_FLASH,
        PRIORITY,
        basis="dma_1989",
        lead_time=LeadTime(24 * _H, Outcome.WARN, "laser use should be notified a day ahead"),
    ),
    TypeSpec(HumanitarianSite, NOT_FLASH, PRIORITY, basis="ocha_hns"),
    TypeSpec(
        HumanitarianMovement,
        NOT_FLASH,
        PRIORITY,
        basis="ocha_hns",
        lead_time=LeadTime(48 * _H, Outcome.WARN, "movements should be notified 48 hours ahead"),
    ),
    TypeSpec(IncidentReport, ALL, IMMEDIATE),
    TypeSpec(ProximityAlert, (FLASH, IMMEDIATE), FLASH),
    TypeSpec(StopCheckFire, (FLASH,), FLASH, immediate_ack=True),
    TypeSpec(RequestForInformation, ALL, PRIORITY),
    TypeSpec(RfiResponse, ALL, PRIORITY),
    TypeSpec(ShortMessage, ALL, PRIORITY),
    TypeSpec(FreeText, ALL, ROUTINE),
    TypeSpec(Amendment, NOT_FLASH, PRIORITY),
    TypeSpec(Cancellation, NOT_FLASH, PRIORITY),
    TypeSpec(Supersession, NOT_FLASH, PRIORITY),
)

CATALOGUE = Catalogue(SPECS)
