"""Screening through the node's picture at the sizes of DESIGN.md section 5: 10^5 tracks
updated every second against 10^4 notified volumes, on one pinned core.

    PYTHONPATH=src python bench/screening_bench.py            # realistic density
    PYTHONPATH=src python bench/screening_bench.py --dense    # bench/picture_bench.py's case

Realistic: aircraft spread over a continent (Europe to the Urals with the Mediterranean,
about 75 x 45 degrees), volumes of the sizes notified in practice (sites, circles of 2-25 km,
boxes of 5-50 km, corridors of a few hundred km) with 6-hour windows over two days: most
tracks are in no volume. Dense: bench/picture_bench.py's deliberately dense case (volumes of
5-90 km over 50 x 30 degrees, a third of them active; tracks over the same region).

Times ``Picture.push``: the first pass (alerts raised) and steady passes, every track moved by
one second of flight. Prints figures; asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

import numpy as np

from hotline.engine import Incursion, TrackColumns, TrackState
from hotline.engine.geodesy import lonlat_from_ecef
from hotline.engine.synthetic import Area, random_traffic
from hotline.engine.volumes import Volume, volume_from_json
from hotline.node.picture import Picture

NOW = 1_800_000_000.0
CONTINENT = Area(west=-15.0, east=60.0, south=25.0, north=70.0)
DENSE = Area(west=-10.0, east=40.0, south=30.0, north=60.0)


def _iso(t_s: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t_s))


def _feature(geometry: dict[str, Any], i: int, start_s: float, hours: float, **extra: Any) -> Any:
    props = {
        "id": f"V{i:05d}",
        "party": ("US", "RU")[i % 2],
        "kind": "notified",
        "name": f"volume {i}",
        "alt_lower_ft": 0.0 if i % 3 else 10_000.0,
        "alt_upper_ft": (30_000.0, 45_000.0, 60_000.0)[i % 3],
        "start": _iso(start_s),
        "end": _iso(start_s + hours * 3600),
        **extra,
    }
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _box(lon: float, lat: float, w: float, h: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def realistic_volumes(n: int, seed: int = 1) -> list[Volume]:
    rng = np.random.default_rng(seed)
    features = []
    for i in range(n):
        lon = float(rng.uniform(CONTINENT.west, CONTINENT.east))
        lat = float(rng.uniform(CONTINENT.south, CONTINENT.north))
        start = NOW + float(rng.uniform(-30, 24)) * 3600
        roll = rng.random()
        if roll < 0.3:  # sites: a position and a few hundred metres around it
            point = {"type": "Point", "coordinates": [lon, lat]}
            features.append(_feature(point, i, start, 6, radius_m=500.0, kind="humanitarian_site"))
        elif roll < 0.7:
            point = {"type": "Point", "coordinates": [lon, lat]}
            radius = float(rng.uniform(2_000, 25_000))
            features.append(_feature(point, i, start, 6, radius_m=radius))
        elif roll < 0.95:
            d = float(rng.uniform(0.05, 0.45))
            features.append(_feature(_box(lon, lat, d, d * 0.7), i, start, 6))
        else:
            end = [lon + float(rng.uniform(-3, 3)), lat + float(rng.uniform(-2, 2))]
            line = {"type": "LineString", "coordinates": [[lon, lat], end]}
            features.append(_feature(line, i, start, 6, half_width_m=5_000.0))
    return [volume_from_json(f) for f in features]


def dense_volumes(n: int, seed: int = 7) -> list[Volume]:
    """bench/picture_bench.py's volumes: circles of 5-60 km and squares of 0.1-0.8 degrees
    over 50 x 30 degrees, FL100-FL300, 4-hour windows starting within 6 hours of now."""
    rng = np.random.default_rng(seed)
    features = []
    for i in range(n):
        lon = float(rng.uniform(DENSE.west, DENSE.east))
        lat = float(rng.uniform(DENSE.south, DENSE.north))
        start = NOW + float(rng.uniform(-6, 6)) * 3600
        band = {"alt_lower_ft": 10_000.0, "alt_upper_ft": 30_000.0}
        if i % 2:
            point = {"type": "Point", "coordinates": [lon, lat]}
            radius = float(rng.uniform(5_000, 60_000))
            features.append(_feature(point, i, start, 4, radius_m=radius, **band))
        else:
            d = float(rng.uniform(0.1, 0.8))
            features.append(_feature(_box(lon, lat, d, d), i, start, 4, **band))
    return [volume_from_json(f) for f in features]


def states(columns: TrackColumns, dt_s: float) -> list[TrackState]:
    """Every track ``dt_s`` later, moved along its course."""
    moved = [columns.state(k) for k in range(len(columns))]
    if dt_s == 0:
        return moved
    kin = columns.kinematics(NOW + dt_s)
    lon, lat = lonlat_from_ecef(kin.pos)
    alt_m = kin.alt_m
    out = []
    for k, row in enumerate(kin.rows.tolist()):
        s = moved[row]
        out.append(
            TrackState(
                s.id,
                s.party,
                NOW + dt_s,
                float(lon[k]),
                float(lat[k]),
                float(alt_m[k]) / 0.3048,
                s.speed_kt,
                s.course_deg,
                s.vrate_fpm,
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--volumes", type=int, default=10_000)
    parser.add_argument("--passes", type=int, default=5, help="steady passes")
    parser.add_argument("--dense", action="store_true")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    area = DENSE if args.dense else CONTINENT
    make = dense_volumes if args.dense else realistic_volumes
    volumes = make(args.volumes)
    parties = ("US", "RU", "UA", "TR")
    traffic = random_traffic(args.tracks, area, seed=7, time_s=NOW, parties=parties)
    picture = Picture()
    start = time.perf_counter()
    picture.screener.set_volumes(volumes)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    events = picture.push(states(traffic, 0))
    first_s = time.perf_counter() - start
    incursions = sum(isinstance(a.evidence, Incursion) for a in picture.alerts())
    steady, steady_cpu = [], []
    for k in range(1, args.passes + 1):
        batch = states(traffic, float(k))
        start, start_cpu = time.perf_counter(), time.process_time()
        picture.push(batch)
        steady.append(time.perf_counter() - start)
        steady_cpu.append(time.process_time() - start_cpu)
    kind = "dense" if args.dense else "realistic"
    print(f"{kind}: {args.tracks:,} tracks x {len(volumes):,} volumes (set in {load_s:.2f} s)")
    print(f"first pass {first_s:.3f} s ({len(events):,} alerts raised, {incursions:,} incursions)")
    print(
        f"steady pass: best {min(steady):.3f} s, median {statistics.median(steady):.3f} s wall; "
        f"best {min(steady_cpu):.3f} s, median {statistics.median(steady_cpu):.3f} s CPU"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
