"""Incursions: tracks inside a volume, or predicted to enter one within the look-ahead.

A track is *in* a volume at time t when its straight-line position is inside the footprint,
its altitude inside the band and t inside the time window (all three at once: it is a 4-D
test). For each (track, volume) pair found the engine reports:

- ``entry_s``: the first moment in ``[0, T]`` the track is in the volume (0 when it already is);
- ``distance_to_boundary_m``: how far the track is *now* from the footprint's edge (inside:
  the way out; outside: the way in), along the surface;
- ``depth_m``: how deep inside the footprint the track gets while in the volume within the
  look-ahead (exact for circles, sampled along the path for other shapes).

Only tracks of another party than the volume's are screened, unless all pairs are asked for.
A spatial index (an STR-tree over the volumes' parts) keeps this fast for 10^4 volumes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from hotline.engine.geodesy import FloatArray, lonlat_from_ecef, project_into_frames
from hotline.engine.kinematics import IntArray, Kinematics
from hotline.engine.tracks import UNKNOWN_PARTY
from hotline.engine.volumes import Volume

BoolArray = NDArray[np.bool_]
_DEPTH_SAMPLES = 9
_EARTH_M = 6_300_000.0


@dataclass(frozen=True, slots=True)
class Incursions:
    """Incursions as parallel arrays: ``track`` indexes the kinematics, ``volume`` the index's
    volumes. ``entry_lon``/``entry_lat`` is where the track enters (now, if inside)."""

    track: IntArray
    volume: IntArray
    inside: BoolArray
    entry_s: FloatArray
    depth_m: FloatArray
    distance_to_boundary_m: FloatArray
    entry_lon: FloatArray
    entry_lat: FloatArray

    def __len__(self) -> int:
        return int(self.track.shape[0])

    @classmethod
    def empty(cls) -> Incursions:
        i = np.empty(0, dtype=np.int64)
        f = np.empty(0, dtype=np.float64)
        return cls(i, i, np.empty(0, dtype=np.bool_), f, f, f, f, f)


class VolumeIndex:
    """Volumes, their parts' frames as arrays, and an STR-tree over the parts' outlines.

    Build it once per set of volumes; screening passes reuse it.
    """

    def __init__(self, volumes: list[Volume]) -> None:
        self.volumes = volumes
        parts = [(v, part) for v in range(len(volumes)) for part in volumes[v].parts]
        self.part_volume = np.array([v for v, _ in parts], dtype=np.int64)
        frames = [part.frame for _, part in parts]
        self.origin = np.array([f.origin_ecef for f in frames]).reshape(-1, 3)
        self.east = np.array([f.east for f in frames]).reshape(-1, 3)
        self.north = np.array([f.north for f in frames]).reshape(-1, 3)
        self.up = np.array([f.up for f in frames]).reshape(-1, 3)
        self.radius = np.array([f.radius_m for f in frames], dtype=np.float64)
        self.circle = np.array(
            [np.nan if p.circle_radius_m is None else p.circle_radius_m for _, p in parts],
            dtype=np.float64,
        )
        self.region = np.array([p.region for _, p in parts], dtype=object)
        self.boundary = np.array([p.boundary for _, p in parts], dtype=object)
        shapely.prepare(self.region[np.isnan(self.circle)])
        self.tree = shapely.STRtree([p.outline for _, p in parts])
        self.alt_lower = np.array([v.alt_lower_m for v in volumes], dtype=np.float64)
        self.alt_upper = np.array([v.alt_upper_m for v in volumes], dtype=np.float64)
        self.start = np.array([v.start_s for v in volumes], dtype=np.float64)
        self.end = np.array([v.end_s for v in volumes], dtype=np.float64)
        self.party = np.array([v.party for v in volumes], dtype=object)

    def __len__(self) -> int:
        return len(self.volumes)


def _path_boxes(kin: Kinematics, lookahead_s: float) -> tuple[IntArray, shapely.Geometry]:
    """A (lon, lat) box around each track's path over the look-ahead (two boxes when it
    crosses the antimeridian); returns the track of each box and the boxes."""
    n = len(kin)
    times = (0.0, lookahead_s / 2, lookahead_s)
    lons, lats = [], []
    for t in times:
        lon, lat = lonlat_from_ecef(kin.pos + kin.vel * t)
        lons.append(lon)
        lats.append(lat)
    lon0 = lons[0]
    lon_u = np.stack([lon0 + (lon - lon0 + 180.0) % 360.0 - 180.0 for lon in lons])
    lat_s = np.stack(lats)
    length = kin.speed_ms * lookahead_s
    margin_m = 1000.0 + length * length / (4 * _EARTH_M) + length * 0.01
    d_lat = np.degrees(margin_m / _EARTH_M)
    south = np.maximum(lat_s.min(axis=0) - d_lat, -90.0)
    north = np.minimum(lat_s.max(axis=0) + d_lat, 90.0)
    widest = np.maximum(np.abs(south), np.abs(north))
    with np.errstate(divide="ignore"):
        d_lon = d_lat / np.cos(np.radians(widest))
    polar = widest + d_lat >= 89.0
    west = np.where(polar, -180.0, lon_u.min(axis=0) - d_lon)
    east = np.where(polar, 180.0, lon_u.max(axis=0) + d_lon)
    track = np.arange(n, dtype=np.int64)
    boxes = [shapely.box(np.maximum(west, -180.0), south, np.minimum(east, 180.0), north)]
    tracks = [track]
    for over, shift in ((east > 180.0, -360.0), (west < -180.0, 360.0)):
        if over.any():
            boxes.append(
                shapely.box(
                    np.maximum(west[over] + shift, -180.0),
                    south[over],
                    np.minimum(east[over] + shift, 180.0),
                    north[over],
                )
            )
            tracks.append(track[over])
    return np.concatenate(tracks), np.concatenate(boxes)


def _interval_of_band(
    alt: FloatArray, vrate: FloatArray, lower: FloatArray, upper: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """When lower <= alt + vrate t <= upper, as [start, end] (empty when start > end)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t_lo = (lower - alt) / vrate
        t_hi = (upper - alt) / vrate
    level = vrate == 0.0
    inside = (alt >= lower) & (alt <= upper)
    start = np.where(level, np.where(inside, -np.inf, np.inf), np.minimum(t_lo, t_hi))
    end = np.where(level, np.where(inside, np.inf, -np.inf), np.maximum(t_lo, t_hi))
    # An unbounded band side gives inf - inf = nan for a climbing track: it is never crossed.
    start = np.where(np.isnan(start), -np.inf, start)
    end = np.where(np.isnan(end), np.inf, end)
    return start, end


