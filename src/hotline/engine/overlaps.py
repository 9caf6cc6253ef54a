"""Overlaps between notified activities in 4-D: footprints that share area, altitude bands that
share height and time windows that share time.

Pairs are found with an STR-tree over the footprints (fast for 10^4 volumes) and tested exactly
in (lon, lat), the plane in which GeoJSON defines its polygons. A site given as a point (a
circle of radius 0, e.g. a humanitarian site) overlaps an area that contains it. At least one
of the two volumes must be a notified activity (two national airspaces that touch are not an
overlap), and the two must belong to different parties unless all pairs are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from pyproj import Geod

from hotline.engine.kinematics import IntArray
from hotline.engine.volumes import (
    MultiPolygonGeometry,
    PointGeometry,
    PolygonGeometry,
    Volume,
    VolumeKind,
)

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True, slots=True)
class Overlap:
    """Volumes ``a`` and ``b`` (indices, a < b) overlap in ``region`` (lon, lat) of
    ``area_m2`` square metres, between ``alt_lower_m`` and ``alt_upper_m``, from ``start_s``
    to ``end_s`` (infinite where open)."""

    a: int
    b: int
    region: shapely.Geometry
    area_m2: float
    alt_lower_m: float
    alt_upper_m: float
    start_s: float
    end_s: float
    # The region as evidence, built once (screening.evidence_region): shared by the copies
    # of this overlap that renumber its volumes.
    evidence: list[PolygonGeometry | MultiPolygonGeometry | PointGeometry] = field(
        default_factory=list, compare=False, repr=False
    )


def find_overlaps(
    volumes: list[Volume],
    now_s: float | None = None,
    all_pairs: bool = False,
    among: IntArray | None = None,
) -> list[Overlap]:
    """Every overlapping pair of volumes; with ``now_s``, only overlaps not over by then; with
    ``among`` (indices), only pairs with at least one of those volumes (the new ones)."""
    if len(volumes) < 2:
        return []
    outlines = np.array([v.outline for v in volumes], dtype=object)
    tree = shapely.STRtree(outlines)
    if among is None:
        left, right = tree.query(outlines, predicate="intersects")
        keep = left < right  # each pair once
        left, right = left[keep], right[keep]
    else:
        asked = np.asarray(among, dtype=np.int64)
        found, other = tree.query(outlines[asked], predicate="intersects")
        left, right = np.minimum(asked[found], other), np.maximum(asked[found], other)
        keep = left < right
        # A pair of two asked volumes is found from both sides: keep it once.
        unique = np.unique(np.stack([left[keep], right[keep]]), axis=1)
        left, right = unique[0], unique[1]
    kinds = np.array([v.kind for v in volumes], dtype=object)
    notified = kinds == VolumeKind.NOTIFIED
    keep = notified[left] | notified[right]
    if not all_pairs:
        parties = np.array([v.party for v in volumes], dtype=object)
        keep &= parties[left] != parties[right]
    lo = np.array([v.alt_lower_m for v in volumes])
    hi = np.array([v.alt_upper_m for v in volumes])
    start = np.array([v.start_s for v in volumes])
    end = np.array([v.end_s for v in volumes])
    band_lo, band_hi = np.maximum(lo[left], lo[right]), np.minimum(hi[left], hi[right])
    from_s, until_s = np.maximum(start[left], start[right]), np.minimum(end[left], end[right])
    keep &= (band_lo < band_hi) & (from_s < until_s)
    if now_s is not None:
        keep &= until_s > now_s
    pairs: IntArray = np.flatnonzero(keep)
    if pairs.shape[0] == 0:
        return []
    regions = shapely.intersection(outlines[left[pairs]], outlines[right[pairs]])
    result = []
    for k, region in zip(pairs, regions, strict=True):
        a, b = int(left[k]), int(right[k])
        point_site = volumes[a].is_point or volumes[b].is_point
        area = 0.0
        if not point_site:
            if region.is_empty or region.area == 0.0:
                continue  # footprints that only touch
            area = abs(_GEOD.geometry_area_perimeter(region)[0])
        result.append(
            Overlap(
                a=a,
                b=b,
                region=region,
                area_m2=area,
                alt_lower_m=float(band_lo[k]),
                alt_upper_m=float(band_hi[k]),
                start_s=float(from_s[k]),
                end_s=float(until_s[k]),
            )
        )
    return result
