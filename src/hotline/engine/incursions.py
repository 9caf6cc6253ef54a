"""Incursions: tracks inside a volume, or predicted to enter one within the look-ahead.

A track is *in* a volume at time t when its straight-line position is inside the footprint,
its altitude inside the band and t inside the time window (all three at once: it is a 4-D
test). For each (track, volume) pair found the engine reports:

- ``entry_s``: the first moment in ``[0, T]`` the track is in the volume (0 when it already is);
- ``distance_to_boundary_m``: how far the track is *now* from the footprint's edge (inside:
  the way out; outside: the way in), along the surface;
- ``depth_m``: how deep inside the footprint the track is (now, when it is inside), or gets
  on its way in (entering: exact for circles, sampled along the first stretch inside for
  other shapes).

Only tracks of another party than the volume's are screened, unless all pairs are asked for.
A kd-tree of the tracks' paths, queried from each volume part, keeps this fast for 10^4
volumes and 10^5 tracks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from hotline.engine.geodesy import FloatArray, lonlat_from_ecef, project_into_frames
from hotline.engine.kinematics import IntArray, Kinematics
from hotline.engine.tracks import UNKNOWN_PARTY
from hotline.engine.volumes import Volume

BoolArray = NDArray[np.bool_]
_DEPTH_SAMPLES = 3
_BIG_BOUNDARY = 256  # vertices: beyond this, distances go through a segment tree
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
    """Volumes, and their parts' frames and reaches as arrays.

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
        self._big = np.array(
            [
                p.boundary is not None and shapely.get_num_coordinates(p.boundary) > _BIG_BOUNDARY
                for _, p in parts
            ],
            dtype=np.bool_,
        )
        self._trees: dict[int, shapely.STRtree] = {}
        self.bounds = np.array(
            [shapely.bounds(p.region) if p.region is not None else [np.nan] * 4 for _, p in parts],
            dtype=np.float64,
        ).reshape(-1, 4)
        # How far each part reaches from its frame's origin: a path that stays farther away
        # cannot touch it (a cheap test before the exact geometry).
        self.reach = np.array(
            [
                p.circle_radius_m
                if p.circle_radius_m is not None
                else float(np.max(np.hypot(*shapely.get_coordinates(p.region).T), initial=0.0))
                for _, p in parts
            ],
            dtype=np.float64,
        )
        self.alt_lower = np.array([v.alt_lower_m for v in volumes], dtype=np.float64)
        self.alt_upper = np.array([v.alt_upper_m for v in volumes], dtype=np.float64)
        self.start = np.array([v.start_s for v in volumes], dtype=np.float64)
        self.end = np.array([v.end_s for v in volumes], dtype=np.float64)
        self.party = np.array([v.party for v in volumes], dtype=object)

    def __len__(self) -> int:
        return len(self.volumes)

    def distances(self, part: IntArray, x: FloatArray, y: FloatArray) -> FloatArray:
        """Distance from each point (x[k], y[k]) to the boundary of part[k], in that part's
        frame. Long boundaries (national borders) go through a tree of their segments."""
        out = np.empty(x.shape[0])
        big = self._big[part]
        small = np.flatnonzero(~big)
        if small.shape[0]:
            out[small] = shapely.distance(
                self.boundary[part[small]], shapely.points(x[small], y[small])
            )
        for p in np.unique(part[big]).tolist():
            sel = np.flatnonzero(part == p)
            hit, dist = self._segments(p).query_nearest(
                shapely.points(x[sel], y[sel]), return_distance=True, all_matches=False
            )
            out[sel[hit[0]]] = dist
        result: FloatArray = np.where(np.isnan(out), np.inf, out)
        return result

    def _segments(self, part: int) -> shapely.STRtree:
        tree = self._trees.get(part)
        if tree is None:
            pieces = []
            for line in shapely.get_parts(self.boundary[part]):
                xy = shapely.get_coordinates(line)
                if xy.shape[0] >= 2:
                    pieces.append(shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1)))
            tree = shapely.STRtree(np.concatenate(pieces) if pieces else [])
            self._trees[part] = tree
        return tree