def find_incursions(
    kin: Kinematics,
    track_party: NDArray[np.object_],
    index: VolumeIndex,
    now_s: float,
    lookahead_s: float,
    all_pairs: bool = False,
) -> Incursions:
    """Incursions of the tracks of ``kin`` into the volumes of ``index`` at ``now_s``.

    ``track_party`` gives each kinematic row's party; a track is screened only against other
    parties' volumes unless ``all_pairs``.
    """
    if len(kin) == 0 or len(index) == 0:
        return Incursions.empty()
    box_track, boxes = _path_boxes(kin, lookahead_s)
    hit_box, part = index.tree.query(boxes, predicate="intersects")
    track = box_track[hit_box]
    volume = index.part_volume[part]
    # Time window and altitude band must meet [0, T]; party must differ.
    w0 = np.maximum(index.start[volume] - now_s, 0.0)
    w1 = np.minimum(index.end[volume] - now_s, lookahead_s)
    v0, v1 = _interval_of_band(
        kin.alt_m[track], kin.vrate_ms[track], index.alt_lower[volume], index.alt_upper[volume]
    )
    a0, a1 = np.maximum(w0, v0), np.minimum(w1, v1)
    keep = a0 <= a1
    if not all_pairs:
        # A track of the unknown party differs from every volume's party, even "unknown".
        keep &= (track_party[track] != index.party[volume]) | (track_party[track] == UNKNOWN_PARTY)
    track, part, volume, a0, a1 = track[keep], part[keep], volume[keep], a0[keep], a1[keep]
    if track.shape[0] == 0:
        return Incursions.empty()

    pos, vel = kin.pos[track], kin.vel[track]
    x0, y0 = project_into_frames(
        index.origin[part],
        index.east[part],
        index.north[part],
        index.up[part],
        index.radius[part],
        pos,
    )
    vx = np.einsum("ij,ij->i", vel, index.east[part])
    vy = np.einsum("ij,ij->i", vel, index.north[part])

    circle = ~np.isnan(index.circle[part])
    entry = np.full(track.shape[0], np.nan)
    depth = np.zeros(track.shape[0])
    distance = np.zeros(track.shape[0])
    if circle.any():
        c = np.flatnonzero(circle)
        entry[c], depth[c], distance[c] = _circles(
            x0[c], y0[c], vx[c], vy[c], index.circle[part[c]], a0[c], a1[c]
        )
    if (~circle).any():
        r = np.flatnonzero(~circle)
        entry[r], depth[r], distance[r] = _regions(
            x0[r],
            y0[r],
            vx[r],
            vy[r],
            index.region[part[r]],
            index.boundary[part[r]],
            a0[r],
            a1[r],
        )
    found = ~np.isnan(entry)
    track, volume, entry = track[found], volume[found], entry[found]
    depth, distance = depth[found], distance[found]
    if track.shape[0] == 0:
        return Incursions.empty()
    # One row per (track, volume): earliest entry, deepest, nearest boundary over its parts.
    order = np.lexsort((entry, volume, track))
    track, volume, entry = track[order], volume[order], entry[order]
    depth, distance = depth[order], distance[order]
    first = np.ones(track.shape[0], dtype=np.bool_)
    first[1:] = (track[1:] != track[:-1]) | (volume[1:] != volume[:-1])
    group = np.cumsum(first) - 1
    n = int(group[-1]) + 1
    deepest = np.zeros(n)
    np.maximum.at(deepest, group, depth)
    nearest = np.full(n, np.inf)
    np.minimum.at(nearest, group, distance)
    track, volume, entry = track[first], volume[first], entry[first]
    where = kin.pos[track] + kin.vel[track] * entry[:, None]
    lon, lat = lonlat_from_ecef(where)
    return Incursions(
        track=track,
        volume=volume,
        inside=entry == 0.0,
        entry_s=entry,
        depth_m=deepest,
        distance_to_boundary_m=nearest,
        entry_lon=lon,
        entry_lat=lat,
    )


