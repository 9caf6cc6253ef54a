"""Volumes: the GeoJSON Feature of docs/decisions.md section 2, read strictly, and its
footprint made metric for screening.

A volume is a footprint (a polygon, a circle: ``Point`` + ``radius_m``, or a corridor:
``LineString`` + ``half_width_m``) x an altitude band x a time window, owned by a party.
Anything that is not exactly that shape is refused with a :class:`VolumeFormatError` naming
the feature and the field.

Geometry. GeoJSON edges are straight lines in (lon, lat) (RFC 7946 section 3.1.1), so polygons
are tested for containment as given and densified (every 0.05 degree) before they are made
metric. Each volume gets local metric frames (:class:`~hotline.engine.geodesy.LocalFrame`,
azimuthal equidistant at the footprint's centre); a footprint reaching more than 1,200 km from
its centre (a national airspace) is cut along a 10-degree grid into parts, each with its own
frame, so that distances stay within 0.5 %. A circle's radius is measured along the surface
from its centre, exactly.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Final, Literal

import numpy as np
import shapely
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from hotline.engine.errors import VolumeFormatError
from hotline.engine.geodesy import LocalFrame, lonlat_from_ecef, surface_ecef
from hotline.engine.units import METRES_PER_FOOT

DENSIFY_DEG: Final = 0.05
MAX_FRAME_REACH_M: Final = 1_200_000.0
GRID_DEG: Final = 4.0
# Cut lines sit off round numbers, so that points given in round degrees never fall on them.
GRID_OFFSET_DEG: Final = 0.0123456789
# How far around a part the volume's boundary is kept for distances (see Volume docs).
BOUNDARY_MARGIN_DEG: Final = 5.0
CIRCLE_VERTICES: Final = 128


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("volume", message)


class VolumeKind(StrEnum):
    NOTIFIED = "notified"
    AIRSPACE = "airspace"
    TERRITORIAL_SEA = "territorial_sea"
    HUMANITARIAN_SITE = "humanitarian_site"


# --- the GeoJSON shape -----------------------------------------------------------------------


def _check_position(value: object) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise _fail("must be a position [lon, lat]: an array of exactly two numbers")
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise _fail("must be a position [lon, lat] of two finite numbers")
    lon, lat = float(value[0]), float(value[1])
    if not -180.0 <= lon <= 180.0:
        raise _fail(f"longitude {lon} is outside -180..180 (positions are [lon, lat])")
    if not -90.0 <= lat <= 90.0:
        raise _fail(f"latitude {lat} is outside -90..90 (positions are [lon, lat])")
    return lon, lat


Position = Annotated[tuple[float, float], BeforeValidator(_check_position)]


def _check_time(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise _fail("must be an ISO 8601 UTC time like 2026-11-26T06:00:00Z") from None
    else:
        raise _fail("must be an ISO 8601 UTC time like 2026-11-26T06:00:00Z, or null")
    if moment.utcoffset() is None:
        raise _fail("must say it is UTC (end it with Z), like 2026-11-26T06:00:00Z")
    return moment.astimezone(UTC)


UtcTime = Annotated[datetime | None, BeforeValidator(_check_time)]


def _finite_or_none(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail("must be a finite number or null")
    return float(value)


OptionalNumber = Annotated[float | None, BeforeValidator(_finite_or_none)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class PointGeometry(_Strict):
    type: Literal["Point"]
    coordinates: Position


class LineStringGeometry(_Strict):
    type: Literal["LineString"]
    coordinates: Annotated[tuple[Position, ...], Field(min_length=2)]

    @model_validator(mode="after")
    def _valid(self) -> LineStringGeometry:
        if len(set(self.coordinates)) < 2:
            raise _fail("a corridor's centre line needs two different positions")
        return self


def _check_ring(ring: tuple[tuple[float, float], ...], where: str) -> None:
    if len(ring) < 4:
        raise _fail(f"{where} has {len(ring)} positions; a closed ring needs at least 4")
    if ring[0] != ring[-1]:
        raise _fail(f"{where} is not closed: its last position must repeat its first")
    for a, b in itertools.pairwise(ring):
        if abs(a[0] - b[0]) > 180.0:
            raise _fail(
                f"{where} crosses the antimeridian between {list(a)} and {list(b)}; cut it "
                "into a MultiPolygon at 180 degrees (RFC 7946 section 3.1.9)"
            )


def _check_polygon(rings: tuple[tuple[tuple[float, float], ...], ...], where: str) -> None:
    for i, ring in enumerate(rings):
        _check_ring(ring, f"{where}ring {i}")
    shape = shapely.Polygon(rings[0], rings[1:])
    if not shape.is_valid:
        raise _fail(
            f"{where}is not a valid area ({shapely.is_valid_reason(shape)}); rings must not "
            "cross themselves or each other, and holes must lie inside the first ring"
        )
    if shape.area == 0:
        raise _fail(f"{where}has zero area")


class PolygonGeometry(_Strict):
    type: Literal["Polygon"]
    coordinates: Annotated[tuple[tuple[Position, ...], ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _valid(self) -> PolygonGeometry:
        _check_polygon(self.coordinates, "")
        return self


class MultiPolygonGeometry(_Strict):
    type: Literal["MultiPolygon"]
    coordinates: Annotated[
        tuple[Annotated[tuple[tuple[Position, ...], ...], Field(min_length=1)], ...],
        Field(min_length=1),
    ]

    @model_validator(mode="after")
    def _valid(self) -> MultiPolygonGeometry:
        for i, polygon in enumerate(self.coordinates):
            _check_polygon(polygon, f"polygon {i} ")
        if not _shape_of(self).is_valid:
            raise _fail("polygons overlap each other; merge them or make them disjoint")
        return self


Geometry = Annotated[
    PointGeometry | LineStringGeometry | PolygonGeometry | MultiPolygonGeometry,
    Field(discriminator="type"),
]
AreaGeometry = PolygonGeometry | MultiPolygonGeometry
_GEOMETRY_TYPES = ("Point", "LineString", "Polygon", "MultiPolygon")


class VolumeProperties(_Strict):
    id: Annotated[str, Field(min_length=1, max_length=200)]
    party: Annotated[str, Field(min_length=1, max_length=100)]
    kind: VolumeKind
    name: Annotated[str, Field(max_length=500)]
    # Bounds on the number only: an explicit null (as this model dumps an absent size) is valid.
    radius_m: Annotated[
        Annotated[float, Field(ge=0, le=5_000_000)] | None, BeforeValidator(_finite_or_none)
    ] = None
    half_width_m: Annotated[
        Annotated[float, Field(gt=0, le=1_000_000)] | None, BeforeValidator(_finite_or_none)
    ] = None
    alt_lower_ft: OptionalNumber
    alt_upper_ft: OptionalNumber
    start: UtcTime
    end: UtcTime
    approximate: bool = False


class VolumeFeature(_Strict):
    """A volume exactly as docs/decisions.md section 2 defines it."""

    type: Literal["Feature"]
    geometry: Geometry
    properties: VolumeProperties

    @model_validator(mode="after")
    def _consistent(self) -> VolumeFeature:
        p, g = self.properties, self.geometry
        if isinstance(g, PointGeometry) and p.radius_m is None:
            raise _fail("a Point volume is a circle: properties.radius_m is required")
        if isinstance(g, LineStringGeometry) and p.half_width_m is None:
            raise _fail("a LineString volume is a corridor: properties.half_width_m is required")
        if not isinstance(g, PointGeometry) and p.radius_m is not None:
            raise _fail(f"radius_m belongs to Point volumes only, not to a {g.type}")
        if not isinstance(g, LineStringGeometry) and p.half_width_m is not None:
            raise _fail(f"half_width_m belongs to LineString volumes only, not to a {g.type}")
        if (
            p.alt_lower_ft is not None
            and p.alt_upper_ft is not None
            and p.alt_lower_ft >= p.alt_upper_ft
        ):
            raise _fail(
                f"alt_lower_ft ({p.alt_lower_ft}) must be below alt_upper_ft ({p.alt_upper_ft})"
            )
        if p.start is not None and p.end is not None and p.start >= p.end:
            raise _fail(f"start ({p.start.isoformat()}) must be before end ({p.end.isoformat()})")
        return self


def _shape_of(geometry: AreaGeometry) -> shapely.Geometry:
    if isinstance(geometry, PolygonGeometry):
        return shapely.Polygon(geometry.coordinates[0], geometry.coordinates[1:])
    return shapely.MultiPolygon(
        [shapely.Polygon(rings[0], rings[1:]) for rings in geometry.coordinates]
    )


# --- metric footprints -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class VolumePart:
    """A piece of a footprint in its own local frame.

    For a circle, ``circle_radius_m`` is set and the circle is centred on the frame's origin.
    Otherwise ``region`` is the piece (for containment) and ``boundary`` the volume's boundary
    near the piece (for distances), both in frame metres. ``outline`` is the piece in (lon, lat),
    for the spatial index.
    """

    frame: LocalFrame
    outline: shapely.Geometry
    region: shapely.Geometry | None = None
    boundary: shapely.Geometry | None = None
    circle_radius_m: float | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Volume:
    """A volume ready to screen: its feature, its metric parts, and its band and window in SI.

    ``alt_lower_m``/``alt_upper_m`` and ``start_s``/``end_s`` are infinite where the feature
    says null (surface, unlimited, open-ended). ``outline`` is the whole footprint in
    (lon, lat) (GeoJSON semantics). For a volume cut into parts, distances to its boundary are
    exact up to about 500 km (250 km at 60 degrees of latitude) from the boundary, and larger
    beyond.
    """

    feature: VolumeFeature
    outline: shapely.Geometry
    parts: tuple[VolumePart, ...]
    alt_lower_m: float
    alt_upper_m: float
    start_s: float
    end_s: float

    @property
    def id(self) -> str:
        return self.feature.properties.id

    @property
    def party(self) -> str:
        return self.feature.properties.party

    @property
    def kind(self) -> VolumeKind:
        return self.feature.properties.kind

    @property
    def name(self) -> str:
        return self.feature.properties.name

    @property
    def approximate(self) -> bool:
        return self.feature.properties.approximate

    @property
    def is_point(self) -> bool:
        """A circle of radius 0: a site given as a single position."""
        return self.parts[0].circle_radius_m == 0.0

    @classmethod
    def from_feature(cls, feature: VolumeFeature) -> Volume:
        p, g = feature.properties, feature.geometry
        if isinstance(g, PointGeometry):
            assert p.radius_m is not None
            parts: tuple[VolumePart, ...] = (_circle(g.coordinates, p.radius_m),)
        elif isinstance(g, LineStringGeometry):
            assert p.half_width_m is not None
            parts = _corridor(g.coordinates, p.half_width_m)
        else:
            parts = _area(_shape_of(g))
        outline = shapely.union_all([part.outline for part in parts])
        return cls(
            feature=feature,
            outline=outline,
            parts=parts,
            alt_lower_m=-math.inf if p.alt_lower_ft is None else p.alt_lower_ft * METRES_PER_FOOT,
            alt_upper_m=math.inf if p.alt_upper_ft is None else p.alt_upper_ft * METRES_PER_FOOT,
            start_s=-math.inf if p.start is None else p.start.timestamp(),
            end_s=math.inf if p.end is None else p.end.timestamp(),
        )


def _centre_of(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float]:
    """The point of the surface below the mean of the points in 3-D (no antimeridian seam)."""
    mean = surface_ecef(lon, lat).mean(axis=0)
    if float(np.linalg.norm(mean)) < 1.0:
        return float(lon[0]), float(lat[0])
    c_lon, c_lat = lonlat_from_ecef(mean[None, :] / np.linalg.norm(mean) * 6_371_000.0)
    return float(c_lon[0]), float(c_lat[0])


def _wrap_ring(lon: np.ndarray, lat: np.ndarray) -> shapely.Geometry:
    """A closed ring given by (lon, lat) points in order, as an area in GeoJSON terms: cut at
    the antimeridian and closed over a pole it goes around."""
    lon_u = np.degrees(np.unwrap(np.radians(lon)))
    turn = lon_u[-1] - lon_u[0]
    if abs(turn) <= 180.0 and float(lon_u.min()) >= -180.0 and float(lon_u.max()) <= 180.0:
        return shapely.Polygon(np.column_stack([lon_u, lat]))  # the common case
    if abs(turn) > 180.0:  # the ring goes around a pole
        pole = 90.0 if float(np.mean(lat)) > 0 else -90.0
        lon_u = np.concatenate([lon_u, [lon_u[-1], lon_u[0]]])
        lat = np.concatenate([lat, [pole, pole]])
    ring = shapely.Polygon(np.column_stack([lon_u, lat])).buffer(0)
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        window = shapely.box(-180.0 + shift, -90.0, 180.0 + shift, 90.0)
        piece = shapely.intersection(ring, window)
        if not piece.is_empty:
            pieces.append(shapely.transform(piece, lambda xy, s=shift: xy - [s, 0.0]))
    return shapely.union_all(pieces)


def _circle(centre: tuple[float, float], radius_m: float) -> VolumePart:
    frame = LocalFrame.at(*centre)
    if radius_m == 0.0:
        return VolumePart(frame=frame, outline=shapely.Point(centre), circle_radius_m=0.0)
    az = np.linspace(0.0, 2 * math.pi, CIRCLE_VERTICES + 1)
    lon, lat = frame.unproject(radius_m * np.sin(az), radius_m * np.cos(az))
    outline = _wrap_ring(lon, lat)
    return VolumePart(frame=frame, outline=outline, circle_radius_m=radius_m)


def _project(frame: LocalFrame, shape: shapely.Geometry) -> shapely.Geometry:
    """A (lon, lat) shape in frame metres (densify it first)."""
    return shapely.transform(shape, lambda xy: np.column_stack(frame.project(xy[:, 0], xy[:, 1])))


def _reach_m(frame: LocalFrame, shape_m: shapely.Geometry) -> float:
    xy = shapely.get_coordinates(shape_m)
    return float(np.max(np.hypot(xy[:, 0], xy[:, 1]), initial=0.0))


def _corridor(
    coords: tuple[tuple[float, float], ...], half_width_m: float
) -> tuple[VolumePart, ...]:
    line = shapely.segmentize(shapely.LineString(coords), DENSIFY_DEG)
    xy = shapely.get_coordinates(line)
    frame = LocalFrame.at(*_centre_of(xy[:, 0], xy[:, 1]))
    centre_m = _project(frame, line)
    region = shapely.buffer(centre_m, half_width_m, quad_segs=32)
    if _reach_m(frame, region) <= MAX_FRAME_REACH_M:
        outline = _outline_of(frame, region)
        return (VolumePart(frame, outline, region, region.boundary),)
    # A long corridor: an area in (lon, lat) to cut like any other.
    outline = _outline_of(frame, shapely.segmentize(region, 5_000.0))
    return _area(outline)


def _outline_of(frame: LocalFrame, region_m: shapely.Geometry) -> shapely.Geometry:
    """A metric region's outline in (lon, lat), cut at the antimeridian."""
    polys = shapely.get_parts(region_m)
    outlines = []
    for poly in polys:
        rings = [poly.exterior, *poly.interiors]
        wrapped = []
        for ring in rings:
            xy = shapely.get_coordinates(shapely.segmentize(ring, 2_000.0))
            lon, lat = frame.unproject(xy[:, 0], xy[:, 1])
            wrapped.append(_wrap_ring(lon, lat))
        shape = wrapped[0]
        for hole in wrapped[1:]:
            shape = shapely.difference(shape, hole)
        outlines.append(shape)
    return shapely.union_all(outlines)


