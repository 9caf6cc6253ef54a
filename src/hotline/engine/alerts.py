"""Alerts that are stable over time: one alert per situation, updated, cleared with hysteresis.

A *situation* is a pair of tracks in close approach, a track and a volume in incursion, or two
volumes in overlap; its key never changes while it lasts. The tracker, fed one screening pass
after another (with the time of each), raises an alert when a situation appears, emits an
update only when its evidence changes materially (not every second), and clears it only after
the situation has been absent for ``clear_after_s``; the screener also keeps a close approach
present while the pair stays in conflict with widened minima and look-ahead
(``ScreenerConfig.clear_factor``), so an alert does not flicker at the edge of a minimum or of
the look-ahead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import chain
from operator import itemgetter
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from hotline.engine.evidence import CloseApproach, Evidence, Incursion, Overlap, utc
from hotline.engine.screening import Screening
from hotline.engine.situations import AlertKind as AlertKind  # re-exported: its old home
from hotline.engine.situations import situation_key, situation_of
from hotline.engine.units import METRES_PER_FOOT

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


class AlertStatus(StrEnum):
    ACTIVE = "active"
    CLEARED = "cleared"


class Alert(BaseModel):
    """One situation, from the pass that found it to the pass that cleared it.

    ``evidence`` is the evidence of the latest raised or updated event; ``last_seen`` the last
    pass that saw the situation.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: str
    kind: AlertKind
    key: str
    status: AlertStatus
    raised_at: datetime
    updated_at: datetime
    last_seen: datetime
    cleared_at: datetime | None = None
    updates: int = 0
    evidence: Evidence


