"""One screening pass at the sizes the node is designed for: 10^5 live tracks and 10^4 notified
volumes over a Europe-sized area, on one pinned core.

The volumes are a mix a busy deconfliction channel could hold (see ``notified_volumes``):
sites, circles and boxes of a few km to a few tens, corridors, national airspaces a thousand
km across; altitude bands and time windows vary. ``--stress`` makes them cover about half of
Europe at once. Prints the time of a pass; run with ``python bench/engine_node_pass.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from hotline.engine.incursions import VolumeIndex
from hotline.engine.overlaps import find_overlaps
from hotline.engine.screening import ScreeningConfig, screen
from hotline.engine.synthetic import EUROPE, random_traffic
from hotline.engine.volumes import Volume, volume_from_json

NOW = 1_800_000_000.0


def _feature(
    geometry: dict[str, Any],
    i: int,
    rng: np.random.Generator,
    spread_h: float,
    hours: float,
    **extra: Any,
) -> dict[str, Any]:
    lower = float(rng.choice([0.0, 0.0, 5_000.0, 10_000.0]))
    upper = float(rng.choice([10_000.0, 30_000.0, 60_000.0]))
    start = NOW + float(rng.uniform(-spread_h, spread_h)) * 3600
    props = {
        "id": f"V{i:05d}",
        "party": str(rng.choice(["A", "B", "C"])),
        "kind": "notified",
        "name": f"volume {i}",
        "alt_lower_ft": lower,
        "alt_upper_ft": max(upper, lower + 1_000.0),
        "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start)),
        "end": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + hours * 3600)),
        **extra,
    }
    return {"type": "Feature", "geometry": geometry, "properties": props}


def notified_volumes(
    n: int, national: int = 2, stress: bool = False, seed: int = 0
) -> list[Volume]:
    """``n`` volumes. Typical: many sites (points and small circles), areas of 5-30 km, a few
    corridors, 6-hour windows spread over two days. Stress: circles up to 20 km and boxes up
    to 60 km, 12-hour windows over 12 hours (about half of Europe covered at any time)."""
    rng = np.random.default_rng(seed)
    spread_h, hours = (6.0, 12.0) if stress else (24.0, 6.0)
    features = []
    for i in range(n):
        lon = float(rng.uniform(EUROPE.west, EUROPE.east))
        lat = float(rng.uniform(EUROPE.south, EUROPE.north))
        roll = rng.random()
        if i < national:
            w, h = 15.0, 10.0
            ring = [
                [lon - w / 2, lat - h / 2],
                [lon + w / 2, lat - h / 2],
                [lon + w / 2, lat + h / 2],
                [lon - w / 2, lat + h / 2],
                [lon - w / 2, lat - h / 2],
            ]
            features.append(
                _feature(
                    {"type": "Polygon", "coordinates": [ring]},
                    i,
                    rng,
                    spread_h,
                    hours,
                    kind="airspace",
                    approximate=True,
                    start=None,
                    end=None,
                )
            )
        elif not stress and roll < 0.4:  # sites: a position, or a few hundred metres around it
            features.append(
                _feature(
                    {"type": "Point", "coordinates": [lon, lat]},
                    i,
                    rng,
                    spread_h,
                    hours,
                    kind="humanitarian_site",
                    radius_m=float(rng.choice([0.0, 500.0])),
                    start=None,
                    end=None,
                )
            )
        elif roll < 0.75:
            radius = float(rng.uniform(2_000, 20_000 if stress else 10_000))
            features.append(
                _feature(
                    {"type": "Point", "coordinates": [lon, lat]},
                    i,
                    rng,
                    spread_h,
                    hours,
                    radius_m=radius,
                )
            )
        elif roll < 0.95:
            d = float(rng.uniform(0.1, 0.6) if stress else rng.uniform(0.05, 0.3))
            ring = [
                [lon, lat],
                [lon + d, lat],
                [lon + d, lat + d * 0.6],
                [lon, lat + d * 0.6],
                [lon, lat],
            ]
            features.append(
                _feature({"type": "Polygon", "coordinates": [ring]}, i, rng, spread_h, hours)
            )
        else:
            line = [[lon, lat], [lon + float(rng.uniform(-2, 2)), lat + float(rng.uniform(-1, 1))]]
            features.append(
                _feature(
                    {"type": "LineString", "coordinates": line},
                    i,
                    rng,
                    spread_h,
                    hours,
                    half_width_m=float(rng.uniform(2_000, 5_000)),
                )
            )
    return [volume_from_json(f) for f in features]


def timed(run: Callable[[], object], repeats: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--volumes", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--national", type=int, default=2, help="national airspaces among them")
    parser.add_argument("--stress", action="store_true", help="volumes covering half of Europe")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    start = time.perf_counter()
    volumes = notified_volumes(args.volumes, args.national, args.stress)
    load_s = time.perf_counter() - start
    index_s, _, index = timed(lambda: VolumeIndex(volumes), 1)
    overlap_s, _, overlaps = timed(lambda: find_overlaps(volumes), 1)
    assert isinstance(index, VolumeIndex)
    assert isinstance(overlaps, list)
    tracks = random_traffic(args.tracks, EUROPE, seed=7, time_s=NOW)
    config = ScreeningConfig()
    best, median, result = timed(lambda: screen(tracks, index, NOW, config, overlaps), args.repeats)
    no_volumes, _, _ = timed(lambda: screen(tracks, None, NOW, config, []), args.repeats)
    kind = "stress" if args.stress else "typical"
    print(
        f"{args.volumes:,} {kind} volumes ({args.national} national airspaces): "
        f"read {load_s:.2f} s, indexed {index_s:.2f} s, "
        f"{len(overlaps):,} overlaps found in {overlap_s:.2f} s (once per change of volumes)"
    )
    print(
        f"pass over {args.tracks:,} tracks: best {best:.3f} s, median {median:.3f} s "
        f"(without volumes: {no_volumes:.3f} s); found {len(result.conflicts):,} close "
        f"approaches, {len(result.incursions):,} incursions"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