def _area(outline: shapely.Geometry) -> tuple[VolumePart, ...]:
    """Parts of an area given in (lon, lat), cut on a grid if it is too large for one frame."""
    dense = shapely.segmentize(outline, DENSIFY_DEG)
    xy = shapely.get_coordinates(dense)
    frame = LocalFrame.at(*_centre_of(xy[:, 0], xy[:, 1]))
    region = _project(frame, dense)
    if _reach_m(frame, region) <= MAX_FRAME_REACH_M:
        return (VolumePart(frame, outline, region, region.boundary),)
    parts = []
    west, south, east, north = outline.bounds
    boundary = outline.boundary
    first_lon = math.floor((west - GRID_OFFSET_DEG) / GRID_DEG) * GRID_DEG + GRID_OFFSET_DEG
    first_lat = math.floor((south - GRID_OFFSET_DEG) / GRID_DEG) * GRID_DEG + GRID_OFFSET_DEG
    for lon0 in np.arange(first_lon, east, GRID_DEG):
        for lat0 in np.arange(first_lat, north, GRID_DEG):
            cell = (lon0, lat0, lon0 + GRID_DEG, lat0 + GRID_DEG)
            piece = shapely.clip_by_rect(outline, *cell)
            if piece.is_empty or piece.area == 0:
                continue
            piece_dense = shapely.segmentize(piece, DENSIFY_DEG)
            pxy = shapely.get_coordinates(piece_dense)
            part_frame = LocalFrame.at(*_centre_of(pxy[:, 0], pxy[:, 1]))
            near = shapely.clip_by_rect(boundary, *_grown(cell))
            parts.append(
                VolumePart(
                    frame=part_frame,
                    outline=piece,
                    region=_project(part_frame, piece_dense),
                    boundary=_project(part_frame, shapely.segmentize(near, DENSIFY_DEG)),
                )
            )
    return tuple(parts)


