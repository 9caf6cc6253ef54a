"""Notified areas as GeoJSON Features, in the exact shape of docs/decisions.md section 2.

The engine reads this shape and the map draws it, so none of them converts the catalogue's
types: distances in metres whatever unit the notification was written in, altitudes in feet
above mean sea level (flight levels converted, null for surface / unlimited), times in ISO 8601
UTC (null for open-ended).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Literal

import msgspec
from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from hotline.catalogue.fields import format_utc
from hotline.catalogue.geometry import AltitudeBand, Circle, Corridor, NamedSeaArea, Point, Polygon
from hotline.catalogue.i18n import language
from hotline.catalogue.notifications import (
    Amendment,
    Cancellation,
    HumanitarianSite,
    Notification,
    PlacedArea,
    Supersession,
)
from hotline.catalogue.registry import CATALOGUE

__all__ = [
    "Feature",
    "FeatureProperties",
    "LineStringGeometry",
    "PointGeometry",
    "PolygonGeometry",
    "feature_collection",
    "may_have_volumes",
    "volumes",
]

Coordinates = tuple[float, float]


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PointGeometry(_Shape):
    type: Literal["Point"] = "Point"
    coordinates: Coordinates


class LineStringGeometry(_Shape):
    type: Literal["LineString"] = "LineString"
    coordinates: tuple[Coordinates, ...]


class PolygonGeometry(_Shape):
    type: Literal["Polygon"] = "Polygon"
    coordinates: tuple[tuple[Coordinates, ...], ...]


class FeatureProperties(_Shape):
    id: str
    party: str
    kind: Literal["notified", "airspace", "territorial_sea", "humanitarian_site"]
    name: str
    radius_m: float | None = None  # only for a Point (a circle)
    half_width_m: float | None = None  # only for a LineString (a corridor)
    alt_lower_ft: float | None
    alt_upper_ft: float | None
    start: str | None
    end: str | None
    approximate: bool = False

    @model_serializer(mode="wrap")
    def _drop_absent_sizes(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        data: dict[str, object] = handler(self)
        for key in ("radius_m", "half_width_m"):
            if data.get(key) is None:
                data.pop(key, None)
        return data


class Feature(_Shape):
    """One notified volume: footprint x altitude band x time window."""

    type: Literal["Feature"] = "Feature"
    geometry: PointGeometry | LineStringGeometry | PolygonGeometry
    properties: FeatureProperties

    def to_geojson(self) -> str:
        """The Feature as compact JSON text."""
        return self.model_dump_json()


def _time(value: datetime | None) -> str | None:
    return format_utc(value) if value is not None else None


def _altitudes(band: AltitudeBand | None) -> tuple[float | None, float | None]:
    if band is None:
        return None, None
    lower, upper = band.lower.feet, band.upper.feet
    return (
        round(lower, 1) if lower is not None else None,
        round(upper, 1) if upper is not None else None,
    )


def _geometry(
    area: Point | Polygon | Circle | Corridor | NamedSeaArea,
) -> tuple[PointGeometry | LineStringGeometry | PolygonGeometry, float | None, float | None] | None:
    """GeoJSON geometry, radius_m, half_width_m; None when the area cannot be drawn."""
    if isinstance(area, Point):
        return PointGeometry(coordinates=area.coordinates), 0.0, None
    if isinstance(area, Circle):
        return PointGeometry(coordinates=area.center), area.radius_m, None
    if isinstance(area, Corridor):
        return LineStringGeometry(coordinates=area.coordinates), None, area.half_width_m
    if isinstance(area, Polygon):
        return PolygonGeometry(coordinates=area.coordinates), None, None
    if area.boundary is not None:
        return PolygonGeometry(coordinates=area.boundary.coordinates), None, None
    return None  # a sea named without a boundary is not drawn


def _name(notification: Notification, placed: PlacedArea, lang: str) -> str:
    if isinstance(notification, HumanitarianSite):
        return notification.site_name
    inner = getattr(notification, "notification", notification)
    if isinstance(inner, HumanitarianSite):
        return inner.site_name
    text = language(lang)
    return f"{text.t(f'type.{inner.type}')}: {text.t(f'field.{placed.role}')}"


def volumes(
    notification: Notification, *, message_id: str, party: str, lang: str = "en"
) -> list[Feature]:
    """The notification's areas as Features (empty for types without geometry).

    ``message_id`` (``US-0042``) becomes each Feature's ``id``; a notification with several
    areas (launch and impact area) gives several Features with the same id and different names.
    A point (a site given as a single position) has ``radius_m`` 0.
    """
    features: list[Feature] = []
    for placed in notification.placed_areas():
        shape = _geometry(placed.area)
        if shape is None:
            continue
        geometry, radius_m, half_width_m = shape
        lower, upper = _altitudes(placed.altitude)
        features.append(
            Feature(
                geometry=geometry,
                properties=FeatureProperties(
                    id=message_id,
                    party=party,
                    kind=placed.kind,
                    name=_name(notification, placed, lang),
                    radius_m=radius_m,
                    half_width_m=half_width_m,
                    alt_lower_ft=lower,
                    alt_upper_ft=upper,
                    start=_time(placed.start),
                    end=_time(placed.end),
                ),
            )
        )
    return features


def feature_collection(features: Sequence[Feature]) -> bytes:
    """A volumes file: a GeoJSON FeatureCollection of Features, as UTF-8 JSON."""
    collection = {
        "type": "FeatureCollection",
        "features": [f.model_dump(mode="json") for f in features],
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _TypeOnly(msgspec.Struct):
    type: str = ""


@cache
def _inert_types() -> frozenset[str]:
    """Types that never carry areas and never amend, supersede or cancel another."""
    changing = (Amendment, Cancellation, Supersession)
    return frozenset(
        spec.name
        for spec in CATALOGUE
        if spec.model.placed_areas is Notification.placed_areas
        and not issubclass(spec.model, changing)
    )


def may_have_volumes(body: bytes) -> bool:
    """False only for a body whose top-level type never has areas and changes no other
    notification (free text, an RFI, a proximity alert...), read without validating it: what
    the picture and the map may skip instead of decoding. A body this cannot read is left to
    ``decode_body`` to refuse (True)."""
    try:
        name = msgspec.json.decode(body, type=_TypeOnly).type
    except (msgspec.DecodeError, UnicodeDecodeError):
        return True
    return name not in _inert_types()
