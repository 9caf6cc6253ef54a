"""The map's volumes from the cache equal what decoding every stored message gives: two real
nodes over TLS, a few hundred notifications of every catalogue type and marking, amendments,
cancellations, replies and bodies that are no notification, in three languages, before and
after more traffic arrives."""

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hotline.catalogue import encode_body
from hotline.catalogue.examples import examples
from hotline.console.mapdata import MapVolumeCache, map_layers
from hotline.node.runtime import Node
from hotline.protocol.types import Marking, Precedence
from hotline.testing.inprocess import HomePair, until
from hotline.testing.mapdata import decoding_every_message

T0 = dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[tuple[Node, Node]]:
    us, ru = await HomePair.create(tmp_path, T0).start()
    yield us, ru
    await us.stop()
    await ru.stop()


def flight_notice(lon: float, lat: float) -> dict[str, object]:
    start = T0 + dt.timedelta(hours=1)
    return {
        "type": "flight_notice",
        "version": "1.0",
        "purpose": "TRAINING",
        "aircraft": [{"callsigns": ["C1"], "count": 1, "icao24": [], "type_designator": "F16"}],
        "altitude": {"lower": {"fl": 100}, "upper": {"fl": 300}},
        "area": {"type": "Circle", "center": [lon, lat], "radius_km": 20},
        "window": {
            "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end": (start + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    }


def amendment(party: str, number: int, lon: float, lat: float) -> bytes:
    body = {
        "type": "amendment",
        "version": "1.0",
        "amends": {"party": party, "number": number},
        "notification": flight_notice(lon, lat),
        "changed": ["area"],
    }
    return json.dumps(body).encode()


def cancellation(party: str, number: int) -> bytes:
    body = {
        "type": "cancellation",
        "version": "1.0",
        "cancels": {"party": party, "number": number},
        "reason": "ACTIVITY_CANCELLED",
    }
    return json.dumps(body).encode()


def traffic(party: str, first_seq: int, rounds: int) -> list[bytes]:
    """Every catalogue example, flight notices, amendments and cancellations of this party's
    earlier notifications, free text and bodies that are no notification."""
    bodies: list[bytes] = []
    for k in range(rounds):
        bodies += [encode_body(e.notification) for e in examples().values()]
        bodies.append(json.dumps(flight_notice(30 + k * 0.1, 44 + k * 0.05)).encode())
        bodies.append(amendment(party, first_seq + len(bodies) - 1, 31 + k * 0.1, 45))
        bodies.append(cancellation(party, first_seq + k))
        bodies.append(b"not a catalogue body")
        bodies.append(b'{"type": "flight_notice", "version": "1.0"}')  # invalid: no fields
    return bodies


def same_map(node: Node, cache: MapVolumeCache) -> int:
    """Compare the cached map with the decoded one in every language; return the count."""
    counts = set()
    for lang in ("en", "ru", "uk"):
        expected = [v.model_dump(mode="json") for v in decoding_every_message(node, lang)]
        drawn = map_layers(node, lang, None, cache)
        assert [v.model_dump(mode="json") for v in drawn.volumes] == expected
        assert map_layers(node, lang).volumes == drawn.volumes  # and without a cache
        counts.add(len(expected))
    [count] = counts
    return count


async def test_cached_map_volumes_equal_decoding_every_message(pair) -> None:
    us, ru = pair
    cid = await us.create_channel("Black Sea air safety", ["RU"])
    await until(lambda: cid in ru.slots)
    await ru.accept_channel(cid)
    await until(lambda: us.channel(cid).opened and ru.channel(cid).opened)

    sent = await us.notify_many(cid, traffic("US", 1, 3), prec=Precedence.ROUTINE)
    sent += await us.notify_many(
        cid, traffic("US", len(sent) + 1, 2), prec=Precedence.PRIORITY, mark=Marking.EXERCISE
    )
    got = await ru.notify_many(cid, traffic("RU", 1, 3), prec=Precedence.IMMEDIATE)
    reply = json.dumps(flight_notice(33, 43)).encode()  # a reply with an area is drawn too
    await ru.reply(cid, sent[0], reply)
    await ru.acknowledge(cid, sent[1])
    await until(lambda: us.channel(cid).peer_status("RU").receipted >= sent[-1].seq)
    await until(lambda: ru.channel(cid).peer_status("US").receipted >= got[-1].seq + 2)
    assert len(sent) + len(got) > 150

    caches = {us.party: MapVolumeCache(), ru.party: MapVolumeCache()}
    before = {node.party: same_map(node, caches[node.party]) for node in (us, ru)}
    assert before[us.party] == before[ru.party] > 100  # both hold the same messages

    # More traffic, some of it TEST: the caches read only what is new, and still agree.
    more = await us.notify_many(
        cid, traffic("US", len(sent) + 1, 1), prec=Precedence.FLASH, mark=Marking.TEST
    )
    await until(lambda: us.channel(cid).peer_status("RU").receipted >= more[-1].seq)
    after = {node.party: same_map(node, caches[node.party]) for node in (us, ru)}
    assert after[us.party] == after[ru.party] > before[us.party]
    marks = {v.mark for v in map_layers(us, "en", None, caches[us.party]).volumes}
    assert marks == {"REAL", "EXERCISE", "TEST"}
