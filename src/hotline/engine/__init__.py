"""hotline.engine: deconfliction maths over numpy arrays.

Close approaches between tracks (BlueSky's state-based definition, exact on the WGS84
ellipsoid, sub-quadratic), incursions of tracks into volumes, overlaps between notified
volumes, and alerts that stay stable over time. Geodesy happens at the edge (WGS84 lon/lat in,
Earth-centred metres inside); no function reads a clock. See docs/engine.md.

The node uses :class:`Screener`::

    screener = Screener()
    screener.set_volumes(load_volumes("volumes.geojson"))
    screener.upsert(states)              # TrackColumns or a list of TrackState
    for event in screener.update(now_s):  # AlertEvent: raised / updated / cleared
        ...
"""

from hotline.engine.alerts import (
    Alert,
    AlertEvent,
    AlertKind,
    AlertStatus,
    AlertTracker,
    TrackerConfig,
)
from hotline.engine.conflicts import find_conflicts
from hotline.engine.cpa import (
    AIRCRAFT_MINIMA,
    VESSEL_MINIMA,
    Minima,
    PairConflicts,
    brute_force_conflicts,
    evaluate_pairs,
)
from hotline.engine.errors import TrackInputError, VolumeFormatError
from hotline.engine.evidence import CloseApproach, Incursion, Overlap, TrackSnapshot
from hotline.engine.incursions import Incursions, VolumeIndex, find_incursions
from hotline.engine.kinematics import Kinematics
from hotline.engine.overlaps import find_overlaps
from hotline.engine.screener import Screener, ScreenerConfig
from hotline.engine.screening import Screening, ScreeningConfig, screen
from hotline.engine.table import TrackTable
from hotline.engine.tracks import Domain, TrackColumns, TrackState
from hotline.engine.volumes import (
    Volume,
    VolumeFeature,
    VolumeKind,
    load_volumes,
    read_volumes,
    volume_from_json,
)

__all__ = [
    "AIRCRAFT_MINIMA",
    "VESSEL_MINIMA",
    "Alert",
    "AlertEvent",
    "AlertKind",
    "AlertStatus",
    "AlertTracker",
    "CloseApproach",
    "Domain",
    "Incursion",
    "Incursions",
    "Kinematics",
    "Minima",
    "Overlap",
    "PairConflicts",
    "Screener",
    "ScreenerConfig",
    "Screening",
    "ScreeningConfig",
    "TrackColumns",
    "TrackInputError",
    "TrackSnapshot",
    "TrackState",
    "TrackTable",
    "TrackerConfig",
    "Volume",
    "VolumeFeature",
    "VolumeFormatError",
    "VolumeIndex",
    "VolumeKind",
    "brute_force_conflicts",
    "evaluate_pairs",
    "find_conflicts",
    "find_incursions",
    "find_overlaps",
    "load_volumes",
    "read_volumes",
    "screen",
    "volume_from_json",
]
