"""hotline.feeds: track states from real formats, and the party each track belongs to.

    result = read_tracks("feed.nmea", PartyRules.load("parties.toml"), receive_time_s=now)
    result.states     # list[TrackState], in the order read
    result.problems   # list[FeedLineError]: every line that could not be used, with its number

Formats: SBS/BaseStation (dump1090 port 30003), AIS NMEA (pyais), Cursor-on-Target XML
(defusedxml), CSV, GeoJSON, JSON Lines, and recorded ADS-B in the traffic library's JSON.
See docs/engine.md.
"""

from hotline.feeds.ais import AisDecoder, decode_ais
from hotline.feeds.cot import decode_cot
from hotline.feeds.errors import FeedFormatError, FeedLineError, PartyRulesError
from hotline.feeds.files import TrackFormat, read_tracks, sniff
from hotline.feeds.parties import PartyRules, mid_of
from hotline.feeds.result import FeedResult
from hotline.feeds.sbs import SbsDecoder, decode_sbs
from hotline.feeds.tabular import (
    decode_csv,
    decode_geojson,
    decode_jsonl,
    decode_recording,
    parse_time,
)

__all__ = [
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
]
