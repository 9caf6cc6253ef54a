"""Small track builders shared by the engine tests."""

from __future__ import annotations

from hotline.engine.tracks import TrackColumns, TrackState

NOW = 1_800_000_000.0  # 2027-01-15T08:00:00Z


def columns(*states: TrackState) -> TrackColumns:
    return TrackColumns.from_states(list(states))


def state(
    track_id: str,
    lon: float,
    lat: float,
    *,
    party: str = "A",
    alt_ft: float = 30_000.0,
    speed_kt: float = 0.0,
    course_deg: float = 0.0,
    vrate_fpm: float = 0.0,
    time_s: float = NOW,
) -> TrackState:
    return TrackState(
        id=track_id,
        party=party,
        time_s=time_s,
        lon=lon,
        lat=lat,
        alt_ft=alt_ft,
        speed_kt=speed_kt,
        course_deg=course_deg,
        vrate_fpm=vrate_fpm,
    )
