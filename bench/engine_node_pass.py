"""One screening pass at the sizes the node is designed for: 10^5 live tracks and 10^4 notified
volumes over a Europe-sized area, on one pinned core.

The volumes are a mix a busy deconfliction channel could hold: circles (sites, launch and
impact areas) of 2-20 km, boxes (exercise areas) of 10-60 km, corridors 100-400 km long, and
a few national airspaces thousands of km across; altitude bands and time windows vary.
Prints the time of each part of a pass; run with ``python bench/engine_node_pass.py``.
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
NATIONAL = 5  # how many of the volumes are national airspaces (set by --national)


def _feature(geometry: dict[str, Any], i: int, rng: np.random.Generator, **extra: Any) -> dict[str, Any]:
    lower = float(rng.choice([0.0, 0.0, 5_000.0, 10_000.0]))
    upper = float(rng.choice([10_000.0, 30_000.0, 60_000.0]))
    start = NOW + float(rng.uniform(-6, 6)) * 3600
    props = {
        "id": f"V{i:05d}",
        "party": str(rng.choice(["A", "B", "C"])),
        "kind": extra.pop("kind", "notified"),
        "name": f"volume {i}",
        "alt_lower_ft": lower,
        "alt_upper_ft": max(upper, lower + 1_000.0),
        "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start)),
        "end": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + 12 * 3600)),
        **extra,
    }
    return {"type": "Feature", "geometry": geometry, "properties": props}


def notified_volumes(n: int, seed: int = 0) -> list[Volume]:
    rng = np.random.default_rng(seed)
    features = []
    for i in range(n):
        lon = float(rng.uniform(EUROPE.west, EUROPE.east))
        lat = float(rng.uniform(EUROPE.south, EUROPE.north))
        roll = rng.random()
        if i < NATIONAL:  # national airspaces
            w, h = 15.0, 10.0
            ring = [[lon - w / 2, lat - h / 2], [lon + w / 2, lat - h / 2],
                    [lon + w / 2, lat + h / 2], [lon - w / 2, lat + h / 2],
                    [lon - w / 2, lat - h / 2]]
            features.append(_feature({"type": "Polygon", "coordinates": [ring]}, i, rng,
                                     kind="airspace", approximate=True, start=None, end=None))
        elif roll < 0.70:
            features.append(_feature({"type": "Point", "coordinates": [lon, lat]}, i, rng,
                                     radius_m=float(rng.uniform(2_000, 20_000))))
        elif roll < 0.95:
            d = float(rng.uniform(0.1, 0.6))
            ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d * 0.6], [lon, lat + d * 0.6],
                    [lon, lat]]
            features.append(_feature({"type": "Polygon", "coordinates": [ring]}, i, rng))
        else:
            line = [[lon, lat], [lon + float(rng.uniform(-3, 3)), lat + float(rng.uniform(-2, 2))]]
            features.append(_feature({"type": "LineString", "coordinates": line}, i, rng,
                                     half_width_m=float(rng.uniform(2_000, 10_000))))
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
    parser.add_argument("--national", type=int, default=5, help="national airspaces among them")
    args = parser.parse_args(argv)
    global NATIONAL
    NATIONAL = args.national
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    start = time.perf_counter()
    volumes = notified_volumes(args.volumes)
    load_s = time.perf_counter() - start
    index_s, _, index = timed(lambda: VolumeIndex(volumes), 1)
    overlap_s, _, overlaps = timed(lambda: find_overlaps(volumes), 1)
    assert isinstance(index, VolumeIndex) and isinstance(overlaps, list)
    tracks = random_traffic(args.tracks, EUROPE, seed=7, time_s=NOW)
    config = ScreeningConfig()
    best, median, result = timed(lambda: screen(tracks, index, NOW, config, overlaps), args.repeats)
    no_volumes, _, _ = timed(lambda: screen(tracks, None, NOW, config, []), args.repeats)
    print(f"{args.volumes:,} volumes ({args.national} national airspaces): read {load_s:.2f} s, indexed {index_s:.2f} s, "
          f"{len(overlaps):,} overlaps found in {overlap_s:.2f} s (once per change of volumes)")
    print(f"pass over {args.tracks:,} tracks: best {best:.3f} s, median {median:.3f} s "
          f"(without volumes: {no_volumes:.3f} s); found {len(result.conflicts):,} close "
          f"approaches, {len(result.incursions):,} incursions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
