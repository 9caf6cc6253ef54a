"""Which party a track belongs to, from rules kept in a TOML file.

The file (see docs/engine.md, "Party rules")::

    default = "unknown"                  # party of tracks no rule matches (optional)

    [parties.CH]
    ids = ["4b1806", "269057000"]        # explicit track ids: ICAO address, MMSI, CoT uid
    callsigns = ["SUI", "SWISS"]         # callsign prefixes
    icao24 = ["4B0000-4B7FFF"]           # ICAO 24-bit address ranges (hex, inclusive)
    icao24_countries = ["CH"]            # the ICAO allocation of these states (ISO 3166)
    mmsi_mids = [269]                    # MMSI maritime identification digits
    mmsi_countries = ["CH"]              # all MIDs of these states (ITU list, as in pyais)

Rules are tried from the most specific to the least: explicit ids, then callsign prefixes
(longest first), then ICAO address ranges (narrowest first), then MMSI MIDs, then the default.
A track no rule claims belongs to ``unknown``, which the engine screens against every party,
including other unknown tracks.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from pyais.constants import COUNTRY_MAPPING

from hotline.engine.tracks import UNKNOWN_PARTY
from hotline.feeds.errors import PartyRulesError
from hotline.feeds.icao_blocks import ICAO24_BLOCKS

K = TypeVar("K", str, int)

_KEYS: Final = {"ids", "callsigns", "icao24", "icao24_countries", "mmsi_mids", "mmsi_countries"}


def mid_of(mmsi: int) -> int | None:
    """The maritime identification digits of an MMSI (ITU-R M.585), None if it has none."""
    text = f"{mmsi:09d}"
    if len(text) != 9:
        return None
    if text.startswith("111"):  # SAR aircraft: 111 MID xxx
        digits = text[3:6]
    elif (
        text.startswith("98") or text.startswith("99") or text.startswith("00")
    ):  # craft associated with a parent ship
        digits = text[2:5]
    elif text.startswith("0"):  # group of ships
        digits = text[1:4]
    elif text.startswith("8") or text.startswith("97"):  # handheld VHF, SART/MOB/EPIRB
        return None
    else:
        digits = text[0:3]
    mid = int(digits)
    return mid if 201 <= mid <= 775 else None


@dataclass(frozen=True)
class PartyRules:
    """Compiled party rules; :meth:`party_of` answers for one track."""

    ids: Mapping[str, str] = field(default_factory=dict)
    callsigns: tuple[tuple[str, str], ...] = ()
    icao24: tuple[tuple[int, int, str], ...] = ()
    mids: Mapping[int, str] = field(default_factory=dict)
    default: str = UNKNOWN_PARTY

    def party_of(
        self,
        track_id: str,
        *,
        callsign: str = "",
        icao24: int | None = None,
        mmsi: int | None = None,
    ) -> str:
        party = self.ids.get(track_id.strip().lower())
        if party is not None:
            return party
        sign = callsign.strip().upper()
        if sign:
            for prefix, owner in self.callsigns:
                if sign.startswith(prefix):
                    return owner
        if icao24 is not None:
            for low, high, owner in self.icao24:
                if low <= icao24 <= high:
                    return owner
        if mmsi is not None:
            mid = mid_of(mmsi)
            if mid is not None and mid in self.mids:
                return self.mids[mid]
        return self.default

    @classmethod
    def from_toml(cls, text: str, source: str = "party rules") -> PartyRules:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PartyRulesError(f"{source}: not valid TOML: {exc}") from None
        unknown = set(data) - {"default", "parties"}
        if unknown:
            raise PartyRulesError(
                f"{source}: unknown key {sorted(unknown)[0]!r}; the file has 'default' and "
                "[parties.NAME] tables"
            )
        default = data.get("default", UNKNOWN_PARTY)
        if not isinstance(default, str) or not default:
            raise PartyRulesError(f"{source}: 'default' must be a non-empty party name")
        parties = data.get("parties", {})
        if not isinstance(parties, dict):
            raise PartyRulesError(f"{source}: 'parties' must be tables like [parties.US]")
        ids: dict[str, str] = {}
        callsigns: dict[str, str] = {}
        ranges: list[tuple[int, int, str]] = []
        mids: dict[int, str] = {}
        for party, rules in parties.items():
            where = f"{source}: [parties.{party}]"
            if not isinstance(rules, dict):
                raise PartyRulesError(f"{where} must be a table")
            bad = set(rules) - _KEYS
            if bad:
                raise PartyRulesError(
                    f"{where}: unknown key {sorted(bad)[0]!r}; allowed: {', '.join(sorted(_KEYS))}"
                )
            for track_id in _strings(rules, "ids", where):
                _claim(ids, track_id.strip().lower(), party, f"{where} ids")
            for prefix in _strings(rules, "callsigns", where):
                _claim(callsigns, prefix.strip().upper(), party, f"{where} callsigns")
            for text_range in _strings(rules, "icao24", where):
                low, high = _hex_range(text_range, where)
                ranges.append((low, high, party))
            for country in _strings(rules, "icao24_countries", where):
                blocks = ICAO24_BLOCKS.get(country.upper())
                if blocks is None:
                    raise PartyRulesError(
                        f"{where}: no ICAO address block known for {country!r}; give its range "
                        "in 'icao24' instead"
                    )
                ranges.extend((low, high, party) for low, high in blocks)
            for mid in _ints(rules, "mmsi_mids", where):
                if not 201 <= mid <= 775:
                    raise PartyRulesError(f"{where}: MID {mid} is outside 201..775")
                _claim(mids, mid, party, f"{where} mmsi_mids")
            for country in _strings(rules, "mmsi_countries", where):
                found = [m for m, (code, _) in COUNTRY_MAPPING.items() if code == country.upper()]
                if not found:
                    raise PartyRulesError(f"{where}: no MID known for country {country!r}")
                for mid in found:
                    _claim(mids, mid, party, f"{where} mmsi_countries")
        ranges.sort(key=lambda r: (r[1] - r[0], r[0]))
        return cls(
            ids=ids,
            callsigns=tuple(sorted(callsigns.items(), key=lambda kv: -len(kv[0]))),
            icao24=tuple(ranges),
            mids=mids,
            default=default,
        )

    @classmethod
    def load(cls, path: str | Path) -> PartyRules:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PartyRulesError(f"{path}: cannot be read: {exc}") from None
        return cls.from_toml(text, str(path))


def _strings(rules: Mapping[str, object], key: str, where: str) -> list[str]:
    value = rules.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PartyRulesError(f"{where}: {key!r} must be a list of non-empty strings")
    return [str(v) for v in value]


def _ints(rules: Mapping[str, object], key: str, where: str) -> list[int]:
    value = rules.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise PartyRulesError(f"{where}: {key!r} must be a list of integers")
    return [int(v) for v in value]


def _claim(table: dict[K, str], key: K, party: str, where: str) -> None:
    owner = table.get(key)
    if owner is not None and owner != party:
        raise PartyRulesError(f"{where}: {key!r} is already claimed by party {owner!r}")
    table[key] = party


def _hex_range(text: str, where: str) -> tuple[int, int]:
    low_text, sep, high_text = text.partition("-")
    try:
        low = int(low_text.strip(), 16)
        high = int(high_text.strip(), 16) if sep else low
    except ValueError:
        raise PartyRulesError(
            f"{where}: icao24 range {text!r} must be hex like '4B0000-4B7FFF'"
        ) from None
    if not 0 <= low <= high <= 0xFFFFFF:
        raise PartyRulesError(f"{where}: icao24 range {text!r} is not within 000000-FFFFFF")
    return low, high