def _circles(
    x0: FloatArray,
    y0: FloatArray,
    vx: FloatArray,
    vy: FloatArray,
    radius: FloatArray,
    a0: FloatArray,
    a1: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Entry time (nan: none), depth and distance to the edge for circles at the origin."""
    qa = vx * vx + vy * vy
    qb = x0 * vx + y0 * vy
    qc = x0 * x0 + y0 * y0 - radius * radius
    with np.errstate(divide="ignore", invalid="ignore"):
        disc = qb * qb - qa * qc
        root = np.sqrt(np.maximum(disc, 0.0))
        q = -(qb + np.copysign(root, qb))
        r1, r2 = q / qa, qc / q
    moving = qa > 0.0
    h0 = np.where(moving, np.minimum(r1, r2), np.where(qc < 0.0, -np.inf, np.inf))
    h1 = np.where(moving, np.maximum(r1, r2), np.where(qc < 0.0, np.inf, -np.inf))
    h0 = np.where(moving & ~(disc > 0.0), np.inf, h0)
    start, end = np.maximum(a0, h0), np.minimum(a1, h1)
    ok = start < end
    with np.errstate(divide="ignore", invalid="ignore"):
        closest = np.clip(np.where(moving, -qb / qa, start), start, end)
        dx, dy = x0 + vx * closest, y0 + vy * closest
        depth = np.where(ok, radius - np.hypot(dx, dy), 0.0)
    distance = np.abs(radius - np.hypot(x0, y0))
    return np.where(ok, start, np.nan), depth, distance


def _regions(
    x0: FloatArray,
    y0: FloatArray,
    vx: FloatArray,
    vy: FloatArray,
    region: NDArray[np.object_],
    boundary: NDArray[np.object_],
    a0: FloatArray,
    a1: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Entry time (nan: none), depth and distance to the edge for polygonal footprints."""
    n = x0.shape[0]
    entry = np.full(n, np.nan)
    distance = shapely.distance(boundary, shapely.points(x0, y0))
    distance = np.where(np.isnan(distance), np.inf, distance)
    # Inside at the start of the admissible interval: the entry is then.
    start_in = shapely.contains_xy(region, x0 + vx * a0, y0 + vy * a0)
    entry[start_in] = a0[start_in]
    # Otherwise the first time the path segment [a0, a1] is inside the region.
    speed = np.hypot(vx, vy)
    todo = np.flatnonzero(~start_in & (speed > 0.0) & (a1 > a0))
    if todo.shape[0]:
        sx, sy = x0[todo] + vx[todo] * a0[todo], y0[todo] + vy[todo] * a0[todo]
        ex, ey = x0[todo] + vx[todo] * a1[todo], y0[todo] + vy[todo] * a1[todo]
        paths = shapely.linestrings(
            np.stack([np.column_stack([sx, sy]), np.column_stack([ex, ey])], axis=1)
        )
        inside = shapely.intersection(paths, region[todo])
        pieces, owner = shapely.get_parts(inside, return_index=True)
        lines = shapely.get_type_id(pieces) == 1  # LineString: a stretch inside (not a touch)
        pieces, owner = pieces[lines], owner[lines]
        if pieces.shape[0]:
            starts = shapely.line_locate_point(paths[owner], shapely.get_point(pieces, 0))
            ends = shapely.line_locate_point(paths[owner], shapely.get_point(pieces, -1))
            along = np.minimum(starts, ends)
            first = np.full(todo.shape[0], np.inf)
            np.minimum.at(first, owner, along)
            has = np.isfinite(first)
            k = todo[has]
            entry[k] = a0[k] + first[has] / speed[k]
    depth = _depths(x0, y0, vx, vy, region, boundary, entry, a1)
    return entry, depth, distance


def _depths(
    x0: FloatArray,
    y0: FloatArray,
    vx: FloatArray,
    vy: FloatArray,
    region: NDArray[np.object_],
    boundary: NDArray[np.object_],
    entry: FloatArray,
    a1: FloatArray,
) -> FloatArray:
    """The largest distance to the edge at sampled moments in [entry, a1] while inside."""
    depth = np.zeros(x0.shape[0])
    k = np.flatnonzero(~np.isnan(entry))
    if k.shape[0] == 0:
        return depth
    for f in np.linspace(0.0, 1.0, _DEPTH_SAMPLES):
        t = entry[k] + f * (a1[k] - entry[k])
        x, y = x0[k] + vx[k] * t, y0[k] + vy[k] * t
        inside = shapely.contains_xy(region[k], x, y)
        d = shapely.distance(boundary[k], shapely.points(x, y))
        depth[k] = np.where(inside & np.isfinite(d), np.maximum(depth[k], d), depth[k])
    return depth
