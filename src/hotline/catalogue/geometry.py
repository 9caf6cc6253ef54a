"""Geometry carried in notifications: GeoJSON-shaped, lon before lat, WGS84 degrees.

``Point`` and ``Polygon`` are GeoJSON geometries as they are. ``Circle`` (centre + radius in km
or NM) and ``Corridor`` (polyline + half-width) are GeoJSON-like objects whose ``coordinates`` /
``center`` are RFC 7946 positions; ``NamedSeaArea`` names a sea from a fixed list, optionally with
a boundary. Each keeps the unit its author chose (``radius_nm`` stays nautical miles for display);
:mod:`hotline.catalogue.volumes` converts all of them to the metre-based shape the engine reads.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Final, Literal

import numpy as np
import shapely
from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from hotline.catalogue.fields import Record, UtcTime, fail

__all__ = [
    "FEET_PER_METRE",
    "METRES_PER_NM",
    "AltitudeBand",
    "Circle",
    "Corridor",
    "Level",
    "NamedSeaArea",
    "Point",
    "Polygon",
    "Position",
    "SeaArea",
    "TimeWindow",
    "Validity",
]

METRES_PER_NM: Final = 1852.0
FEET_PER_METRE: Final = 1 / 0.3048
MAX_RING_POSITIONS: Final = 1000
MAX_RADIUS_KM: Final = 5000.0


def _check_position(value: object) -> object:
    # Called once per position (a polygon may have thousands): exact type checks, no loops.
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise fail("must be a position [lon, lat]: an array of exactly two numbers")
    lon: object = value[0]
    lat: object = value[1]
    if type(lon) not in (float, int) or type(lat) not in (float, int):  # bool is not a number
        raise fail("must be a position [lon, lat] of two numbers")
    assert isinstance(lon, float | int)
    assert isinstance(lat, float | int)
    if not -180.0 <= lon <= 180.0:  # also false for NaN
        raise fail(f"longitude {lon} is outside -180..180 (positions are [lon, lat])")
    if not -90.0 <= lat <= 90.0:
        raise fail(f"latitude {lat} is outside -90..90 (positions are [lon, lat])")
    return (float(lon), float(lat))


Position = Annotated[
    tuple[float, float],
    BeforeValidator(_check_position),
    WithJsonSchema(
        {
            "type": "array",
            "description": "[lon, lat] in WGS84 degrees (RFC 7946 position)",
            "prefixItems": [
                {"type": "number", "minimum": -180, "maximum": 180},
                {"type": "number", "minimum": -90, "maximum": 90},
            ],
            "minItems": 2,
            "maxItems": 2,
        }
    ),
]


def _crosses_antimeridian(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) > 180.0


class Point(Record):
    """A single position (GeoJSON Point)."""

    type: Literal["Point"] = "Point"
    coordinates: Position


class Polygon(Record):
    """An area bounded by closed rings of positions (GeoJSON Polygon; first ring outside)."""

    type: Literal["Polygon"] = "Polygon"
    coordinates: Annotated[
        tuple[Annotated[tuple[Position, ...], Field(max_length=MAX_RING_POSITIONS)], ...],
        Field(min_length=1, max_length=20),
    ]

    @model_validator(mode="after")
    def _valid_rings(self) -> Polygon:
        rings = [np.asarray(ring, dtype=float).reshape(-1, 2) for ring in self.coordinates]
        for i, ring in enumerate(rings):
            if len(ring) < 4:
                raise fail(f"ring {i} has {len(ring)} positions; a closed ring needs at least 4")
            if not np.array_equal(ring[0], ring[-1]):
                first = self.coordinates[i][0]
                raise fail(
                    f"ring {i} is not closed: its last position must repeat its first, {first}"
                )
            jumps = np.flatnonzero(np.abs(np.diff(ring[:, 0])) > 180.0)
            if len(jumps):
                a, b = self.coordinates[i][jumps[0]], self.coordinates[i][jumps[0] + 1]
                raise fail(
                    f"ring {i} crosses the antimeridian between {a} and {b}; "
                    "split it into two polygons at 180° (RFC 7946 section 3.1.9)"
                )
        shape = shapely.polygons(
            shapely.linearrings(rings[0]), [shapely.linearrings(r) for r in rings[1:]] or None
        )
        if not shapely.is_valid(shape):
            reason = shapely.is_valid_reason(shape)
            raise fail(
                f"is not a valid simple area ({reason}); rings must not cross themselves or "
                "each other, and holes must lie inside the first ring"
            )
        if shape.area == 0:
            raise fail("has zero area; give at least three distinct corners")
        return self

    @property
    def outer(self) -> tuple[tuple[float, float], ...]:
        return self.coordinates[0]


def _exactly_one(owner: str, **values: float | None) -> None:
    given = [k for k, v in values.items() if v is not None]
    if len(given) != 1:
        names = " or ".join(values)
        raise fail(f"{owner} needs exactly one of {names}, not {len(given)}")


class Circle(Record):
    """A circle: centre and radius, in km or NM (exactly one of ``radius_km``, ``radius_nm``)."""

    type: Literal["Circle"] = "Circle"
    center: Position
    radius_km: Annotated[float, Field(gt=0, le=MAX_RADIUS_KM)] | None = None
    radius_nm: Annotated[float, Field(gt=0, le=MAX_RADIUS_KM * 1000 / METRES_PER_NM)] | None = None

    @model_validator(mode="after")
    def _one_radius(self) -> Circle:
        _exactly_one("a circle", radius_km=self.radius_km, radius_nm=self.radius_nm)
        return self

    @property
    def radius_m(self) -> float:
        if self.radius_km is not None:
            return self.radius_km * 1000.0
        assert self.radius_nm is not None
        return self.radius_nm * METRES_PER_NM


class Corridor(Record):
    """A corridor: a polyline (its centre line) and a half-width in km or NM."""

    type: Literal["Corridor"] = "Corridor"
    coordinates: Annotated[tuple[Position, ...], Field(min_length=2, max_length=MAX_RING_POSITIONS)]
    half_width_km: Annotated[float, Field(gt=0, le=500)] | None = None
    half_width_nm: Annotated[float, Field(gt=0, le=270)] | None = None

    @model_validator(mode="after")
    def _valid_corridor(self) -> Corridor:
        _exactly_one(
            "a corridor", half_width_km=self.half_width_km, half_width_nm=self.half_width_nm
        )
        for a, b in itertools.pairwise(self.coordinates):
            if a == b:
                raise fail(f"repeats the position {a}; consecutive points must differ")
            if _crosses_antimeridian(a, b):
                raise fail(
                    f"crosses the antimeridian between {a} and {b}; split it into two corridors"
                )
        return self

    @property
    def half_width_m(self) -> float:
        if self.half_width_km is not None:
            return self.half_width_km * 1000.0
        assert self.half_width_nm is not None
        return self.half_width_nm * METRES_PER_NM


class SeaArea(StrEnum):
    """Seas that may be named instead of drawn; each has its name in every language."""

    BLACK_SEA = "BLACK_SEA"
    SEA_OF_AZOV = "SEA_OF_AZOV"
    KERCH_STRAIT = "KERCH_STRAIT"
    BALTIC_SEA = "BALTIC_SEA"
    GULF_OF_FINLAND = "GULF_OF_FINLAND"
    BARENTS_SEA = "BARENTS_SEA"
    NORWEGIAN_SEA = "NORWEGIAN_SEA"
    NORTH_SEA = "NORTH_SEA"
    MEDITERRANEAN_SEA = "MEDITERRANEAN_SEA"
    SEA_OF_OKHOTSK = "SEA_OF_OKHOTSK"
    BERING_SEA = "BERING_SEA"
    CASPIAN_SEA = "CASPIAN_SEA"


class NamedSeaArea(Record):
    """A sea named from the fixed list, with an optional boundary that makes it drawable."""

    type: Literal["NamedSeaArea"] = "NamedSeaArea"
    sea: SeaArea
    boundary: Polygon | None = Field(
        default=None, description="The part of the sea meant; without it the area is not drawn"
    )


# --- altitudes -------------------------------------------------------------------------------


class Level(Record):
    """One altitude limit: exactly one of feet or metres above mean sea level, a flight level,
    the surface (``sfc``) or unlimited (``unl``)."""

    ft_amsl: Annotated[int, Field(ge=-1500, le=200_000)] | None = None
    m_amsl: Annotated[int, Field(ge=-500, le=60_000)] | None = None
    fl: Annotated[int, Field(ge=0, le=999)] | None = Field(
        default=None, description="Flight level in hundreds of feet (FL350 = 35,000 ft)"
    )
    sfc: Literal[True] | None = None
    unl: Literal[True] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Level:
        given = [
            k for k in ("ft_amsl", "m_amsl", "fl", "sfc", "unl") if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise fail(
                "an altitude needs exactly one of ft_amsl, m_amsl, fl, sfc or unl, "
                f"not {len(given)}"
            )
        return self

    @property
    def feet(self) -> float | None:
        """Feet above mean sea level (flight levels converted); None for surface/unlimited."""
        if self.ft_amsl is not None:
            return float(self.ft_amsl)
        if self.m_amsl is not None:
            return self.m_amsl * FEET_PER_METRE
        if self.fl is not None:
            return self.fl * 100.0
        return None


class AltitudeBand(Record):
    """From a lower to an upper altitude limit."""

    lower: Level
    upper: Level

    @model_validator(mode="after")
    def _ordered(self) -> AltitudeBand:
        if self.lower.unl:
            raise fail("lower: cannot be unl (unlimited); use sfc or a value")
        if self.upper.sfc:
            raise fail("upper: cannot be sfc (surface); use unl or a value")
        lo, hi = self.lower.feet, self.upper.feet
        if lo is not None and hi is not None and lo >= hi:
            raise fail("lower must be below upper")
        return self


# --- times -----------------------------------------------------------------------------------

MAX_WINDOW: Final = timedelta(days=366)


class TimeWindow(Record):
    """A UTC time window: ``start`` before ``end``, at most a year long."""

    start: UtcTime
    end: UtcTime

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindow:
        if self.end <= self.start:
            raise fail("end must be after start")
        if self.end - self.start > MAX_WINDOW:
            raise fail("may last at most 366 days; send a new notification for longer")
        return self

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


class Validity(Record):
    """From ``start``, until ``end`` or, without ``end``, until cancelled."""

    start: UtcTime
    end: UtcTime | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Validity:
        if self.end is not None and self.end <= self.start:
            raise fail("end must be after start")
        return self

    @property
    def bounds(self) -> tuple[datetime, datetime | None]:
        return self.start, self.end
