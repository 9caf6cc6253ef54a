"""The public surfaces of hotline.engine and hotline.feeds are what their __all__ says."""

from __future__ import annotations

import importlib

import pytest

ENGINE = {
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
}
FEEDS = {
    "AisDecoder",
    "FeedFormatError",
    "FeedLineError",
    "FeedResult",
    "PartyRules",
    "PartyRulesError",
    "SbsDecoder",
    "TrackFormat",
    "decode_ais",
    "decode_cot",
    "decode_csv",
    "decode_geojson",
    "decode_jsonl",
    "decode_recording",
    "decode_sbs",
    "mid_of",
    "parse_time",
    "read_tracks",
    "sniff",
}


@pytest.mark.parametrize(
    ("module", "names"), [("hotline.engine", ENGINE), ("hotline.feeds", FEEDS)]
)
def test_public_names_are_pinned(module: str, names: set[str]) -> None:
    package = importlib.import_module(module)
    assert set(package.__all__) == names
    for name in names:
        assert getattr(package, name) is not None


def test_errors_derive_from_the_one_tree() -> None:
    from hotline.engine import TrackInputError, VolumeFormatError
    from hotline.errors import EngineInputError, FeedError
    from hotline.feeds import FeedFormatError, FeedLineError, PartyRulesError

    assert issubclass(TrackInputError, EngineInputError)
    assert issubclass(VolumeFormatError, EngineInputError)
    for error in (FeedFormatError, FeedLineError, PartyRulesError):
        assert issubclass(error, FeedError)
