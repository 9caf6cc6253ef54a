"""The engine as a node uses it: a live track table, the current volumes, and alerts.

    screener = Screener()
    screener.set_volumes(load_volumes("volumes.geojson"))
    screener.upsert(batch)              # on every batch of track updates (vectorised)
    events = screener.update(now_s)     # raised / updated / cleared alerts, with evidence

Nothing here reads a clock: the time of each pass is an argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from hotline.engine.alerts import (
    Alert,
    AlertEvent,
    AlertTracker,
    TrackerConfig,
)
from hotline.engine.cpa import conflict_mask
from hotline.engine.incursions import VolumeIndex
from hotline.engine.overlaps import Overlap, find_overlaps
from hotline.engine.screening import Screening, ScreeningConfig, evidence_region, screen
from hotline.engine.table import TrackTable
from hotline.engine.tracks import DOMAINS, Domain, TrackColumns, TrackState
from hotline.engine.volumes import Volume


@dataclass(frozen=True, slots=True)
class ScreenerConfig:
    """Screening minima, alert tracking, and the hysteresis of close approaches: an active
    close approach stays active while the pair stays in conflict with the minima and the
    look-ahead multiplied by ``clear_factor``. Tracks silent for ``forget_after_s`` are dropped
    from the table."""

    screening: ScreeningConfig = field(default_factory=ScreeningConfig)
    tracker: TrackerConfig = field(default_factory=TrackerConfig)
    clear_factor: float = 1.2
    forget_after_s: float = 600.0


@dataclass(frozen=True, eq=False)
class VolumeSet:
    """Volumes with their overlaps (indices into ``volumes``) and their index: everything a
    pass needs that depends on the volumes only. Never changed once built: a change builds a
    new set (:meth:`changed`, the costly part, done without holding anything) that the
    screener then takes in one assignment."""

    volumes: tuple[Volume, ...] = ()
    overlaps: tuple[Overlap, ...] = ()
    index: VolumeIndex = field(default_factory=lambda: VolumeIndex([]))

    def changed(
        self, added: Iterable[Volume], removed: Iterable[str] = (), all_pairs: bool = False
    ) -> VolumeSet:
        """This set without the volumes whose ids are in ``removed`` or ``added`` (an amended
        notification replaces all its areas), then with ``added``. Only the overlaps of the
        added volumes are computed; the others are kept."""
        new = list(added)
        gone = set(removed) | {v.id for v in new}
        kept = [k for k, v in enumerate(self.volumes) if v.id not in gone]
        renumbered = np.full(len(self.volumes), -1, dtype=np.int64)
        renumbered[kept] = np.arange(len(kept))
        # Kept volumes keep their order, so each kept overlap still has a < b.
        overlaps = [
            o
            if renumbered[o.a] == o.a and renumbered[o.b] == o.b
            else replace(o, a=int(renumbered[o.a]), b=int(renumbered[o.b]))
            for o in self.overlaps
            if renumbered[o.a] >= 0 and renumbered[o.b] >= 0
        ]
        volumes = [self.volumes[k] for k in kept] + new
        found = find_overlaps(
            volumes, None, all_pairs, among=np.arange(len(kept), len(volumes), dtype=np.int64)
        )
        for overlap in found:  # every overlap is reported: its evidence is needed, once
            evidence_region(overlap)
        return VolumeSet(tuple(volumes), tuple(overlaps + found), VolumeIndex(volumes))


@dataclass(frozen=True, eq=False)
class PreparedVolumes:
    """A change of volumes computed from ``base``: :meth:`Screener.swap_volumes` takes it only
    if the screener still has ``base``."""

    base: VolumeSet
    result: VolumeSet


class Screener:
    """Live deconfliction: feed it tracks and volumes, call :meth:`update` with the time."""

    def __init__(self, config: ScreenerConfig | None = None) -> None:
        self.config = config or ScreenerConfig()
        self.tracks = TrackTable()
        # Overlaps and the index depend on the volumes only: kept with them across passes.
        self._set = VolumeSet()
        self._tracker = AlertTracker(self.config.tracker)

    # --- input -------------------------------------------------------------------------------

    def upsert(self, states: TrackColumns | Sequence[TrackState]) -> int:
        """Store new track states (the newest per id wins); returns how many tracks changed."""
        batch = states if isinstance(states, TrackColumns) else TrackColumns.from_states(states)
        return self.tracks.upsert(batch)

    def remove_tracks(self, track_ids: list[str]) -> int:
        return self.tracks.remove(track_ids)

    @property
    def volumes(self) -> list[Volume]:
        return list(self._set.volumes)

    def set_volumes(self, volumes: Iterable[Volume]) -> None:
        """Replace all volumes."""
        self._set = VolumeSet().changed(volumes, (), self.config.screening.all_pairs)

    def add_volumes(self, volumes: Iterable[Volume]) -> None:
        """Add volumes; they replace the volumes that had the same ids (an amended notification
        replaces all its areas). Only the new volumes' overlaps are computed."""
        self.swap_volumes(self.prepare_volumes(volumes))

    def remove_volumes(self, volume_ids: Iterable[str]) -> None:
        gone = set(volume_ids)
        if gone:
            self.swap_volumes(self.prepare_volumes((), gone))

    def prepare_volumes(
        self, added: Iterable[Volume], removed: Iterable[str] = ()
    ) -> PreparedVolumes:
        """Compute a change of volumes (overlaps, index) without changing the screener: a
        caller that guards the screener with a lock can do this outside it, while tracks are
        pushed and screened, then :meth:`swap_volumes` under it."""
        base = self._set
        return PreparedVolumes(base, base.changed(added, removed, self.config.screening.all_pairs))

    def swap_volumes(self, prepared: PreparedVolumes) -> bool:
        """Take a prepared change; False (and nothing changed) if the volumes changed since it
        was prepared."""
        if prepared.base is not self._set:
            return False
        self._set = prepared.result
        return True

    # --- screening ---------------------------------------------------------------------------

    def screen(self, now_s: float) -> Screening:
        """One pass at ``now_s`` over the current tracks and volumes (alerts unchanged)."""
        found = self._set
        overlaps = list(found.overlaps)
        return screen(self.tracks.columns(), found.index, now_s, self.config.screening, overlaps)

    def update(self, now_s: float) -> list[AlertEvent]:
        """Screen at ``now_s`` and return what changed in the alerts."""
        self.tracks.expire(now_s, self.config.forget_after_s)
        screening = self.screen(now_s)
        return self._tracker.update(screening, self._held(screening))

    @property
    def alerts(self) -> list[Alert]:
        """The active alerts."""
        return self._tracker.alerts

    def restore_alerts(self, alerts: Iterable[Alert]) -> None:
        """Active alerts kept across a restart: continued, not raised again, when seen."""
        self._tracker.restore(alerts)

    def _held(self, screening: Screening) -> set[str]:
        """Active close approaches this pass missed but whose pair is still within the widened
        minima: they are kept (hysteresis)."""
        active = self._tracker.active_pairs()
        if not active:
            return set()
        found = set(screening.close_approach_keys())
        missing = {key: pair for key, pair in active.items() if key not in found}
        if not missing:
            return set()
        ids = screening.tracks.ids[screening.kin.rows]
        row_of = dict(zip(ids.tolist(), range(ids.shape[0]), strict=True))
        keys, a_rows, b_rows = [], [], []
        for key, (a_id, b_id) in missing.items():
            a, b = row_of.get(a_id), row_of.get(b_id)
            if a is not None and b is not None:
                keys.append(key)
                a_rows.append(min(a, b))
                b_rows.append(max(a, b))
        if not keys:
            return set()
        a_arr = np.array(a_rows, dtype=np.int64)
        b_arr = np.array(b_rows, dtype=np.int64)
        sea = DOMAINS.index(Domain.SEA)
        domain = screening.tracks.domain[screening.kin.rows]
        both_sea = (domain[a_arr] == sea) & (domain[b_arr] == sea)
        cfg = screening.config
        held: set[str] = set()
        for group, minima in ((both_sea, cfg.vessels), (~both_sea, cfg.aircraft)):
            rows = np.flatnonzero(group)
            if rows.shape[0] == 0:
                continue
            widened = minima.widened(self.config.clear_factor)
            hit, _ = conflict_mask(screening.kin, a_arr[rows], b_arr[rows], widened)
            held.update(keys[k] for k in rows[hit].tolist())
        return held
