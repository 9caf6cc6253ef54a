"""The node's live picture: tracks pushed by operators or feeds, screened by the engine.

Time is the feed's: each push screens at the newest state time seen so far, so a scenario
played faster than real time (``hotline demo --speed 20``) still dead-reckons consistently.
One lock guards the screener: pushes come from API threads.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from hotline.console.mapdata import AlertOut, TrackOut
from hotline.engine import Alert, AlertEvent, CloseApproach, Screener, TrackState

__all__ = ["Picture", "alert_out", "track_out"]


class Picture:
    """A :class:`Screener` with its own clock (the newest state time) and a lock."""

    def __init__(self, screener: Screener | None = None) -> None:
        self.screener = screener or Screener()
        self.now_s = 0.0
        self._callsigns: dict[str, str] = {}  # the track table keeps kinematics only
        self._lock = threading.Lock()

    def push(self, states: Sequence[TrackState]) -> list[AlertEvent]:
        """Store ``states`` and screen at the newest time seen; returns what changed."""
        with self._lock:
            if states:
                self.now_s = max(self.now_s, max(s.time_s for s in states))
                self.screener.upsert(states)
                self._callsigns.update((s.id, s.callsign) for s in states if s.callsign)
            return self.screener.update(self.now_s)

    def alerts(self) -> list[Alert]:
        with self._lock:
            return list(self.screener.alerts)

    def tracks(self) -> list[TrackOut]:
        with self._lock:
            columns = self.screener.tracks.columns()
            states = [columns.state(row) for row in range(len(columns))]
            labels = {s.id: self._callsigns.get(s.id, s.id) for s in states}
        return [track_out(s, labels[s.id]) for s in states]


def track_out(state: TrackState, label: str = "") -> TrackOut:
    return TrackOut(
        id=state.id,
        party=state.party,
        label=label or state.callsign or state.id,
        coordinates=(state.lon, state.lat),
        alt_ft=state.alt_ft,
        at=state.time.isoformat().replace("+00:00", "Z"),
    )


def alert_out(alert: Alert) -> AlertOut:
    """An alert as the map draws it: for a close approach, the two positions at the closest
    approach and a line saying when and how close."""
    evidence = alert.evidence
    if isinstance(evidence, CloseApproach):
        text = (
            f"{evidence.a.id} / {evidence.b.id}: {evidence.dcpa_nm:.1f} NM, "
            f"{abs(evidence.dalt_ft):.0f} ft apart at {evidence.cpa_time:%H:%MZ}"
        )
        points: tuple[tuple[float, float], ...] = (evidence.cpa_a, evidence.cpa_b)
        return AlertOut(id=alert.id, kind="proximity", text=text, coordinates=points)
    return AlertOut(id=alert.id, kind=str(alert.kind), text=alert.key, coordinates=())
