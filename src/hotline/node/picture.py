"""The node's live picture: tracks pushed by operators or feeds, the channels' notified volumes,
screened by the engine, and kept in the node's store.

Time is the feed's: each push screens at the newest state time seen so far, so a scenario
played faster than real time (``hotline demo --speed 20``) still dead-reckons consistently.
One lock guards the screener: pushes come from API threads.

A keeper thread (:meth:`Picture.start`) loads the picture at start (tracks, active alerts, every
notified volume: off the API's path), then every ``interval_s`` reads the notifications stored
since (:mod:`hotline.node.volume_feed`) and writes the tracks and alerts that changed, in
batches (docs/decisions.md section 15). :meth:`Picture.close` writes what is left.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from hotline.console.mapdata import AlertOut, TrackOut
from hotline.engine import (
    Alert,
    AlertEvent,
    CloseApproach,
    Incursion,
    Overlap,
    Screener,
    TrackState,
)
from hotline.errors import HotlineError
from hotline.node.volume_feed import NotifiedMessage, NotifiedVolumes, VolumeChange
from hotline.storage.picture_store import PictureStore

__all__ = ["Picture", "alert_out", "track_out"]

log = logging.getLogger("hotline.picture")


class Picture:
    """A :class:`Screener` with its own clock (the newest state time), a lock, the notified
    volumes and, given a store, persistence."""

    def __init__(self, screener: Screener | None = None, store: PictureStore | None = None) -> None:
        self.screener = screener or Screener()
        self.store = store
        self.notified = NotifiedVolumes()
        self.now_s = 0.0
        self.loaded = threading.Event()
        self._callsigns: dict[str, str] = {}  # the track table keeps kinematics only
        self._lock = threading.Lock()
        self._cursor = 0  # storage order (n) of the last notification read
        self._dirty_tracks: dict[str, TrackState] = {}
        self._dirty_alerts: dict[str, Alert] = {}
        self._writing = threading.Lock()
        self._stop = threading.Event()
        self._keeper: threading.Thread | None = None

    # --- tracks in, alerts out ------------------------------------------------------------

    def push(self, states: Sequence[TrackState]) -> list[AlertEvent]:
        """Store ``states`` and screen at the newest time seen; returns what changed."""
        with self._lock:
            if states:
                self.now_s = max(self.now_s, max(s.time_s for s in states))
                self.screener.upsert(states)
                self._callsigns.update((s.id, s.callsign) for s in states if s.callsign)
                if self.store is not None:
                    dirty = self._dirty_tracks
                    for s in states:
                        kept = dirty.get(s.id)
                        if kept is None or kept.time_s <= s.time_s:
                            dirty[s.id] = s
            return self._screen()

    def alerts(self) -> list[Alert]:
        with self._lock:
            return list(self.screener.alerts)

    def tracks(self) -> list[TrackOut]:
        with self._lock:
            columns = self.screener.tracks.columns()
            states = [columns.state(row) for row in range(len(columns))]
            labels = {s.id: self._callsigns.get(s.id, s.id) for s in states}
        return [track_out(s, labels[s.id]) for s in states]

    def mark_of(self, alert: Alert) -> str:
        """REAL, or EXERCISE when a volume behind the alert was notified as exercise traffic."""
        evidence = alert.evidence
        if isinstance(evidence, Incursion):
            return self.notified.mark_of(evidence.volume.properties.id)
        if isinstance(evidence, Overlap):
            marks = {self.notified.mark_of(f.properties.id) for f in (evidence.a, evidence.b)}
            return "EXERCISE" if "EXERCISE" in marks else "REAL"
        return "REAL"

    def _screen(self) -> list[AlertEvent]:
        """One pass at ``now_s``; called with the lock held."""
        events = self.screener.update(self.now_s)
        if self.store is not None:
            self._dirty_alerts.update((e.alert.id, e.alert) for e in events)
        return events

    # --- notified volumes -----------------------------------------------------------------

    def sync(self) -> VolumeChange:
        """Give the engine the volumes of the notifications stored since the last call (all of
        them, the first time), and forget the ended ones."""
        if self.store is None:
            return VolumeChange()
        found: list[NotifiedMessage] = []
        while page := self.store.notifications_after(self._cursor):
            self._cursor = page[-1][0]
            found += [message for _, message in page]
        return self.apply(found)

    def apply(self, messages: Sequence[NotifiedMessage]) -> VolumeChange:
        """Notifications, in storage order, into the engine's volumes (decoded off the lock)."""
        change = self.notified.apply(messages)
        ended = self.notified.expire(self.now_s)
        change.added = [v for v in change.added if v.id not in ended]
        change.removed |= ended
        if change:
            # Overlaps among 10^4 new volumes take about a second: computed here, off the
            # lock, so pushes go on meanwhile; only the swap and one pass happen under it.
            prepared = self.screener.prepare_volumes(change.added, change.removed)
            with self._lock:
                if not self.screener.swap_volumes(prepared):  # changed meanwhile: redo here
                    redo = self.screener.prepare_volumes(change.added, change.removed)
                    self.screener.swap_volumes(redo)
                if len(self.screener.tracks):
                    self._screen()
        return change

    # --- kept in the store ----------------------------------------------------------------

    def load(self) -> None:
        """Take back the stored tracks and active alerts, then every notified volume."""
        if self.store is not None:
            states = self.store.tracks()
            alerts = self.store.alerts(active_only=True)
            with self._lock:
                if states:
                    self.now_s = max(self.now_s, max(s.time_s for s in states))
                    self.screener.upsert(states)
                    self._callsigns.update((s.id, s.callsign) for s in states if s.callsign)
                self.screener.restore_alerts(alerts)
            self.sync()
        self.loaded.set()

    def flush(self) -> tuple[int, int]:
        """Write the tracks and alerts changed since the last flush; returns how many."""
        if self.store is None:
            return 0, 0
        with self._writing:
            with self._lock:
                tracks, self._dirty_tracks = self._dirty_tracks, {}
                alerts, self._dirty_alerts = self._dirty_alerts, {}
            try:
                self.store.save_tracks(list(tracks.values()))
                self.store.save_alerts(list(alerts.values()))
            except SQLAlchemyError:
                with self._lock:  # keep them for the next flush, unless newer came meanwhile
                    for key, state in tracks.items():
                        self._dirty_tracks.setdefault(key, state)
                    for key, alert in alerts.items():
                        self._dirty_alerts.setdefault(key, alert)
                raise
        return len(tracks), len(alerts)

    def start(self, interval_s: float = 0.5) -> None:
        """Load in the background, then keep volumes and store up to date every ``interval_s``."""
        self._keeper = threading.Thread(
            target=self._keep, args=(interval_s,), name="picture-keeper", daemon=True
        )
        self._keeper.start()

    def close(self, timeout_s: float = 30.0) -> None:
        """Stop the keeper and write what is left (before the store closes)."""
        self._stop.set()
        if self._keeper is not None:
            self._keeper.join(timeout_s)
        if self.loaded.is_set():
            self.flush()

    def _keep(self, interval_s: float) -> None:
        try:
            self.load()
        except (HotlineError, SQLAlchemyError):
            log.exception("the picture could not be loaded from the store; starting empty")
            self.loaded.set()
        while not self._stop.wait(interval_s):
            try:
                self.sync()
                self.flush()
            except (HotlineError, SQLAlchemyError):
                log.exception("the picture keeper failed; retrying")


