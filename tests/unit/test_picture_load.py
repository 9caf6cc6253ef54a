"""A bulk load of notified volumes computes their overlaps and index off the picture's lock:
tracks are pushed and screened meanwhile, and the new volumes arrive whole, in one swap."""

import json
import random
import threading
from datetime import UTC, datetime

import pytest

import hotline.engine.screener as screener_module
from hotline.engine import Incursion, TrackState
from hotline.engine.overlaps import find_overlaps
from hotline.node.picture import Picture
from hotline.node.volume_feed import NotifiedMessage

CH = "c0ffee00" + "0" * 56
START_S = datetime(2026, 11, 26, 6, tzinfo=UTC).timestamp()


def iso(t_s: float) -> str:
    return datetime.fromtimestamp(t_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def notices(count: int, seed: int = 3) -> list[NotifiedMessage]:
    """US and RU flight notices, circles of 10-40 km over the Black Sea (many overlap)."""
    rng = random.Random(seed)
    found = []
    for k in range(count):
        body = {
            "type": "flight_notice",
            "version": "1.0",
            "purpose": "TRAINING",
            "aircraft": [{"callsigns": ["C1"], "count": 1, "icao24": [], "type_designator": "F16"}],
            "altitude": {"lower": {"fl": 100}, "upper": {"fl": 300}},
            "area": {
                "type": "Circle",
                "center": [round(rng.uniform(30, 38), 3), round(rng.uniform(42, 46), 3)],
                "radius_km": round(rng.uniform(10, 40), 1),
            },
            "window": {"start": iso(START_S), "end": iso(START_S + 4 * 3600)},
        }
        sender = "US" if k % 2 else "RU"
        found.append(NotifiedMessage(CH, sender, k + 1, "REAL", json.dumps(body).encode()))
    return found


def ua_track(lon: float, lat: float) -> TrackState:
    return TrackState("UA-1", "UA", START_S + 600, lon, lat, 20_000, 300, 0)


def test_a_push_completes_while_a_bulk_load_computes_overlaps(monkeypatch) -> None:
    picture = Picture()
    computing, resume = threading.Event(), threading.Event()

    def paused_find_overlaps(*args, **kwargs):  # the real computation, held in the middle
        computing.set()
        resume.wait()
        return find_overlaps(*args, **kwargs)

    monkeypatch.setattr(screener_module, "find_overlaps", paused_find_overlaps)
    messages = notices(300)
    loader = threading.Thread(target=picture.apply, args=(messages,))
    loader.start()
    try:
        computing.wait()
        # The loader is inside the overlap computation: the lock is free, a push screens now
        # against the volumes as they were (none yet: no alert).
        lock_free = picture._lock.acquire(blocking=False)
        if lock_free:
            picture._lock.release()
            events = picture.push([ua_track(34.0, 44.0)])
            assert events == []
            assert picture.screener.volumes == []
    finally:
        resume.set()
        loader.join()
    assert lock_free, "the bulk load held the picture's lock while computing overlaps"

    # The whole load arrived in one swap, overlaps included, and is screened at once.
    volumes = picture.screener.volumes
    assert len(volumes) == len(messages)
    expected = find_overlaps(volumes)
    found = sorted((o.a, o.b) for o in picture.screener._set.overlaps)
    assert found == sorted((o.a, o.b) for o in expected)
    assert len(expected) > 0
    centre = json.loads(messages[0].body)["area"]["center"]
    events = picture.push([ua_track(*centre)])
    assert any(isinstance(e.alert.evidence, Incursion) for e in events)


@pytest.mark.parametrize("seed", [1, 2])
def test_volume_changes_keep_the_overlaps_a_full_computation_finds(seed: int) -> None:
    """Added in batches, amended, removed: the kept overlaps, renumbered, plus the new ones are
    exactly the overlaps of the final volumes computed from scratch."""
    rng = random.Random(seed)
    picture = Picture()
    messages = notices(120, seed)
    for first in range(0, 120, 40):
        picture.apply(messages[first : first + 40])
    before = {v.id for v in picture.screener.volumes}
    gone = {v.id for v in rng.sample(picture.screener.volumes, 30)}
    picture.screener.remove_volumes(gone)
    again = notices(10, seed + 100)  # the ids of the first ten: they replace them
    added = [v for m in again for v in picture.notified.apply([m]).added]
    picture.screener.add_volumes(added)
    volumes = picture.screener.volumes
    kept = sorted((o.a, o.b) for o in picture.screener._set.overlaps)
    assert kept == sorted((o.a, o.b) for o in find_overlaps(volumes))
    assert {v.id for v in volumes} == (before - gone) | {v.id for v in added}
    assert len(volumes) == len({v.id for v in volumes})  # a replaced volume is not kept twice
