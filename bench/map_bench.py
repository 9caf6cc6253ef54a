"""The console's map endpoint at DESIGN.md sizes: 10^4 notifications in a channel.

    PYTHONPATH=src python bench/map_bench.py [--notifications 10000]

Two real nodes over loopback TLS (SQLite stores in a temporary folder); US notifies 10^4
flight notices (circles and boxes over Europe). Times ``map_layers`` as it was (every message
of every channel decoded on each call), with a cold cache (the first call after start) and with
a warm one (every later call, the console's refreshes), and the JSON the endpoint sends.
Prints figures; asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hotline.console.mapdata import MapLayers, MapVolumeCache, map_layers
from hotline.protocol.types import Precedence
from hotline.testing.inprocess import HomePair
from hotline.testing.mapdata import decoding_every_message

T0 = dt.datetime.now(dt.UTC).replace(microsecond=0)


def notice(rng: random.Random, k: int) -> bytes:
    lon, lat = rng.uniform(-10, 40), rng.uniform(35, 60)
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
    start = T0 + dt.timedelta(hours=rng.uniform(1, 48))
    body = {
        "type": "flight_notice",
        "version": "1.0",
        "purpose": "TRAINING",
        "aircraft": [{"callsigns": [f"C{k}"], "count": 1, "icao24": [], "type_designator": "F16"}],
        "altitude": {"lower": {"fl": 100}, "upper": {"fl": 300}},
        "area": area,
        "window": {
            "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end": (start + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    }
    return json.dumps(body).encode()


def timed(run: Callable[[], object], repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        us, ru = await HomePair.create(Path(tmp), T0).start()
        try:
            cid = await us.create_channel("bench", ["RU"])
            while cid not in ru.slots:
                await asyncio.sleep(0.05)
            await ru.accept_channel(cid)
            while not us.channel(cid).opened:
                await asyncio.sleep(0.05)
            rng = random.Random(7)
            bodies = [notice(rng, k) for k in range(count)]
            for first in range(0, count, 1_000):
                await us.notify_many(cid, bodies[first : first + 1_000], prec=Precedence.ROUTINE)
            await us.stop()  # a quiet node: only the map is measured
            await ru.stop()

            cache = MapVolumeCache()
            old_s, _ = await asyncio.to_thread(
                timed,
                lambda: MapLayers(volumes=decoding_every_message(us, "en"), tracks=[], alerts=[]),
                3,
            )
            cold_s, _ = await asyncio.to_thread(timed, lambda: map_layers(us, "en", None, cache), 1)
            warm_s, warm_median_s = await asyncio.to_thread(
                timed, lambda: map_layers(us, "en", None, cache), 10
            )
            layers = map_layers(us, "en", None, cache)
            same = layers == MapLayers(
                volumes=decoding_every_message(us, "en"), tracks=[], alerts=[]
            )
            json_s, _ = timed(layers.model_dump_json, 5)
            size = len(layers.model_dump_json())
            print(f"{count:,} notifications, {len(layers.volumes):,} volumes on the map")
            print(f"before: every message decoded on each call   {old_s:7.3f} s")
            print(f"cache, first call (decodes every message)    {cold_s:7.3f} s")
            later = f"{warm_s * 1e3:7.1f} ms (median {warm_median_s * 1e3:.1f} ms)"
            print(f"cache, later calls                           {later}")
            print(f"the same volumes as before: {same}")
            print(f"JSON of the answer: {json_s * 1e3:.0f} ms, {size / 1e6:.1f} MB")
        finally:
            await us.stop()
            await ru.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=10_000)
    asyncio.run(main(parser.parse_args().notifications))
