"""The node's picture at the sizes of DESIGN.md section 5: 10^4 notified volumes, 10^5 tracks.

    PYTHONPATH=src python bench/picture_bench.py

Prints figures; asserts nothing about speed. Measures: giving the engine 10^4 notifications
(decode, volumes, index, overlaps: what a node does at start, in its keeper thread), one
screening pass over 10^5 tracks against them, and writing / reading 10^5 track states in a
real SQLite store (WAL, synchronous=FULL).
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from hotline.engine import TrackState
from hotline.node.picture import Picture
from hotline.node.volume_feed import NotifiedMessage
from hotline.storage.picture_store import PictureStore
from hotline.storage.sqlite import open_sqlite_store

T0 = datetime(2026, 11, 26, 6, tzinfo=UTC).timestamp()
CHANNEL = "ab" * 32


def iso(t_s: float) -> str:
    return datetime.fromtimestamp(t_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def notification(rng: random.Random, k: int) -> NotifiedMessage:
    lon, lat = rng.uniform(-10, 40), rng.uniform(30, 60)
    start = T0 + rng.uniform(-6, 6) * 3600
    if k % 2:
        area: dict[str, object] = {
            "type": "Circle",
            "center": [round(lon, 4), round(lat, 4)],
            "radius_km": round(rng.uniform(5, 60), 1),
        }
    else:
        d = rng.uniform(0.1, 0.8)
        ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
        area = {"type": "Polygon", "coordinates": [[[round(x, 4), round(y, 4)] for x, y in ring]]}
    body = {
        "type": "flight_notice",
        "version": "1.0",
        "purpose": "TRAINING",
        "aircraft": [{"callsigns": [f"C{k}"], "count": 1, "icao24": [], "type_designator": "F16"}],
        "altitude": {"lower": {"fl": 100}, "upper": {"fl": 300}},
        "area": area,
        "window": {"start": iso(start), "end": iso(start + 4 * 3600)},
    }
    sender = "US" if k % 3 else "RU"
    return NotifiedMessage(CHANNEL, sender, k + 1, "REAL", json.dumps(body).encode())


def tracks(rng: random.Random, n: int, t_s: float) -> list[TrackState]:
    return [
        TrackState(
            f"T{k:06d}",
            rng.choice(["US", "RU", "UA"]),
            t_s,
            rng.uniform(-10, 40),
            rng.uniform(30, 60),
            rng.uniform(5_000, 35_000),
            rng.uniform(150, 480),
            rng.uniform(0, 360),
            callsign=f"C{k}",
        )
        for k in range(n)
    ]


def main() -> None:
    rng = random.Random(7)
    messages = [notification(rng, k) for k in range(10_000)]
    picture = Picture()
    # A feed pushes one track every 10 ms while the volumes load: how long can a push wait?
    loading, waits = threading.Event(), []
    probe = tracks(random.Random(1), 1, T0)

    def feed() -> None:
        while not loading.wait(0.01):
            start = time.perf_counter()
            picture.push(probe)
            waits.append(time.perf_counter() - start)

    feeder = threading.Thread(target=feed)
    feeder.start()
    start = time.perf_counter()
    change = picture.apply(messages)
    took = time.perf_counter() - start
    loading.set()
    feeder.join()
    print(f"10^4 notifications -> {len(change.added)} volumes in the engine: {took:6.2f} s")
    print(
        f"a track push meanwhile ({len(waits)} pushes): longest {max(waits):.3f} s, "
        f"median {statistics.median(waits) * 1e3:.1f} ms"
    )
    picture = Picture()  # the measures below start from an empty picture, as before
    picture.apply(messages)

    states = tracks(rng, 100_000, T0)
    start = time.perf_counter()
    events = picture.push(states)
    took = time.perf_counter() - start
    print(f"push + screen 10^5 tracks x 10^4 volumes: {took:6.2f} s ({len(events)} alerts raised)")
    later = [replace(s, time_s=s.time_s + 1) for s in states]
    start = time.perf_counter()
    events = picture.push(later)
    took = time.perf_counter() - start
    print(f"the same, 1 s later (alerts kept):         {took:6.2f} s ({len(events)} events)")

    with tempfile.TemporaryDirectory() as tmp:
        store = open_sqlite_store(Path(tmp) / "store.db")
        pictures = PictureStore(store.engine)
        for round_ in ("insert", "update"):
            batch = tracks(rng, 100_000, T0 + (1 if round_ == "update" else 0))
            start = time.perf_counter()
            pictures.save_tracks(batch)
            took = time.perf_counter() - start
            print(f"store 10^5 track states ({round_}): {took:6.2f} s, {1e5 / took:9.0f} /s")
        start = time.perf_counter()
        loaded = pictures.tracks()
        took = time.perf_counter() - start
        print(f"read back {len(loaded)} track states: {took:6.2f} s")
        alerts = picture.alerts()
        start = time.perf_counter()
        pictures.save_alerts(alerts)
        took = time.perf_counter() - start
        print(f"store {len(alerts)} alerts with evidence: {took:6.2f} s")
        store.close()


if __name__ == "__main__":
    main()
