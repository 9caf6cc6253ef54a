"""hotline's close-approach screening against BlueSky 1.1.1's C state-based detector.

Both get the same random traffic (hotline.engine.synthetic: cruising aircraft at flight levels,
others climbing or descending), the same minima (5 NM, 1,000 ft, 300 s) and all pairs
(hotline's --all-pairs: BlueSky knows no parties). Each pass is timed from the aircraft's
(lon, lat, altitude, speed, course, vertical rate) to the list of conflicting pairs, on one
pinned CPU core, best of several runs; then the two sets of pairs are compared.

BlueSky runs inside its own simulator (``bluesky.init(mode="sim", detached=True)``, aircraft
created with ``traf.cre`` and their state arrays set exactly) with ``CDMETHOD CSTATEBASED``;
what is timed is its ``traf.cd.detect`` call, the C loop over all pairs, without the Python
bookkeeping of ``cd.update``.

BlueSky works on a flat earth: distances on a sphere by an equirectangular approximation, and
both aircraft's velocities in one north-east frame (it ignores that meridians converge, which
turns relative velocities by about the longitude difference times sin(latitude)); hotline
works in the pair's own tangent plane on the WGS84 ellipsoid. Pairs far apart that converge
late in the look-ahead can therefore come out differently. Every pair on which the two
disagree is settled by an exact referee (geodesic dead reckoning with pyproj) and counted.

Run everything (creates .venv-bench with BlueSky on first use): ``bash bench/run-engine-bench``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import Geod

from hotline.engine.conflicts import find_conflicts
from hotline.engine.cpa import AIRCRAFT_MINIMA, Minima
from hotline.engine.synthetic import EUROPE, Area, random_traffic, square_around
from hotline.engine.tracks import TrackColumns

KNIFE_EDGE = 1e-3  # closer than 0.1 % to a minimum or to the look-ahead: a coin toss

Pair = tuple[str, str]


@dataclass(frozen=True)
class Scenario:
    name: str
    area: Area
    sizes: tuple[int, ...]
    with_bluesky: bool = True


SCENARIOS = (
    Scenario("Europe-sized (3,000 x 2,800 km)", EUROPE, (1_000, 2_000, 5_000, 10_000, 20_000)),
    Scenario("dense (400 x 400 km)", square_around(8.0, 47.0, 400.0), (10_000, 15_000, 20_000)),
    Scenario("Europe-sized, hotline alone", EUROPE, (100_000,), with_bluesky=False),
    Scenario("whole world, hotline alone", Area(-180.0, 180.0, -60.0, 70.0), (100_000,), False),
)


@dataclass(frozen=True)
class Comparison:
    """How two sets of conflicting pairs differ, and who is right on each pair that differs.

    ``exactly_at_minimum``: pairs BlueSky reports whose vertical separation is the minimum
    itself for the whole look-ahead (two level aircraft at adjacent flight levels, 1,000 ft =
    304.8 m apart, which floating point sometimes rounds to 304.79999 m): separated, by
    definition. Every other difference goes to an exact referee: both aircraft dead-reckoned
    along their geodesics on the WGS84 ellipsoid (pyproj), separations sampled every
    millisecond around the closest moments. A knife edge is a pair the referee finds within
    0.1 % of a minimum or of the look-ahead.
    """

    common: int
    only_hotline: int
    only_bluesky: int
    exactly_at_minimum: int
    referee_sides_with_hotline: int
    referee_sides_with_bluesky: int
    knife_edge: int

    @property
    def identical(self) -> bool:
        return self.only_hotline == 0 and self.only_bluesky == 0

    def describe(self) -> str:
        if self.identical:
            return "identical"
        parts = [f"{self.common:,} common"]
        if self.exactly_at_minimum:
            parts.append(f"{self.exactly_at_minimum:,} exactly 1,000 ft apart")
        if self.referee_sides_with_hotline:
            parts.append(f"{self.referee_sides_with_hotline:,} referee: hotline right")
        if self.knife_edge:
            parts.append(f"{self.knife_edge:,} knife-edge")
        if self.referee_sides_with_bluesky:
            parts.append(f"**{self.referee_sides_with_bluesky:,} referee: BlueSky right**")
        return "; ".join(parts)


def hotline_pairs(columns: TrackColumns, minima: Minima = AIRCRAFT_MINIMA) -> set[Pair]:
    """The conflicting pairs hotline finds, as sorted id pairs."""
    kin = columns.kinematics(float(columns.time_s[0]))
    found = find_conflicts(kin, minima)
    ids = columns.ids[kin.rows]
    return {_pair(str(ids[a]), str(ids[b])) for a, b in zip(found.a, found.b, strict=True)}


def referee_margin(columns: TrackColumns, a: int, b: int, minima: Minima) -> float:
    """min over t in [0, T] of max(d(t) / R, |dz(t)| / H) - 1, by exact geodesic dead
    reckoning: negative means the pair loses separation within the look-ahead."""
    geod = Geod(ellps="WGS84")
    big_r, big_h, big_t = minima.horizontal_m, minima.vertical_m, minima.lookahead_s

    def closeness(t: np.ndarray) -> np.ndarray:
        lon_a, lat_a, _ = geod.fwd(
            np.full_like(t, columns.lon[a]),
            np.full_like(t, columns.lat[a]),
            np.full_like(t, columns.course_deg[a]),
            columns.speed_ms[a] * t,
        )
        lon_b, lat_b, _ = geod.fwd(
            np.full_like(t, columns.lon[b]),
            np.full_like(t, columns.lat[b]),
            np.full_like(t, columns.course_deg[b]),
            columns.speed_ms[b] * t,
        )
        _, _, dist = geod.inv(lon_a, lat_a, lon_b, lat_b)
        dz = (columns.alt_m[b] - columns.alt_m[a]) + (columns.vrate_ms[b] - columns.vrate_ms[a]) * t
        return np.maximum(np.asarray(dist) / big_r, np.abs(dz) / big_h)

    coarse = np.linspace(0.0, big_t, 601)
    values = closeness(coarse)
    best = float(values.min())
    for t0 in coarse[np.argsort(values)[:3]]:
        fine = np.clip(np.linspace(t0 - 0.5, t0 + 0.5, 1001), 0.0, big_t)
        best = min(best, float(closeness(fine).min()))
    return best - 1.0


def compare_pairs(
    columns: TrackColumns, ours: set[Pair], theirs: set[Pair], minima: Minima = AIRCRAFT_MINIMA
) -> Comparison:
    """Compare two pair sets and settle each difference (see :class:`Comparison`)."""
    row_of = {str(i): k for k, i in enumerate(columns.ids)}
    at_minimum = with_us = with_them = edge = 0
    for pair in sorted((ours - theirs) | (theirs - ours)):
        a, b = row_of[pair[0]], row_of[pair[1]]
        level = columns.vrate_ms[a] == 0.0 and columns.vrate_ms[b] == 0.0
        gap = abs(columns.alt_m[b] - columns.alt_m[a])
        if pair in theirs and level and abs(gap - minima.vertical_m) <= 1e-6:
            at_minimum += 1
            continue
        margin = referee_margin(columns, a, b, minima)
        if abs(margin) < KNIFE_EDGE:
            edge += 1
        elif (margin < 0) == (pair in ours):
            with_us += 1
        else:
            with_them += 1
    return Comparison(
        len(ours & theirs),
        len(ours - theirs),
        len(theirs - ours),
        at_minimum,
        with_us,
        with_them,
        edge,
    )


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def best_time(run: Callable[[], object], repeats: int) -> tuple[float, float, object]:
    """(best seconds, median seconds, result of the last run)."""
    times = []
    result: object = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


class BlueSky:
    """BlueSky 1.1.1 in detached simulation mode, with its C state-based detector."""

    def __init__(self, workdir: Path) -> None:
        import bluesky  # imported here: only the bench environment has it

        workdir.mkdir(parents=True, exist_ok=True)
        bluesky.init(mode="sim", detached=True, workdir=str(workdir))
        from bluesky import stack
        from bluesky.traffic.asas import cstatebased

        stack.stack("CDMETHOD CSTATEBASED")
        stack.process()
        self.bs: Any = bluesky
        if self.bs.traf.cd.detect is not cstatebased.detect:
            raise RuntimeError("BlueSky did not switch to its C state-based detector")
        self.version = getattr(bluesky, "__version__", "1.1.1")

    def load(self, columns: TrackColumns, minima: Minima) -> None:
        traf = self.bs.traf
        traf.reset()
        n = len(columns)
        ids = [str(i) for i in columns.ids]
        traf.cre(
            ids,
            ["B738"] * n,
            columns.lat,
            columns.lon,
            columns.course_deg,
            columns.alt_m,
            columns.speed_ms,
        )
        # Set the states exactly (cre derives ground speed from CAS and altitude).
        traf.lat[:] = columns.lat
        traf.lon[:] = columns.lon
        traf.trk[:] = columns.course_deg
        traf.hdg[:] = columns.course_deg
        traf.gs[:] = columns.speed_ms
        traf.alt[:] = columns.alt_m
        traf.vs[:] = columns.vrate_ms
        traf.cd.rpz[:] = minima.horizontal_m
        traf.cd.hpz[:] = minima.vertical_m
        traf.cd.dtlookahead[:] = minima.lookahead_s

    def detect(self) -> list[tuple[str, str]]:
        traf = self.bs.traf
        result = traf.cd.detect(traf, traf, traf.cd.rpz, traf.cd.hpz, traf.cd.dtlookahead)
        confpairs: list[tuple[str, str]] = result[0]
        return confpairs


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import scipy

    return (
        f"{cpu}, {os.cpu_count()} logical CPUs (runs pinned to one), "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"{platform.system()} {platform.release()}"
    )


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (best of)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(".venv-bench") / "bluesky-work",
        help="BlueSky's working directory (settings, caches)",
    )
    args = parser.parse_args(argv)
    pin_to_one_core()
    bluesky = BlueSky(args.workdir)
    print(f"machine: {machine()}; BlueSky {bluesky.version} (C state-based detector)\n")
    print(
        "| traffic | aircraft | conflicts (BlueSky) | BlueSky 1.1.1 C (s) | hotline (s) "
        "| speed-up | same pairs? |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for scenario in SCENARIOS:
        for n in scenario.sizes:
            if args.quick and n > 2_000:
                continue
            columns = random_traffic(n, scenario.area, seed=args.seed + n)
            ours_s, ours_med, ours = best_time(lambda c=columns: hotline_pairs(c), args.repeats)
            assert isinstance(ours, set)
            if not scenario.with_bluesky:
                print(
                    f"| {scenario.name} | {n:,} | {len(ours):,} | - | {ours_s:.4f} "
                    f"(median {ours_med:.4f}) | - | - |"
                )
                continue
            bluesky.load(columns, AIRCRAFT_MINIMA)
            theirs_s, _, raw = best_time(bluesky.detect, args.repeats)
            assert isinstance(raw, list)
            theirs = {_pair(a, b) for a, b in raw}
            same = compare_pairs(columns, ours, theirs).describe()
            print(
                f"| {scenario.name} | {n:,} | {len(theirs):,} | {theirs_s:.4f} | {ours_s:.4f} | "
                f"{theirs_s / ours_s:.0f}x | {same} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
