"""A blind relay over real TLS sockets: carries, witnesses, reads nothing, alters nothing unseen."""

import datetime as dt
import hashlib
import time
from pathlib import Path

import msgspec
import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update

from hotline.errors import RemoteProtocolError
from hotline.node.bearers import BearerDown, RelayBearer
from hotline.node.relay import RelayService
from hotline.protocol.envelope import KeyTable, Kind, make_header, open_envelope, seal
from hotline.protocol.relay import Witness
from hotline.protocol.sealed import hpke_public_key, open_item, parse_item, seal_for
from hotline.protocol.types import Marking, Precedence
from hotline.storage import schema
from hotline.storage.relay_store import RelayStore
from hotline.storage.sqlite import migrate, sqlite_engine
from hotline.storage.witness_store import WitnessStore
from hotline.transport.link import LinkClient, LinkServer
from hotline.transport.relay_client import RelayClient, RelayError
from hotline.transport.tls import (
    client_context,
    node_tls_certificate,
    private_key_pem,
    server_context,
)

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CH = "ab" * 32


class Party:
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


@pytest.fixture
async def world(tmp_path: Path):
    us, ru, relay = Party(tmp_path, "US"), Party(tmp_path, "RU"), Party(tmp_path, "RELAY")
    parties = KeyTable()
    parties.add("US", us.public)
    parties.add("RU", ru.public)
    engine = sqlite_engine(tmp_path / "relay.db")
    migrate(engine)
    service = RelayService("RELAY", relay.key, parties, RelayStore(engine),
                           lambda: int(time.time() * 1000))  # fmt: skip
    server = LinkServer(service.handle, ssl_context=server_context(
        relay.cert_file, relay.key_file, [us.cert, ru.cert]))  # fmt: skip
    _, port = await server.start("127.0.0.1", 0)

    def client(p: Party) -> RelayClient:
        link = LinkClient("127.0.0.1", port, client_context(p.cert_file, p.key_file, relay.cert))
        return RelayClient(link, p.name, p.key, "RELAY", relay.public)

    yield us, ru, client, engine, parties
    await server.close()


def flash(us: Party, text: bytes):
    header = make_header(
        channel=CH, sender="US", seq=1, prev=None, seen={}, now_ms=1, kind=Kind.NOTIFICATION,
        body=text, prec=Precedence.FLASH, mark=Marking.EXERCISE,
    )  # fmt: skip
    return seal(header, text, us.key, hashlib.sha256(us.public).digest())


async def test_deposit_collect_and_witness(world) -> None:
    us, ru, client, engine, parties = world
    env = flash(us, b"STOP - CHECK FIRE in box 44N 033E")
    item = seal_for(env.raw, env.id, CH, "US", "RU", ru.hpke_public)
    witnesses = await client(us).deposit([item], now_ms=5)
    assert witnesses[0].forwarded_ms == 0
    assert witnesses[0].deposited_ms > 0
    again = await client(us).deposit([item], now_ms=6)  # a resend is held once
    assert again[0].deposited_ms == witnesses[0].deposited_ms

    deliveries = await client(ru).collect(after=0, now_ms=7)
    assert len(deliveries) == 1
    assert deliveries[0].witness.forwarded_ms >= deliveries[0].witness.deposited_ms
    raw = open_item(parse_item(deliveries[0].item), ru.hpke_private, "RU")
    assert open_envelope(raw, parties).body == b"STOP - CHECK FIRE in box 44N 033E"
    assert await client(ru).collect(after=deliveries[0].n, now_ms=8) == []

    with engine.connect() as conn:  # the relay holds no readable text, not even the precedence
        held = b"".join(bytes(r.item) for r in conn.execute(schema.relay_items.select()))
    assert b"CHECK FIRE" not in held
    assert b"FLASH" not in held


async def test_a_tampering_relay_is_caught(world) -> None:
    us, ru, client, engine, _ = world
    env = flash(us, b"hello")
    item = seal_for(env.raw, env.id, CH, "US", "RU", ru.hpke_public)
    await client(us).deposit([item], now_ms=1)
    with engine.begin() as conn:  # the relay flips one ciphertext byte in its own store
        tampered = item.raw[:-20] + bytes([item.raw[-20] ^ 1]) + item.raw[-19:]
        conn.execute(update(schema.relay_items).values(item=tampered))
    delivery = (await client(ru).collect(after=0, now_ms=2))[0]
    with pytest.raises(RemoteProtocolError, match="does not decrypt"):
        open_item(parse_item(delivery.item), ru.hpke_private, "RU")


async def test_deposit_claiming_another_sender_is_refused(world) -> None:
    us, _ru, client, _, _ = world
    env = flash(us, b"x")
    forged = seal_for(env.raw, env.id, CH, "RU", "US", us.hpke_public)  # routing says RU
    with pytest.raises(RelayError, match="routing claims sender RU"):
        await client(us).deposit([forged], now_ms=1)
    assert await client(us).collect(after=0, now_ms=2) == []  # nothing was stored


class ForgingRelay(RelayService):
    """A relay that signs its batches properly but its witnesses with another key."""

    def _witness(self, routing: bytes, deposited_ms: int, forwarded_ms: int) -> Witness:
        honest = super()._witness(routing, deposited_ms, forwarded_ms)
        sig = Ed25519PrivateKey.generate().sign(b"not the witness statement")
        return msgspec.structs.replace(honest, sig=sig)


async def test_a_forged_witness_is_refused_and_not_kept(tmp_path: Path) -> None:
    """Witnesses that don't verify with the relay's key: refused, logged, nothing stored."""
    us, ru, relay = Party(tmp_path, "US"), Party(tmp_path, "RU"), Party(tmp_path, "RELAY")
    parties = KeyTable()
    parties.add("US", us.public)
    engine = sqlite_engine(tmp_path / "relay.db")
    migrate(engine)
    kept = WitnessStore(engine)
    servers = []
    clients = {}
    for name, cls in (("forging", ForgingRelay), ("honest", RelayService)):
        service = cls("RELAY", relay.key, parties, RelayStore(engine), lambda: 1000)
        server = LinkServer(service.handle, ssl_context=server_context(
            relay.cert_file, relay.key_file, [us.cert]))  # fmt: skip
        _, port = await server.start("127.0.0.1", 0)
        servers.append(server)
        link = LinkClient("127.0.0.1", port, client_context(us.cert_file, us.key_file, relay.cert))
        clients[name] = RelayClient(link, "US", us.key, "RELAY", relay.public)

    async def keep(relay_name: str, witnesses: list[Witness]) -> None:
        kept.add(relay_name, witnesses, now_ms=2)

    env = flash(us, b"hello")
    try:
        bearer = RelayBearer("US", "RU", clients["forging"], ru.hpke_public, keep=keep)
        with pytest.raises(BearerDown, match="1 of 1 witnesses do not verify"):
            await bearer.carry([env.raw], now_ms=3)
        assert kept.count() == 0
        assert bearer.status.witnessed == 0

        bearer = RelayBearer("US", "RU", clients["honest"], ru.hpke_public, keep=keep)
        await bearer.carry([env.raw], now_ms=4)
        await bearer.carry([env.raw], now_ms=5)  # a resend: the same witness, kept once
        [stored] = kept.for_channel(CH)
        assert stored.witness.valid(relay.public)
        assert stored.envelope_id == env.id.hex()
        assert bearer.status.witnessed == 2
    finally:
        for server in servers:
            await server.close()