class AlertEvent(BaseModel):
    """A change of an alert: ``raised``, ``updated`` (material change) or ``cleared``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    change: Literal["raised", "updated", "cleared"]
    alert: Alert


@dataclass(frozen=True, slots=True)
class TrackerConfig:
    """When an update is material, and how long a situation must be gone to clear."""

    clear_after_s: float = 60.0
    tcpa_change_s: float = 15.0
    distance_change: float = 0.15  # relative change of a distance (dcpa, depth, boundary)
    distance_change_min_m: float = 300.0
    dalt_change_ft: float = 300.0


@dataclass(frozen=True, slots=True)
class Sighting:
    """A situation seen in one pass: its key, kind, a few numbers to compare (predicted moments
    as absolute times, so that a situation developing as predicted does not count as a change)
    and its index in the pass (evidence is built only when an event is emitted)."""

    key: str
    kind: AlertKind
    numbers: tuple[float, ...]
    flags: tuple[bool, ...]
    index: int
    now_s: float


def sightings(
    screening: Screening,
    skip_close: BoolArray | None = None,
    skip_incursions: BoolArray | None = None,
) -> Iterator[Sighting]:
    """Every situation found by a pass (but the close approaches and incursions marked to
    be skipped)."""
    c = screening.conflicts
    now = screening.now_s
    # Whole columns to Python floats at once: element access on arrays is slow at 10^5.
    tcpa, dcpa = (now + c.tcpa_s).tolist(), c.dcpa_m.tolist()
    dalt_ft, tlos = (c.dalt_m / METRES_PER_FOOT).tolist(), (now + c.tlos_s).tolist()
    losing = (c.tlos_s == 0.0).tolist()
    keys = screening.close_approach_keys()
    wanted = range(len(keys)) if skip_close is None else np.flatnonzero(~skip_close).tolist()
    for k in wanted:
        key = keys[k]
        yield Sighting(
            key=key,
            kind=AlertKind.CLOSE_APPROACH,
            numbers=(tcpa[k], dcpa[k], dalt_ft[k], tlos[k]),
            flags=(losing[k],),
            index=k,
            now_s=now,
        )
    inc = screening.incursions
    entry, depth = (now + inc.entry_s).tolist(), inc.depth_m.tolist()
    boundary, inside = inc.distance_to_boundary_m.tolist(), inc.inside.tolist()
    inc_keys = screening.incursion_keys()
    if skip_incursions is None:
        wanted = range(len(inc_keys))
    else:
        wanted = np.flatnonzero(~skip_incursions).tolist()
    for k in wanted:
        yield Sighting(
            key=inc_keys[k],
            kind=AlertKind.INCURSION,
            numbers=(entry[k], depth[k], boundary[k]),
            flags=(inside[k],),
            index=k,
            now_s=now,
        )
    for k, found in enumerate(screening.overlaps):
        first, second = screening.volumes[found.a], screening.volumes[found.b]
        (a_id, a_name), (b_id, b_name) = sorted([(first.id, first.name), (second.id, second.name)])
        yield Sighting(
            key=situation_key(AlertKind.OVERLAP, a_id, a_name, b_id, b_name),
            kind=AlertKind.OVERLAP,
            numbers=(found.area_m2, found.start_s, found.end_s),
            flags=(),
            index=k,
            now_s=now,
        )


def _evidence(screening: Screening, sighting: Sighting) -> CloseApproach | Incursion | Overlap:
    if sighting.kind == AlertKind.CLOSE_APPROACH:
        return screening.close_approach(sighting.index)
    if sighting.kind == AlertKind.INCURSION:
        return screening.incursion(sighting.index)
    return screening.overlap(sighting.index)


@dataclass
class _Active:
    alert: Alert
    numbers: tuple[float, ...] | None  # as of the last emitted event (None: restored)
    flags: tuple[bool, ...] | None
    last_seen_s: float
    pair: tuple[str, str] | None = None  # a close approach's two track ids

    def __post_init__(self) -> None:
        kind, names = situation_of(self.alert.key)
        if kind == AlertKind.CLOSE_APPROACH and len(names) == 2:
            self.pair = (names[0], names[1])


class AlertTracker:
    """Turns a sequence of screening passes into alert events."""

    def __init__(self, config: TrackerConfig = TrackerConfig()) -> None:
        self.config = config
        self._active: dict[str, _Active] = {}

    @property
    def alerts(self) -> list[Alert]:
        """The active alerts, oldest first."""
        return sorted(
            (
                a.alert.model_copy(update={"last_seen": utc(a.last_seen_s)})
                for a in self._active.values()
            ),
            key=lambda a: a.raised_at,
        )

    def active_keys(self) -> set[str]:
        return set(self._active)

    def active_pairs(self) -> dict[str, tuple[str, str]]:
        """The active close approaches: key -> the two track ids (parsed once per alert)."""
        return {key: a.pair for key, a in self._active.items() if a.pair is not None}

    def restore(self, alerts: Iterable[Alert]) -> None:
        """Take back the active alerts kept across a restart. The first pass that sees one's
        situation again continues it (same id, no new event); one not seen again clears after
        ``clear_after_s`` from its ``last_seen``, as it would have."""
        for alert in alerts:
            if alert.status == AlertStatus.ACTIVE:
                self._active[alert.key] = _Active(alert, None, None, alert.last_seen.timestamp())

    def update(self, screening: Screening, held: set[str] | None = None) -> list[AlertEvent]:
        """Events for one pass. ``held`` are keys of active situations the pass did not find
        but that still count as present (within the hysteresis margin): they stay active,
        unchanged."""
        now_s = screening.now_s
        now = utc(now_s)
        events: list[AlertEvent] = []
        # Most close approaches of a steady pass are seen again unchanged: settled in bulk.
        seen: set[str] = set()
        skipped: list[BoolArray] = []
        for keys, numbers, flags, material in (
            (screening.close_approach_keys(), *_close_columns(screening), _close_material),
            (screening.incursion_keys(), *_incursion_columns(screening), _incursion_material),
        ):
            unchanged = self._unchanged(keys, numbers, flags, material, now_s)
            for k in np.flatnonzero(unchanged).tolist():
                seen.add(keys[k])
                self._active[keys[k]].last_seen_s = now_s
            skipped.append(unchanged)
        for sighting in sightings(screening, *skipped):
            if sighting.key in seen:
                continue
            seen.add(sighting.key)
            active = self._active.get(sighting.key)
            if active is None:
                alert = Alert(
                    id=_alert_id(sighting.key, now_s),
                    kind=sighting.kind,
                    key=sighting.key,
                    status=AlertStatus.ACTIVE,
                    raised_at=now,
                    updated_at=now,
                    last_seen=now,
                    evidence=_evidence(screening, sighting),
                )
                self._active[sighting.key] = _Active(alert, sighting.numbers, sighting.flags, now_s)
                events.append(AlertEvent(change="raised", alert=alert))
                continue
            active.last_seen_s = now_s
            if active.numbers is None:  # restored: this pass is its reference again
                active.numbers, active.flags = sighting.numbers, sighting.flags
                continue
            if self._material(sighting, active):
                alert = active.alert.model_copy(
                    update={
                        "updated_at": now,
                        "last_seen": now,
                        "updates": active.alert.updates + 1,
                        "evidence": _evidence(screening, sighting),
                    }
                )
                active.alert, active.numbers, active.flags = alert, sighting.numbers, sighting.flags
                events.append(AlertEvent(change="updated", alert=alert))
        for key in held or set():
            if key in self._active and key not in seen:
                seen.add(key)
                self._active[key].last_seen_s = now_s
        for key in [k for k in self._active if k not in seen]:
            active = self._active[key]
            if now_s - active.last_seen_s >= self.config.clear_after_s:
                del self._active[key]
                cleared = active.alert.model_copy(
                    update={
                        "status": AlertStatus.CLEARED,
                        "cleared_at": now,
                        "last_seen": utc(active.last_seen_s),
                    }
                )
                events.append(AlertEvent(change="cleared", alert=cleared))
        return events

    def _unchanged(
        self,
        keys: list[str],
        numbers: FloatArray,
        flags: BoolArray,
        material: _BulkMaterial,
        now_s: float,
    ) -> BoolArray:
        """Which sightings of one kind continue an active alert without a material change:
        :meth:`_material`'s test on all of them at once (the first sighting of a key only, as
        the loop would see it)."""
        n = len(keys)
        unchanged = np.zeros(n, dtype=np.bool_)
        # One pass in Python over the sightings; the columns are then read by C-level maps.
        known = [
            (k, a.numbers, a.flags[0])
            for k, a in enumerate(map(self._active.get, keys))
            if a is not None and a.numbers is not None and a.flags
        ]
        if not known:
            return unchanged
        m, width = len(known), numbers.shape[1]
        idx = np.fromiter(map(itemgetter(0), known), dtype=np.int64, count=m)
        olds = chain.from_iterable(map(itemgetter(1), known))
        old = np.fromiter(olds, dtype=np.float64, count=m * width).reshape(m, width)
        old_flags = np.fromiter(map(itemgetter(2), known), dtype=np.bool_, count=m)
        changed = material(numbers[idx], flags[idx], old, now_s, self.config)
        unchanged[idx[~((flags[idx] != old_flags) | changed)]] = True
        if len(set(keys)) < n:  # a key given twice: only its first sighting may be settled here
            first = {key: k for k, key in reversed(list(enumerate(keys)))}
            unchanged &= np.array([first[key] == k for k, key in enumerate(keys)], dtype=np.bool_)
        return unchanged

    def _material(self, sighting: Sighting, active: _Active) -> bool:
        """Whether a sighting changes what the alert says: a change of status (loss of
        separation begun, track now inside), or a prediction that moved. Quantities that change
        by themselves as the situation unfolds as predicted (distances after the closest
        approach, the distance to a boundary being approached) do not count."""
        cfg = self.config
        if sighting.flags != active.flags:
            return True
        new, old = sighting.numbers, active.numbers
        assert old is not None  # restored alerts take their numbers before any comparison
        if sighting.kind == AlertKind.CLOSE_APPROACH:
            ahead = new[0] > sighting.now_s and old[0] > sighting.now_s
            return ahead and (
                abs(new[0] - old[0]) > cfg.tcpa_change_s
                or _moved(new[1], old[1], cfg)
                or abs(new[2] - old[2]) > cfg.dalt_change_ft
                or (not sighting.flags[0] and abs(new[3] - old[3]) > cfg.tcpa_change_s)
            )
        if sighting.kind == AlertKind.INCURSION:
            inside = sighting.flags[0]
            return (not inside and abs(new[0] - old[0]) > cfg.tcpa_change_s) or _moved(
                new[1], old[1], cfg
            )
        return new != old


# (new numbers, new flags, old numbers, now, config) -> changed, for sightings whose flags
# did not change: the vectorised twin of AlertTracker._material for one kind.
_BulkMaterial = Callable[[FloatArray, BoolArray, FloatArray, float, TrackerConfig], BoolArray]


def _close_columns(screening: Screening) -> tuple[FloatArray, BoolArray]:
    """The numbers and flag of every close approach, as :func:`sightings` gives them."""
    c, now = screening.conflicts, screening.now_s
    numbers = np.column_stack(
        [now + c.tcpa_s, c.dcpa_m, c.dalt_m / METRES_PER_FOOT, now + c.tlos_s]
    ).reshape(-1, 4)
    return numbers, c.tlos_s == 0.0


def _incursion_columns(screening: Screening) -> tuple[FloatArray, BoolArray]:
    """The numbers and flag of every incursion, as :func:`sightings` gives them."""
    inc, now = screening.incursions, screening.now_s
    numbers = np.column_stack([now + inc.entry_s, inc.depth_m, inc.distance_to_boundary_m]).reshape(
        -1, 3
    )
    return numbers, inc.inside.astype(np.bool_)


def _moved_bulk(new: FloatArray, old: FloatArray, cfg: TrackerConfig) -> BoolArray:
    limit = np.maximum(cfg.distance_change * np.abs(old), cfg.distance_change_min_m)
    moved: BoolArray = np.abs(new - old) > limit
    return moved


def _close_material(
    new: FloatArray, losing: BoolArray, old: FloatArray, now_s: float, cfg: TrackerConfig
) -> BoolArray:
    ahead = (new[:, 0] > now_s) & (old[:, 0] > now_s)
    changed: BoolArray = ahead & (
        (np.abs(new[:, 0] - old[:, 0]) > cfg.tcpa_change_s)
        | _moved_bulk(new[:, 1], old[:, 1], cfg)
        | (np.abs(new[:, 2] - old[:, 2]) > cfg.dalt_change_ft)
        | (~losing & (np.abs(new[:, 3] - old[:, 3]) > cfg.tcpa_change_s))
    )
    return changed


def _incursion_material(
    new: FloatArray, inside: BoolArray, old: FloatArray, now_s: float, cfg: TrackerConfig
) -> BoolArray:
    entry_moved = ~inside & (np.abs(new[:, 0] - old[:, 0]) > cfg.tcpa_change_s)
    changed: BoolArray = entry_moved | _moved_bulk(new[:, 1], old[:, 1], cfg)
    return changed


def _moved(new: float, old: float, cfg: TrackerConfig) -> bool:
    return abs(new - old) > max(cfg.distance_change * abs(old), cfg.distance_change_min_m)


def _alert_id(key: str, raised_s: float) -> str:
    digest = hashlib.sha256(f"{key}@{raised_s!r}".encode()).hexdigest()
    return f"ALERT-{digest[:16].upper()}"