def _candidates(
    kin: Kinematics, index: VolumeIndex, now_s: float, lookahead_s: float
) -> tuple[IntArray, IntArray]:
    """(track, part) pairs whose path over the look-ahead may come within a part's reach.

    In Earth-centred metres, with no seam anywhere: every point of a track's path is within
    half its length of the path's midpoint, and rises at most length^2 / 2R above the ground;
    a part's points are within its reach of its origin. So a track can touch a part only if
    its midpoint is within (reach + half length + rise) of the part's origin.
    """
    half = kin.speed_ms * lookahead_s / 2
    longest = float(np.max(half, initial=0.0)) * 2
    rise = (longest + float(np.max(kin.speed_ms, initial=0.0)) * kin.max_age_s) ** 2 / (
        2 * _EARTH_M
    )
    # Only parts of volumes whose time window meets the look-ahead.
    volume = index.part_volume
    active = np.flatnonzero(
        (index.start[volume] < now_s + lookahead_s) & (index.end[volume] > now_s)
    )
    if active.shape[0] == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    tree = cKDTree(kin.pos + kin.vel * (lookahead_s / 2))
    radii = index.reach[active] * 1.001 + 2.0 + longest / 2 + rise
    found = tree.query_ball_point(index.origin[active], radii, return_sorted=False)
    counts = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
    if counts.sum() == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    track = np.concatenate([np.asarray(f, dtype=np.int64) for f in found if len(f)])
    part = np.repeat(active, counts)
    return track, part


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
    exhaustive: bool = False,
) -> Incursions:
    """Incursions of the tracks of ``kin`` into the volumes of ``index`` at ``now_s``.

    ``track_party`` gives each kinematic row's party; a track is screened only against other
    parties' volumes unless ``all_pairs``. ``exhaustive`` gives every (track, part) pair to the
    exact test, without the prefilters (the brute force the property tests compare with).
    """
    if len(kin) == 0 or len(index) == 0:
        return Incursions.empty()
    if exhaustive:
        every_part = np.arange(index.part_volume.shape[0], dtype=np.int64)
        track = np.repeat(np.arange(len(kin), dtype=np.int64), every_part.shape[0])
        part = np.tile(every_part, len(kin))
    else:
        track, part = _candidates(kin, index, now_s, lookahead_s)
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
    # Drop pairs whose path over [a0, a1] never comes within the part's reach of its origin.
    speed2 = vx * vx + vy * vy
    with np.errstate(divide="ignore", invalid="ignore"):
        t_near = np.where(speed2 > 0.0, -(x0 * vx + y0 * vy) / speed2, a0)
    t_near = np.clip(t_near, a0, a1)
    near = np.hypot(x0 + vx * t_near, y0 + vy * t_near) <= index.reach[part] * 1.001 + 1.0
    if exhaustive:
        near[:] = True
    track, part, volume, a0, a1 = track[near], part[near], volume[near], a0[near], a1[near]
    x0, y0, vx, vy = x0[near], y0[near], vx[near], vy[near]
    if track.shape[0] == 0:
        return Incursions.empty()

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
            x0[r], y0[r], vx[r], vy[r], index, part[r], a0[r], a1[r], exhaustive
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
        deepest = np.where(ok, radius - np.hypot(dx, dy), 0.0)
    distance = np.abs(radius - np.hypot(x0, y0))
    # Inside now: how deep it is now; entering: how deep it gets.
    depth = np.where(ok & (start == 0.0), distance, deepest)
    return np.where(ok, start, np.nan), depth, distance


def _regions(
    x0: FloatArray,
    y0: FloatArray,
    vx: FloatArray,
    vy: FloatArray,
    index: VolumeIndex,
    part: IntArray,
    a0: FloatArray,
    a1: FloatArray,
    exhaustive: bool = False,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Entry time (nan: none), depth and distance to the edge for polygonal footprints."""
    n = x0.shape[0]
    region = index.region[part]
    entry = np.full(n, np.nan)
    exit_ = np.full(n, np.nan)
    # Inside at the start of the admissible interval: the entry is then.
    start_in = shapely.contains_xy(region, x0 + vx * a0, y0 + vy * a0)
    entry[start_in] = a0[start_in]
    # Otherwise the first time the path segment [a0, a1] is inside the region; only paths
    # whose box meets the region's box can get there.
    sx, sy = x0 + vx * a0, y0 + vy * a0
    ex, ey = x0 + vx * a1, y0 + vy * a1
    west, south, east, north = index.bounds[part].T
    meets = (np.minimum(sx, ex) <= east) & (np.maximum(sx, ex) >= west)
    meets &= (np.minimum(sy, ey) <= north) & (np.maximum(sy, ey) >= south)
    meets |= exhaustive
    speed = np.hypot(vx, vy)
    todo = np.flatnonzero(~start_in & meets & (speed > 0.0) & (a1 > a0))
    paths = shapely.linestrings(
        np.stack(
            [np.column_stack([sx[todo], sy[todo]]), np.column_stack([ex[todo], ey[todo]])],
            axis=1,
        )
    )
    # A path that starts outside and never meets the region stays outside (a fast,
    # prepared test) ...
    crossing = shapely.intersects(region[todo], paths)
    todo, paths = todo[crossing], paths[crossing]
    if todo.shape[0]:
        # ... the others enter where the first stretch of the path inside the region begins.
        inside = shapely.intersection(paths, region[todo])
        pieces, owner = shapely.get_parts(inside, return_index=True)
        lines = shapely.get_type_id(pieces) == 1  # LineString: a stretch inside (not a touch)
        pieces, owner = pieces[lines], owner[lines]
        if pieces.shape[0]:
            ends_a = shapely.line_locate_point(paths[owner], shapely.get_point(pieces, 0))
            ends_b = shapely.line_locate_point(paths[owner], shapely.get_point(pieces, -1))
            inward, outward = np.fmin(ends_a, ends_b), np.fmax(ends_a, ends_b)
            ok = ~np.isnan(inward)
            owner, inward, outward = owner[ok], inward[ok], outward[ok]
            # The first stretch inside, per path: where it starts (entry) and ends (exit).
            order = np.lexsort((inward, owner))
            owner, inward, outward = owner[order], inward[order], outward[order]
            first = np.ones(owner.shape[0], dtype=np.bool_)
            first[1:] = owner[1:] != owner[:-1]
            k = todo[owner[first]]
            entry[k] = a0[k] + inward[first] / speed[k]
            exit_[k] = a0[k] + outward[first] / speed[k]
    # Distances (now) and depths only for the incursions found: how deep a track inside now
    # is; how deep an entering one gets on its first stretch inside (sampled).
    distance = np.full(n, np.inf)
    depth = np.zeros(n)
    found = np.flatnonzero(~np.isnan(entry))
    distance[found] = index.distances(part[found], x0[found], y0[found])
    depth[found] = np.where(entry[found] == 0.0, distance[found], 0.0)
    later = found[~np.isnan(exit_[found])]
    for f in (np.arange(_DEPTH_SAMPLES) + 1.0) / (_DEPTH_SAMPLES + 1.0):
        if later.shape[0] == 0:
            break
        t = entry[later] + f * (exit_[later] - entry[later])
        x, y = x0[later] + vx[later] * t, y0[later] + vy[later] * t
        depth[later] = np.maximum(depth[later], index.distances(part[later], x, y))
    return entry, depth, distance