def track_out(state: TrackState, label: str = "") -> TrackOut:
    return TrackOut(
        id=state.id,
        party=state.party,
        label=label or state.callsign or state.id,
        coordinates=(state.lon, state.lat),
        alt_ft=state.alt_ft,
        at=state.time.isoformat().replace("+00:00", "Z"),
    )


def alert_out(alert: Alert, mark: str = "REAL") -> AlertOut:
    """An alert as the map draws it: for a close approach, the two positions at the closest
    approach and a line saying when and how close; for an incursion, where the track enters
    and which notification's volume it enters."""
    evidence = alert.evidence
    if isinstance(evidence, CloseApproach):
        text = (
            f"{evidence.a.id} / {evidence.b.id}: {evidence.dcpa_nm:.1f} NM, "
            f"{abs(evidence.dalt_ft):.0f} ft apart at {evidence.cpa_time:%H:%MZ}"
        )
        points: tuple[tuple[float, float], ...] = (evidence.cpa_a, evidence.cpa_b)
        return AlertOut(id=alert.id, kind="proximity", text=text, coordinates=points, mark=mark)
    if isinstance(evidence, Incursion):
        volume = evidence.volume.properties
        where = "inside" if evidence.inside else "enters"
        text = (
            f"{evidence.track.id} ({evidence.track.party}) {where} {volume.name}, "
            f"notified by {volume.party} ({volume.id}), at {evidence.entry_time:%H:%MZ}"
        )
        return AlertOut(
            id=alert.id,
            kind="incursion",
            text=text,
            coordinates=(evidence.track.position, evidence.entry_position),
            mark=mark,
        )
    if isinstance(evidence, Overlap):
        a, b = evidence.a.properties, evidence.b.properties
        text = f"{a.name} ({a.id}, {a.party}) overlaps {b.name} ({b.id}, {b.party})"
        return AlertOut(id=alert.id, kind="overlap", text=text, coordinates=(), mark=mark)
    return AlertOut(id=alert.id, kind=str(alert.kind), text=alert.key, coordinates=(), mark=mark)