def _grown(cell: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    west, south, east, north = cell
    south, north = max(south - BOUNDARY_MARGIN_DEG, -90.0), min(north + BOUNDARY_MARGIN_DEG, 90.0)
    widest = max(abs(south), abs(north))
    if widest >= 85.0:
        return -180.0, south, 180.0, north
    d_lon = BOUNDARY_MARGIN_DEG / math.cos(math.radians(widest))
    return max(west - d_lon, -180.0), south, min(east + d_lon, 180.0), north


# --- reading ---------------------------------------------------------------------------------


def _error_of(exc: ValidationError, name: str) -> VolumeFormatError:
    first = exc.errors()[0]
    loc = list(first["loc"])
    if len(loc) > 1 and loc[0] == "geometry" and loc[1] in _GEOMETRY_TYPES:
        del loc[1]  # the union's tag, not a member
    path = ".".join(str(p) for p in loc)
    reason = first["msg"]
    if first["type"] == "extra_forbidden":
        reason = "is not a member of a volume Feature (see docs/decisions.md section 2)"
    elif first["type"] == "missing":
        reason = "is required (null is allowed where the value is unlimited)"
    return VolumeFormatError(name, path or "(feature)", reason)


def _name_of(data: object, position: int | None) -> str:
    if isinstance(data, dict):
        props = data.get("properties")
        if isinstance(props, dict) and isinstance(props.get("id"), str) and props["id"]:
            where = f" (feature {position})" if position is not None else ""
            return f"{props['id']!r}{where}"
    return f"feature {position}" if position is not None else "feature"


def volume_from_json(data: object, position: int | None = None) -> Volume:
    """A volume from one parsed JSON value (a GeoJSON Feature); ``position`` is its index in
    the file, used in error messages."""
    try:
        feature = VolumeFeature.model_validate(data)
    except ValidationError as exc:
        raise _error_of(exc, _name_of(data, position)) from None
    return Volume.from_feature(feature)


def read_volumes(text: str | bytes) -> list[Volume]:
    """Volumes from GeoJSON text: a FeatureCollection of volume Features, or one Feature."""
    try:
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VolumeFormatError("file", "(json)", f"is not valid JSON: {exc}") from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise VolumeFormatError("FeatureCollection", "features", "must be an array")
        extra = set(data) - {"type", "features", "bbox"}
        if extra:
            raise VolumeFormatError(
                "FeatureCollection", sorted(extra)[0], "is not a member of a FeatureCollection"
            )
        return [volume_from_json(f, i) for i, f in enumerate(features)]
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [volume_from_json(data, 0)]
    raise VolumeFormatError(
        "file", "type", "must be a GeoJSON FeatureCollection of volumes, or one Feature"
    )


def load_volumes(path: str | Path) -> list[Volume]:
    """Volumes from a GeoJSON file."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise VolumeFormatError(str(path), "(file)", f"cannot be read: {exc.strerror}") from None
    return read_volumes(raw)
