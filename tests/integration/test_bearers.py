"""A peer reached directly and through a relay: failover, FLASH on every bearer, back-off."""

import datetime as dt
import hashlib
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.node.bearers import DirectBearer, RelayBearer
from hotline.node.peer_link import PeerLink
from hotline.node.relay import RelayService
from hotline.protocol.envelope import KeyTable, Kind, make_header, seal
from hotline.protocol.sealed import hpke_public_key, open_item, parse_item
from hotline.protocol.types import Marking, Precedence
from hotline.storage.relay_store import RelayStore
from hotline.storage.sqlite import migrate, sqlite_engine
from hotline.testing.faultproxy import FaultProxy
from hotline.transport.batch import pack_batch, unpack_batch
from hotline.transport.link import LinkClient, LinkServer, Reply
from hotline.transport.relay_client import RelayClient
from hotline.transport.tls import (
    client_context,
    node_tls_certificate,
    private_key_pem,
    server_context,
)

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def now_ms() -> int:
    return int(time.time() * 1000)


class Node:
    def __init__(self, tmp: Path, name: str) -> None:
        self.name = name
        self.key = Ed25519PrivateKey.generate()
        self.public = self.key.public_key().public_bytes_raw()
        self.cert = node_tls_certificate(self.key, name, "n1", T0)
        self.cert_file, self.key_file = tmp / f"{name}.pem", tmp / f"{name}.key"
        self.cert_file.write_bytes(self.cert)
        self.key_file.write_bytes(private_key_pem(self.key))
        ml, xk = mlkem.MLKEM768PrivateKey.generate(), x25519.X25519PrivateKey.generate()
        self.hpke_private = hpke.MLKEM768X25519PrivateKey(ml, xk)
        self.hpke_public = hpke_public_key(
            ml.public_key().public_bytes_raw() + xk.public_key().public_bytes_raw()
        )


def envelope(node: Node, seq: int) -> bytes:
    body = b"notice %d" % seq
    header = make_header(
        channel="cd" * 32,
        sender=node.name,
        seq=seq,
        prev=None if seq == 1 else "ab" * 32,
        seen={},
        now_ms=seq,
        kind=Kind.NOTIFICATION,
        body=body,
        prec=Precedence.FLASH,
        mark=Marking.EXERCISE,
    )
    return seal(header, body, node.key, hashlib.sha256(node.public).digest()).raw


@pytest.fixture
async def world(tmp_path: Path):
    us, ru, relay = Node(tmp_path, "US"), Node(tmp_path, "RU"), Node(tmp_path, "RELAY")
    keys = KeyTable()
    for n in (us, ru):
        keys.add(n.name, n.public)
    received: list[bytes] = []

    async def ru_listener(method: str, path: str, body: bytes, _peer: bytes | None) -> Reply:
        batch = unpack_batch(body, keys, me="RU")
        received.extend(batch.envelopes)
        answers = [
            b"receipt for " + hashlib.sha256(e).digest()[:4].hex().encode() for e in batch.envelopes
        ]
        return Reply(200, pack_batch("RU", "US", now_ms(), answers, ru.key))

    ru_server = LinkServer(
        ru_listener, ssl_context=server_context(ru.cert_file, ru.key_file, [us.cert])
    )
    _, ru_port = await ru_server.start("127.0.0.1", 0)
    proxy = FaultProxy("127.0.0.1", ru_port)
    proxy_port = await proxy.start()

    engine = sqlite_engine(tmp_path / "relay.db")
    migrate(engine)
    relay_service = RelayService("RELAY", relay.key, keys, RelayStore(engine), now_ms)
    relay_server = LinkServer(
        relay_service.handle,
        ssl_context=server_context(relay.cert_file, relay.key_file, [us.cert, ru.cert]),
    )
    _, relay_port = await relay_server.start("127.0.0.1", 0)

    def relay_client(n: Node) -> RelayClient:
        ctx = client_context(n.cert_file, n.key_file, relay.cert)
        return RelayClient(
            LinkClient("127.0.0.1", relay_port, ctx, timeout_s=2),
            n.name,
            n.key,
            "RELAY",
            relay.public,
        )

    answers: list[bytes] = []

    async def on_answers(peer: str, envelopes: list[bytes]) -> None:
        answers.extend(envelopes)

    direct = DirectBearer(
        "US",
        "RU",
        us.key,
        LinkClient(
            "127.0.0.1", proxy_port, client_context(us.cert_file, us.key_file, ru.cert), timeout_s=1
        ),
        keys,
    )
    via_relay = RelayBearer("US", "RU", relay_client(us), ru.hpke_public)
    link = PeerLink("RU", [direct, via_relay], on_answers, now_ms)
    yield link, proxy, received, answers, relay_client(ru), ru, us
    await link.close()
    await proxy.close()
    await ru_server.close()
    await relay_server.close()


async def collected(client: RelayClient, ru: Node) -> list[bytes]:
    return [
        open_item(parse_item(d.item), ru.hpke_private, "RU")
        for d in await client.collect(0, now_ms())
    ]


async def test_direct_first_and_answers_come_back(world) -> None:
    link, _, received, answers, ru_relay, ru, us = world
    assert await link.send([envelope(us, 1), envelope(us, 2)])
    assert len(received) == 2
    assert len(answers) == 2
    direct, relay = link.statuses()
    assert (direct.up, relay.up) == (True, None)  # the relay was not needed
    assert await collected(ru_relay, ru) == []


async def test_failover_to_the_relay_when_the_direct_link_is_down(world) -> None:
    link, proxy, received, _, ru_relay, ru, us = world
    proxy.refuse = True
    env = envelope(us, 1)
    assert await link.send([env])
    direct, relay = link.statuses()
    assert direct.up is False
    assert direct.last_error is not None
    assert relay.up is True
    assert received == []
    assert await collected(ru_relay, ru) == [env]  # RU gets it through the relay, intact
    assert relay.witnessed == 1  # and the relay witnessed it


async def test_flash_goes_over_every_bearer(world) -> None:
    link, _, received, _, ru_relay, ru, us = world
    env = envelope(us, 1)
    assert await link.send([env], urgent=True)
    assert received == [env]
    assert await collected(ru_relay, ru) == [env]


async def test_a_failed_bearer_backs_off(world) -> None:
    link, proxy, received, _, _, _, us = world
    proxy.refuse = True
    await link.send([envelope(us, 1)])
    direct = link.statuses()[0]
    assert direct.next_try_ms > now_ms()  # not hammered while down
    proxy.heal()
    await link.send([envelope(us, 2)])  # within the back-off: goes via the relay
    assert received == []
    assert direct.failures == 1
