"""One screening pass: tracks and volumes in, close approaches, incursions and overlaps out.

:func:`screen` is a pure function of its arguments (the time is one of them). Aircraft are
screened against each other with the aircraft minima, ships against ships with the maritime
minima, and aircraft against ships with the aircraft minima (a low pass over a warship).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

import numpy as np
import shapely

from hotline.engine.conflicts import find_conflicts
from hotline.engine.cpa import AIRCRAFT_MINIMA, VESSEL_MINIMA, Minima, PairConflicts
from hotline.engine.evidence import (
    CloseApproach,
    Incursion,
    MinimaUsed,
    Overlap,
    TrackSnapshot,
    utc,
)
from hotline.engine.geodesy import lonlat_from_ecef
from hotline.engine.incursions import Incursions, VolumeIndex, find_incursions
from hotline.engine.kinematics import IntArray, Kinematics
from hotline.engine.overlaps import Overlap as OverlapFound
from hotline.engine.overlaps import find_overlaps
from hotline.engine.situations import AlertKind, incursion_keys, pair_keys
from hotline.engine.tracks import DOMAINS, Domain, TrackColumns, TrackState
from hotline.engine.units import METRES_PER_FOOT, METRES_PER_NM
from hotline.engine.volumes import (
    MultiPolygonGeometry,
    PointGeometry,
    PolygonGeometry,
    Volume,
)

_INCURSION_FIELDS = [f.name for f in fields(Incursions)]
_AIR = DOMAINS.index(Domain.AIR)
_SEA = DOMAINS.index(Domain.SEA)
_GRID_DEG = 1e-7  # coordinates in evidence: 7 decimals, about a centimetre


@dataclass(frozen=True, slots=True)
class ScreeningConfig:
    """Minima and look-ahead per kind of traffic, and which pairs to screen.

    ``all_pairs`` screens tracks and volumes of the same party too (to compare with other
    detectors). States older than ``max_age_s`` at the screening time are not screened (a
    track that stopped reporting is not extrapolated for ever).
    """

    aircraft: Minima = AIRCRAFT_MINIMA
    vessels: Minima = VESSEL_MINIMA
    all_pairs: bool = False
    max_age_s: float = 60.0


@dataclass(frozen=True, eq=False)
class Screening:
    """The result of one pass, as arrays, with evidence built on demand.

    ``conflicts`` and ``incursions`` index ``kin``; ``kin.rows`` index ``tracks``.
    ``conflict_minima`` says which minima each conflict was found with (0 aircraft, 1 vessels).
    """

    now_s: float
    config: ScreeningConfig
    tracks: TrackColumns
    kin: Kinematics
    conflicts: PairConflicts
    conflict_minima: IntArray
    incursions: Incursions
    volumes: list[Volume]
    overlaps: list[OverlapFound]
    stale: int
    invalid: int
    _states: dict[int, TrackState] = field(default_factory=dict, repr=False)
    _keys: list[str] = field(default_factory=list, repr=False)
    _incursion_keys: list[str] = field(default_factory=list, repr=False)

    def state(self, kin_row: int) -> TrackState:
        """The reported state of kinematic row ``kin_row``."""
        row = int(self.kin.rows[kin_row])
        if row not in self._states:
            self._states[row] = self.tracks.state(row)
        return self._states[row]

    def close_approach_keys(self) -> list[str]:
        """The situation key of each conflict (built once: alerts and hysteresis need them)."""
        if len(self._keys) != len(self.conflicts):
            ids = self.tracks.ids[self.kin.rows]
            a_ids, b_ids = ids[self.conflicts.a].tolist(), ids[self.conflicts.b].tolist()
            self._keys[:] = pair_keys(AlertKind.CLOSE_APPROACH, a_ids, b_ids)
        return self._keys

    def incursion_keys(self) -> list[str]:
        """The situation key of each incursion (built once)."""
        inc = self.incursions
        if len(self._incursion_keys) != len(inc):
            ids = self.tracks.ids[self.kin.rows][inc.track].tolist()
            names = {
                v: (self.volumes[v].id, self.volumes[v].name)
                for v in np.unique(inc.volume).tolist()
            }
            volume_names = [names[v] for v in inc.volume.tolist()]
            self._incursion_keys[:] = incursion_keys([str(i) for i in ids], volume_names)
        return self._incursion_keys

    def track_id(self, kin_row: int) -> str:
        return str(self.tracks.ids[self.kin.rows[kin_row]])

    def minima_of_conflict(self, k: int) -> Minima:
        return self.config.vessels if self.conflict_minima[k] == 1 else self.config.aircraft

    def close_approach(self, k: int) -> CloseApproach:
        c = self.conflicts
        a, b = int(c.a[k]), int(c.b[k])
        tcpa = float(c.tcpa_s[k])
        where = self.kin.pos[[a, b]] + self.kin.vel[[a, b]] * tcpa
        lon, lat = lonlat_from_ecef(where)
        mid_lon, mid_lat = lonlat_from_ecef(where.mean(axis=0)[None, :])
        minima = self.minima_of_conflict(k)
        end = float(c.tend_s[k])
        return CloseApproach(
            a=TrackSnapshot.of(self.state(a)),
            b=TrackSnapshot.of(self.state(b)),
            computed_at=utc(self.now_s),
            tcpa_s=round(tcpa, 2),
            cpa_time=utc(self.now_s + tcpa),
            dcpa_m=round(float(c.dcpa_m[k]), 1),
            dcpa_nm=round(float(c.dcpa_m[k]) / METRES_PER_NM, 3),
            dalt_ft=round(float(c.dalt_m[k]) / METRES_PER_FOOT, 1),
            tlos_s=round(float(c.tlos_s[k]), 2),
            los_time=utc(self.now_s + float(c.tlos_s[k])),
            los_end_s=round(end, 2) if math.isfinite(end) else None,
            cpa_position=(float(mid_lon[0]), float(mid_lat[0])),
            cpa_a=(float(lon[0]), float(lat[0])),
            cpa_b=(float(lon[1]), float(lat[1])),
            minima=MinimaUsed(
                sep_nm=round(minima.horizontal_m / METRES_PER_NM, 6),
                sep_ft=round(minima.vertical_m / METRES_PER_FOOT, 3),
                lookahead_s=minima.lookahead_s,
            ),
        )

    def incursion(self, k: int) -> Incursion:
        inc = self.incursions
        volume = self.volumes[int(inc.volume[k])]
        track = int(inc.track[k])
        lookahead = (
            self.config.vessels if self.state(track).domain == Domain.SEA else self.config.aircraft
        ).lookahead_s
        entry = float(inc.entry_s[k])
        return Incursion(
            track=TrackSnapshot.of(self.state(track)),
            volume=volume.feature,
            computed_at=utc(self.now_s),
            inside=bool(inc.inside[k]),
            entry_s=round(entry, 2),
            entry_time=utc(self.now_s + entry),
            entry_position=(float(inc.entry_lon[k]), float(inc.entry_lat[k])),
            depth_m=round(float(inc.depth_m[k]), 1),
            distance_to_boundary_m=round(float(inc.distance_to_boundary_m[k]), 1),
            lookahead_s=lookahead,
            approximate=volume.approximate,
        )

    def overlap(self, k: int) -> Overlap:
        found = self.overlaps[k]
        a, b = self.volumes[found.a], self.volumes[found.b]
        return Overlap(
            a=a.feature,
            b=b.feature,
            computed_at=utc(self.now_s),
            region=evidence_region(found),
            area_km2=round(found.area_m2 / 1e6, 3),
            alt_lower_ft=_feet(found.alt_lower_m),
            alt_upper_ft=_feet(found.alt_upper_m),
            start=None if math.isinf(found.start_s) else utc(found.start_s),
            end=None if math.isinf(found.end_s) else utc(found.end_s),
            approximate=a.approximate or b.approximate,
        )


def _feet(metres: float) -> float | None:
    return None if math.isinf(metres) else round(metres / METRES_PER_FOOT, 1)


def _round_coords(coords: object) -> object:
    if isinstance(coords, list | tuple):
        if coords and isinstance(coords[0], float | int):
            return [round(float(c), 7) for c in coords]
        return [_round_coords(c) for c in coords]
    return coords


def evidence_region(found: OverlapFound) -> PolygonGeometry | MultiPolygonGeometry | PointGeometry:
    """An overlap's region as evidence, built once per overlap (the screener builds it when
    the volumes change, outside any lock, not in the pass that raises the alert)."""
    if not found.evidence:
        found.evidence.append(_geometry(found.region))
    return found.evidence[0]


def _geometry(region: shapely.Geometry) -> PolygonGeometry | MultiPolygonGeometry | PointGeometry:
    # The evidence keeps 7 decimals: snapping to that grid keeps the outline valid, where
    # rounding the coordinates alone can make a ring cross itself (a circle's many vertices
    # near a box's edge).
    snapped = shapely.set_precision(region, _GRID_DEG)
    if snapped.is_empty:  # a sliver thinner than the grid: where it is
        snapped = shapely.set_precision(region.representative_point(), _GRID_DEG)
    return _snapped_geometry(snapped)


def _snapped_geometry(
    region: shapely.Geometry,
) -> PolygonGeometry | MultiPolygonGeometry | PointGeometry:
    mapping = shapely.geometry.mapping(region)
    kind = mapping["type"]
    coords = _round_coords(mapping["coordinates"])
    if kind == "Polygon":
        return PolygonGeometry.model_validate({"type": kind, "coordinates": coords})
    if kind == "MultiPolygon":
        return MultiPolygonGeometry.model_validate({"type": kind, "coordinates": coords})
    if kind == "Point":
        return PointGeometry.model_validate({"type": kind, "coordinates": coords})
    # A mix (area plus stray lines or points where footprints touch): keep the areas.
    polys = [g for g in shapely.get_parts(region) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:  # lines or points only
        return _snapped_geometry(shapely.get_parts(region)[0].representative_point())
    return _geometry(shapely.union_all(polys))


def screen(
    tracks: TrackColumns,
    volumes: VolumeIndex | None,
    now_s: float,
    config: ScreeningConfig = ScreeningConfig(),
    overlaps: list[OverlapFound] | None = None,
) -> Screening:
    """Screen ``tracks`` (latest state per track) and ``volumes`` at time ``now_s``.

    ``overlaps`` may pass overlaps computed earlier for the same volumes (they depend on the
    volumes only); they are then just filtered to those not over at ``now_s``.
    """
    age = now_s - tracks.time_s
    fresh = np.flatnonzero(np.abs(age) <= config.max_age_s)
    stale = len(tracks) - fresh.shape[0]
    current = tracks.take(fresh)
    kin = current.kinematics(now_s)
    party = current.party_codes()
    party_k = None if config.all_pairs else party[kin.rows]
    domain = current.domain[kin.rows]
    air = np.flatnonzero(domain == _AIR).astype(np.int64)
    sea = np.flatnonzero(domain == _SEA).astype(np.int64)
    found = [
        find_conflicts(kin, config.aircraft, party_k, air),
        find_conflicts(kin, config.vessels, party_k, sea),
        find_conflicts(kin, config.aircraft, party_k, air, sea),
    ]
    which = np.concatenate(
        [np.full(len(found[0]), 0), np.full(len(found[1]), 1), np.full(len(found[2]), 0)]
    ).astype(np.int64)
    conflicts = PairConflicts.concatenate(found)
    order = np.lexsort((conflicts.b, conflicts.a))
    conflicts, which = conflicts.take(order), which[order]

    vol_list = [] if volumes is None else volumes.volumes
    incursions = Incursions.empty()
    if volumes is not None and len(volumes):
        names = current.parties[kin.rows]
        parts = []
        for rows, minima in ((air, config.aircraft), (sea, config.vessels)):
            if rows.shape[0] == 0:
                continue
            got = find_incursions(
                kin.subset(rows),
                names[rows],
                volumes,
                now_s,
                minima.lookahead_s,
                config.all_pairs,
            )
            parts.append(
                Incursions(
                    rows[got.track],
                    got.volume,
                    got.inside,
                    got.entry_s,
                    got.depth_m,
                    got.distance_to_boundary_m,
                    got.entry_lon,
                    got.entry_lat,
                )
            )
        if parts:
            incursions = Incursions(
                *(np.concatenate([getattr(p, f) for p in parts]) for f in _INCURSION_FIELDS)
            )
    if overlaps is None:
        overlaps = find_overlaps(vol_list, None, config.all_pairs)
    current_overlaps = [o for o in overlaps if o.end_s > now_s]
    return Screening(
        now_s=now_s,
        config=config,
        tracks=current,
        kin=kin,
        conflicts=conflicts,
        conflict_minima=which,
        incursions=incursions,
        volumes=vol_list,
        overlaps=current_overlaps,
        stale=stale,
        invalid=int(kin.invalid.shape[0]),
    )
