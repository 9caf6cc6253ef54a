"""What each finding carries as evidence: both track states, the volumes, the geometry.

These are typed, immutable, JSON-serialisable records (pydantic), built only for what is
reported, so that the node can turn a close approach into a proximity-alert notification (or an
incursion into an incident report) in one step: every number a notification needs is here,
in the units notifications use, next to the raw states it was computed from.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from hotline.engine.tracks import Domain, TrackState
from hotline.engine.volumes import (
    MultiPolygonGeometry,
    PointGeometry,
    PolygonGeometry,
    VolumeFeature,
)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


LonLat = tuple[float, float]


def utc(time_s: float) -> datetime:
    return datetime.fromtimestamp(time_s, tz=UTC)


class TrackSnapshot(_Record):
    """A track's state as it was reported (not dead-reckoned)."""

    id: str
    party: str
    time: datetime
    position: LonLat
    alt_ft: float
    speed_kt: float
    course_deg: float
    vrate_fpm: float
    domain: Domain

    @classmethod
    def of(cls, state: TrackState) -> TrackSnapshot:
        return cls(
            id=state.id,
            party=state.party,
            time=state.time,
            position=(state.lon, state.lat),
            alt_ft=round(state.alt_ft, 1),
            speed_kt=round(state.speed_kt, 1),
            course_deg=round(state.course_deg, 1),
            vrate_fpm=round(state.vrate_fpm, 1),
            domain=state.domain,
        )


class MinimaUsed(_Record):
    sep_nm: float
    sep_ft: float
    lookahead_s: float


class CloseApproach(_Record):
    """A predicted loss of separation between two tracks (BlueSky's state-based definition).

    ``tcpa_s``/``cpa_time``: when the horizontal distance is smallest; ``dcpa_m``: that distance;
    ``dalt_ft``: the vertical separation then; ``tlos_s``/``los_time``: when both minima are
    first infringed (0 / ``computed_at`` if they already are); ``los_end_s``: when the loss of
    separation ends (None: it does not, on straight lines). ``cpa_a``/``cpa_b``: where each
    track is at the closest approach; ``cpa_position`` is their midpoint.
    """

    kind: Literal["close_approach"] = "close_approach"
    a: TrackSnapshot
    b: TrackSnapshot
    computed_at: datetime
    tcpa_s: float
    cpa_time: datetime
    dcpa_m: float
    dcpa_nm: float
    dalt_ft: float
    tlos_s: float
    los_time: datetime
    los_end_s: float | None
    cpa_position: LonLat
    cpa_a: LonLat
    cpa_b: LonLat
    minima: MinimaUsed


class Incursion(_Record):
    """A track inside a volume, or predicted to enter it within the look-ahead.

    ``approximate`` is the volume's own flag (a national layer that is not authoritative).
    """

    kind: Literal["incursion"] = "incursion"
    track: TrackSnapshot
    volume: VolumeFeature
    computed_at: datetime
    inside: bool
    entry_s: float
    entry_time: datetime
    entry_position: LonLat
    depth_m: float
    distance_to_boundary_m: float
    lookahead_s: float
    approximate: bool


class Overlap(_Record):
    """Two notified activities that share space, height and time.

    ``region`` is the shared footprint (a Point when one volume is a site given as a point);
    the band and window are the shared ones (None: unlimited / open-ended).
    """

    kind: Literal["overlap"] = "overlap"
    a: VolumeFeature
    b: VolumeFeature
    computed_at: datetime
    region: PolygonGeometry | MultiPolygonGeometry | PointGeometry
    area_km2: float
    alt_lower_ft: float | None
    alt_upper_ft: float | None
    start: datetime | None
    end: datetime | None
    approximate: bool


Evidence = Annotated[CloseApproach | Incursion | Overlap, Field(discriminator="kind")]
