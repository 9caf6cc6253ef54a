"""``hotline screen``: screen a track file (and volumes) once, print what the engine finds."""

from __future__ import annotations

import json
import math
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from hotline.engine.cpa import Minima
from hotline.engine.incursions import VolumeIndex
from hotline.engine.screening import Screening, ScreeningConfig, screen
from hotline.engine.tracks import TrackColumns, TrackState
from hotline.engine.volumes import load_volumes
from hotline.feeds.files import TrackFormat, read_tracks
from hotline.feeds.parties import PartyRules
from hotline.feeds.result import FeedResult
from hotline.feeds.tabular import parse_time

_SHOWN_PROBLEMS = 5


def _positive(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not (math.isfinite(value) and value > 0):
        raise click.BadParameter(f"must be a positive number, not {value}")
    return value


def _when(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _iso(time_s: float) -> str:
    return datetime.fromtimestamp(time_s, tz=UTC).isoformat().replace("+00:00", "Z")


def latest_states(states: list[TrackState], at_s: float) -> list[TrackState]:
    """The newest state of each track at or before ``at_s``."""
    newest: dict[str, TrackState] = {}
    for state in states:
        if state.time_s <= at_s:
            known = newest.get(state.id)
            if known is None or state.time_s >= known.time_s:
                newest[state.id] = state
    return list(newest.values())


@click.command("screen")
@click.option(
    "--tracks",
    "tracks_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Track file: CSV (id,party,time,lon,lat,alt_ft,speed_kt,course_deg,vrate_fpm), "
    "SBS, AIS NMEA, Cursor-on-Target XML, GeoJSON, JSON Lines or a traffic recording; "
    "may be gzip-compressed.",
)
@click.option(
    "--volumes",
    "volumes_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="GeoJSON FeatureCollection of volumes (docs/decisions.md section 2).",
)
@click.option(
    "--lookahead-s",
    default=300.0,
    show_default=True,
    callback=_positive,
    help="Look-ahead for aircraft, seconds.",
)
@click.option(
    "--sep-nm",
    default=5.0,
    show_default=True,
    callback=_positive,
    help="Horizontal separation minimum for aircraft, nautical miles.",
)
@click.option(
    "--sep-ft",
    default=1000.0,
    show_default=True,
    callback=_positive,
    help="Vertical separation minimum, feet.",
)
@click.option(
    "--all-pairs",
    is_flag=True,
    help="Ignore parties: screen every pair (to compare with other detectors).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in TrackFormat]),
    help="Track file format (default: from the file name or content).",
)
@click.option(
    "--parties",
    "parties_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Party rules (TOML) for tracks whose party the file does not give.",
)
@click.option(
    "--at",
    "at_s",
    callback=_when,
    help="Screening time, ISO 8601 UTC or epoch seconds (default: the newest state in the file).",
)
@click.option(
    "--max-age-s",
    default=60.0,
    show_default=True,
    callback=_positive,
    help="States older than this at the screening time are not screened.",
)
@click.option(
    "--sea-sep-nm",
    default=1.0,
    show_default=True,
    callback=_positive,
    help="Horizontal separation minimum between ships, nautical miles.",
)
@click.option(
    "--sea-lookahead-s",
    default=720.0,
    show_default=True,
    callback=_positive,
    help="Look-ahead between ships, seconds.",
)
@click.option("--strict", is_flag=True, help="Fail on the first line that cannot be decoded.")
def command(
    tracks_path: Path,
    volumes_path: Path | None,
    lookahead_s: float,
    sep_nm: float,
    sep_ft: float,
    all_pairs: bool,
    as_json: bool,
    fmt: str | None,
    parties_path: Path | None,
    at_s: float | None,
    max_age_s: float,
    sea_sep_nm: float,
    sea_lookahead_s: float,
    strict: bool,
) -> None:
    """Screen tracks for close approaches, incursions into volumes and overlaps of volumes."""
    rules = PartyRules.load(parties_path) if parties_path else PartyRules()
    receive_time = at_s if at_s is not None else datetime.now(UTC).timestamp()
    feed = read_tracks(tracks_path, rules, TrackFormat(fmt) if fmt else None, receive_time)
    if strict:
        feed.raise_first_problem()
    volumes = load_volumes(volumes_path) if volumes_path else []
    if at_s is None:
        at_s = max((s.time_s for s in feed.states), default=receive_time)
    states = latest_states(feed.states, at_s)
    config = ScreeningConfig(
        aircraft=Minima.from_nm_ft(sep_nm, sep_ft, lookahead_s),
        vessels=Minima.from_nm_ft(sea_sep_nm, sep_ft, sea_lookahead_s),
        all_pairs=all_pairs,
        max_age_s=max_age_s,
    )
    result = screen(TrackColumns.from_states(states), VolumeIndex(volumes), at_s, config)
    _warn(feed, as_json)
    if as_json:
        click.echo(json.dumps(report(result, feed), ensure_ascii=False, indent=1))
    else:
        _print_tables(result, feed)


def _warn(feed: FeedResult, as_json: bool) -> None:
    if not feed.problems:
        return
    first = "; ".join(str(p) for p in feed.problems[:_SHOWN_PROBLEMS])
    more = len(feed.problems) - _SHOWN_PROBLEMS
    tail = f"; and {more} more" if more > 0 else ""
    click.echo(
        f"warning: {len(feed.problems)} of {feed.lines} lines of {feed.source} skipped: "
        f"{first}{tail}",
        err=True,
    )


def report(result: Screening, feed: FeedResult) -> dict[str, object]:
    """The JSON document ``hotline screen --json`` prints."""
    conflicts = []
    for k in range(len(result.conflicts)):
        ev = result.close_approach(k)
        first, second = sorted((ev.a, ev.b), key=lambda s: s.id)
        conflicts.append(
            {
                "a": first.id,
                "b": second.id,
                "party_a": first.party,
                "party_b": second.party,
                "tcpa_s": ev.tcpa_s,
                "dcpa_nm": ev.dcpa_nm,
                "dalt_ft": ev.dalt_ft,
                "tlos_s": ev.tlos_s,
                "cpa_time": _iso(result.now_s + ev.tcpa_s),
                "cpa_position": list(ev.cpa_position),
            }
        )
    incursions = []
    for k in range(len(result.incursions)):
        inc = result.incursion(k)
        props = inc.volume.properties
        incursions.append(
            {
                "track": inc.track.id,
                "party": inc.track.party,
                "volume": props.id,
                "volume_name": props.name,
                "volume_party": props.party,
                "volume_kind": props.kind.value,
                "inside": inc.inside,
                "entry_s": inc.entry_s,
                "depth_m": inc.depth_m,
                "distance_to_boundary_m": inc.distance_to_boundary_m,
                "entry_position": list(inc.entry_position),
                "approximate": inc.approximate,
            }
        )
    conflicts.sort(key=lambda c: (c["tlos_s"], c["a"], c["b"]))  # most urgent first
    overlaps = []
    for k in range(len(result.overlaps)):
        ov = result.overlap(k)
        overlaps.append(
            {
                "a": ov.a.properties.id,
                "a_name": ov.a.properties.name,
                "a_party": ov.a.properties.party,
                "b": ov.b.properties.id,
                "b_name": ov.b.properties.name,
                "b_party": ov.b.properties.party,
                "area_km2": ov.area_km2,
                "alt_lower_ft": ov.alt_lower_ft,
                "alt_upper_ft": ov.alt_upper_ft,
                "start": _iso(ov.start.timestamp()) if ov.start else None,
                "end": _iso(ov.end.timestamp()) if ov.end else None,
                "approximate": ov.approximate,
                "region": ov.region.model_dump(),
            }
        )
    incursions.sort(key=lambda i: (i["entry_s"], i["track"], i["volume"]))
    cfg = result.config
    return {
        "screened_at": _iso(result.now_s),
        "tracks": len(result.kin),
        "stale": result.stale,
        "invalid": result.invalid,
        "volumes": len(result.volumes),
        "all_pairs": cfg.all_pairs,
        "minima": {
            "aircraft": _minima(cfg.aircraft),
            "vessels": _minima(cfg.vessels),
        },
        "conflicts": conflicts,
        "incursions": incursions,
        "overlaps": overlaps,
        "feed_problems": {
            "count": len(feed.problems),
            "lines": feed.lines,
            "first": [{"line": p.line, "error": p.reason} for p in feed.problems[:20]],
        },
    }


def _minima(m: Minima) -> dict[str, float]:
    return {
        "sep_nm": round(m.horizontal_m / 1852.0, 6),
        "sep_ft": round(m.vertical_m / 0.3048, 3),
        "lookahead_s": m.lookahead_s,
    }


def _print_tables(result: Screening, feed: FeedResult) -> None:
    from rich.console import Console
    from rich.table import Table

    # Wide enough for ids and times when written to a file or a pipe.
    console = Console(file=sys.stdout, highlight=False, width=None if sys.stdout.isatty() else 160)
    data = report(result, feed)
    console.print(
        f"Screened {data['tracks']} tracks and {data['volumes']} volumes at "
        f"{data['screened_at']} ({data['stale']} stale, {data['invalid']} invalid): "
        f"{len(result.conflicts)} close approaches, {len(result.incursions)} incursions, "
        f"{len(result.overlaps)} overlaps."
    )
    conflicts = data["conflicts"]
    assert isinstance(conflicts, list)
    if conflicts:
        table = Table(title="Close approaches")
        for name in ("a", "b", "parties", "CPA in (s)", "CPA (NM)", "dalt (ft)", "LoS in (s)"):
            table.add_column(name, justify="right" if "(" in name else "left")
        for c in conflicts:
            table.add_row(
                str(c["a"]),
                str(c["b"]),
                f"{c['party_a']} / {c['party_b']}",
                f"{c['tcpa_s']:.0f}",
                f"{c['dcpa_nm']:.2f}",
                f"{c['dalt_ft']:.0f}",
                f"{c['tlos_s']:.0f}",
            )
        console.print(table)
    incursions = data["incursions"]
    assert isinstance(incursions, list)
    if incursions:
        table = Table(title="Incursions")
        for name in (
            "track",
            "party",
            "volume",
            "status",
            "entry in (s)",
            "depth (m)",
            "to edge (m)",
        ):
            table.add_column(name, justify="right" if "(" in name else "left")
        for i in incursions:
            volume = f"{i['volume']} {i['volume_name']} ({i['volume_party']})"
            if i["approximate"]:
                volume += " [approximate]"
            table.add_row(
                str(i["track"]),
                str(i["party"]),
                volume,
                "inside" if i["inside"] else "entering",
                f"{i['entry_s']:.0f}",
                f"{i['depth_m']:.0f}",
                f"{i['distance_to_boundary_m']:.0f}",
            )
        console.print(table)
    overlaps = data["overlaps"]
    assert isinstance(overlaps, list)
    if overlaps:
        table = Table(title="Overlapping activities")
        for name in ("a", "b", "area (km2)", "band (ft)", "from", "until"):
            table.add_column(name, justify="right" if "(" in name else "left")
        for o in overlaps:
            band = f"{_ft(o['alt_lower_ft'], 'SFC')}-{_ft(o['alt_upper_ft'], 'UNL')}"
            table.add_row(
                f"{o['a']} {o['a_name']} ({o['a_party']})",
                f"{o['b']} {o['b_name']} ({o['b_party']})",
                f"{o['area_km2']:.1f}",
                band,
                str(o["start"] or "-"),
                str(o["end"] or "-"),
            )
        console.print(table)


def _ft(value: object, open_name: str) -> str:
    return open_name if value is None else f"{value:.0f}"
