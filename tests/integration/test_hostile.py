"""Hostile input against a running node (RU) over real sockets.

The attacker holds US's keys (a peer gone bad, or a stolen node key) and talks TLS to RU's
listener as a peer would; a stranger without any pinned certificate tries too. Every attempt
must be refused with a clear status, logged with its reason, leave the store as it was (except
evidence of equivocation, which must be kept) and leave the node serving.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import socket
import sqlite3
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.node.home import Home, read_introduction
from hotline.node.runtime import Node
from hotline.protocol.channel import Channel
from hotline.protocol.identity import PartySecretKeys
from hotline.protocol.statement import canonical_json, join_statement
from hotline.protocol.types import Marking, Precedence
from hotline.testing.processes import NodeProcess, hotline, running_pair, wait_for
from hotline.transport.batch import pack_batch
from hotline.transport.link import LinkClient
from hotline.transport.tls import client_context

Rows = list[tuple[object, ...]]


def snapshot(node: NodeProcess) -> tuple[Rows, Rows]:
    """Every envelope and every peer in the node's store, as rows."""
    db = sqlite3.connect(f"file:{Home(node.home).store_file}?mode=ro", uri=True, timeout=30)
    try:
        envelopes = db.execute(
            "SELECT n, channel_id, id, sender, seq, kind, role FROM envelopes ORDER BY n"
        ).fetchall()
        peers = db.execute("SELECT party, fingerprint FROM peers ORDER BY party").fetchall()
    finally:
        db.close()
    return envelopes, peers


@dataclass
class Attacker:
    """US's keys and TLS identity, aimed at RU's listener."""

    us: NodeProcess
    ru: NodeProcess
    cid: str

    def __post_init__(self) -> None:
        home = Home(self.us.home)
        self.key = home.node_key().ed25519
        cert, key = home.tls_files()
        ru_pem = next(iter(read_introduction(self.ru.intro.read_bytes()).tls.values()))
        self.tls = client_context(cert, key, ru_pem)

    def channel(self) -> Channel:
        """US's channel as its store left it (each call: an independent copy)."""
        node = Node(Home(self.us.home))
        try:
            return node.channel(self.cid)
        finally:
            node.store.close()

    def envelope(self, channel: Channel, text: str) -> bytes:
        body = json.dumps({"text": text, "type": "free_text"}, separators=(",", ":")).encode()
        persist = channel.notify(
            body, wall_ms(), prec=Precedence.ROUTINE, mark=Marking.EXERCISE, to=None, refs=[]
        )
        channel.persisted([persist.envelope.id], wall_ms())
        return persist.envelope.raw

    def batch(self, envelopes: list[bytes], key: Ed25519PrivateKey | None = None) -> bytes:
        return pack_batch("US", "RU", wall_ms(), envelopes, key or self.key)

    def post(self, body: bytes, path: str = "/v1/batch", method: str = "POST") -> tuple[int, bytes]:
        async def go() -> tuple[int, bytes]:
            client = LinkClient("127.0.0.1", self.ru.listen_port, self.tls)
            try:
                return await client.request(method, path, body)
            finally:
                await client.close()

        return asyncio.run(go())

    def raw(self, data: bytes, *, tls: ssl.SSLContext | None = None) -> bytes:
        """Send bytes on a fresh TLS connection and return whatever comes back."""

        async def go() -> bytes:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", self.ru.listen_port, ssl=tls or self.tls
            )
            try:
                writer.write(data)
                await writer.drain()
                return await asyncio.wait_for(reader.read(65536), 15)
            finally:
                writer.close()

        return asyncio.run(go())

    def serving(self) -> bool:
        status, body = self.post(b"", "/v1/health", "GET")
        return status == 200 and b'"ok"' in body and bool(self.ru.call("GET", "/api/v1/channels"))


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@pytest.fixture
def attack(tmp_path: Path) -> Iterator[Attacker]:
    """RU running with an open channel to US and one US notification; US itself stopped."""
    with running_pair(tmp_path) as (us, ru):
        cid = us.call("POST", "/api/v1/channels", json={"name": "Hostile", "parties": ["RU"]})["id"]
        wait_for(lambda: any(c["id"] == cid for c in ru.call("GET", "/api/v1/channels")))
        ru.call("POST", f"/api/v1/channels/{cid}/accept")
        wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}")["opened"], what="open")
        sent = us.call("POST", f"/api/v1/channels/{cid}/messages", json={"body": "first"})

        def receipted() -> bool:
            links = us.call("GET", "/api/v1/links")
            return bool(links[0]["channels"][0]["receipted"] >= sent["seq"])

        wait_for(receipted, what="receipt of the first message")
        us.stop()
        yield Attacker(us, ru, cid)


def ru_log(attack: Attacker) -> str:
    assert attack.ru.log is not None
    return attack.ru.log.read_text()


def test_forged_altered_and_unknown_batches_are_refused(attack: Attacker) -> None:
    """Bad signatures, one altered byte, unknown keys: refused, logged, store unchanged."""
    before = snapshot(attack.ru)
    genuine = attack.envelope(attack.channel(), "genuine but never sent intact")

    forged_sig = bytearray(genuine)
    forged_sig[40] ^= 0x01  # inside the envelope's signature
    body_byte = bytearray(genuine)
    body_byte[-3] ^= 0x20  # one byte of the body: no longer matches the signed hash
    header_byte = bytearray(genuine)
    header_byte[140] ^= 0x01  # one byte of the signed header
    for bad in (forged_sig, body_byte, header_byte):
        status, _ = attack.post(attack.batch([bytes(bad)]))
        assert status == 422  # every envelope refused; the answer is still a signed batch

    batch = bytearray(attack.batch([genuine]))
    batch[60] ^= 0x01  # the batch's own signature
    status, reply = attack.post(bytes(batch))
    assert status == 403
    assert b"bad batch signature" in reply

    stranger_key = Ed25519PrivateKey.generate()
    status, reply = attack.post(attack.batch([genuine], key=stranger_key))
    assert status == 403
    assert b"unknown node key" in reply

    to_someone_else = pack_batch("US", "UA", wall_ms(), [genuine], attack.key)
    status, reply = attack.post(to_someone_else)
    assert status == 400
    assert b"addressed to UA" in reply

    log = ru_log(attack)
    assert "refused an envelope from US" in log
    assert "bad batch signature" in log
    assert "unknown node key" in log
    assert attack.serving()
    assert snapshot(attack.ru) == before


def test_malformed_oversized_and_garbage_input_is_refused(attack: Attacker) -> None:
    """Garbage, oversized and malformed requests get a clear status; nothing is stored."""
    before = snapshot(attack.ru)
    status, reply = attack.post(b"\x00garbage, not a batch" * 10)
    assert status == 400
    assert b"not a hotline batch" in reply
    status, reply = attack.post(b"HLB1" + b"\xff" * 200)
    assert status in (400, 403)
    assert b"error" in reply

    answer = attack.raw(b"POST /v1/batch HTTP/1.1\r\nhost: x\r\ncontent-length: 999999999\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"exceeds limit" in answer
    answer = attack.raw(b"POST /v1/batch HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 411")
    answer = attack.raw(b"\x16\x03\x01 garbage bytes, not HTTP at all\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    assert b"bad HTTP" in answer
    answer = attack.raw(b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nhost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 431") or answer.startswith(b"HTTP/1.1 400")

    # a stranger: no pinned certificate, so no TLS session and no HTTP answer at all
    stranger = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    stranger.check_hostname = False
    stranger.verify_mode = ssl.CERT_NONE
    try:
        answer = attack.raw(b"GET /v1/health HTTP/1.1\r\nhost: x\r\n\r\n", tls=stranger)
    except (ssl.SSLError, ConnectionError):
        answer = b""
    assert not answer.startswith(b"HTTP/")
    with socket.create_connection(("127.0.0.1", attack.ru.listen_port), timeout=15) as plain:
        plain.sendall(b"\x00\x01\x02 plain garbage, no TLS\r\n\r\n" * 50)
        with contextlib.suppress(ConnectionError):  # a reset is as good as silence
            assert not plain.recv(65536).startswith(b"HTTP/")

    assert attack.serving()
    assert snapshot(attack.ru) == before
    assert attack.ru.call("GET", "/api/v1/channels")[0]["id"] == attack.cid


def test_replayed_envelopes_are_stored_once(attack: Attacker) -> None:
    """The same batch twice, and an old batch after newer ones: each envelope stored once."""
    channel = attack.channel()
    first = attack.batch([attack.envelope(channel, "replay one")])
    assert attack.post(first)[0] == 200
    after_first = snapshot(attack.ru)
    assert attack.post(first)[0] == 200  # a duplicate is answered (with a receipt), not stored
    assert snapshot(attack.ru)[0] == after_first[0]

    later = attack.batch([attack.envelope(channel, "replay two")])
    assert attack.post(later)[0] == 200
    after_later = snapshot(attack.ru)
    assert len(after_later[0]) > len(after_first[0])
    assert attack.post(first)[0] == 200  # an old batch, much later
    assert attack.post(later)[0] == 200
    assert snapshot(attack.ru)[0] == after_later[0]

    inbox = attack.ru.call("GET", f"/api/v1/channels/{attack.cid}/messages")
    texts = [m["body"] for m in inbox if m["direction"] == "in"]
    assert sum("replay one" in t for t in texts) == 1
    assert sum("replay two" in t for t in texts) == 1
    assert attack.serving()


def test_equivocation_is_kept_as_evidence_and_alarmed(attack: Attacker) -> None:
    """Two different envelopes with one seq: both kept, the alarm raised, none picked silently."""
    honest = attack.envelope(attack.channel(), "we hold position")
    lying = attack.envelope(attack.channel(), "we never said that")  # same seq, other body
    before = snapshot(attack.ru)[0]
    assert attack.post(attack.batch([honest]))[0] == 200
    attack.post(attack.batch([lying]))
    rows = snapshot(attack.ru)[0]
    new = [(r[3], r[4], r[6]) for r in rows[len(before) :]]
    seq = new[0][1]
    assert ("US", seq, "peer") in new
    assert ("US", seq, "evidence") in new  # the second one is kept as proof
    assert rows[: len(before)] == before

    links = attack.ru.call("GET", "/api/v1/links")
    fork = links[0]["channels"][0]["fork"]
    assert fork is not None
    assert str(seq) in json.dumps(fork)
    wait_for(lambda: "EQUIVOCATION by US" in ru_log(attack), 10, "the alarm in the log")
    inbox = attack.ru.call("GET", f"/api/v1/channels/{attack.cid}/messages")
    texts = [m["body"] for m in inbox if m["direction"] == "in"]
    assert sum("never said that" in t for t in texts) == 0  # not shown as if it were the message
    assert attack.serving()


def test_slow_loris_is_cut_off_while_the_node_serves_others(attack: Attacker) -> None:
    """Clients dribbling a request are cut at the deadline; a real peer is served meanwhile."""

    async def loris() -> bytes:
        """Dribble the request head, one byte every half second, until cut off."""
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", attack.ru.listen_port, ssl=attack.tls
        )
        for byte in b"POST /v1/batch HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n" * 10:
            try:
                writer.write(bytes([byte]))
                await writer.drain()
            except ConnectionError:
                break
            await asyncio.sleep(0.5)
            if reader.at_eof():
                break
        answer = await asyncio.wait_for(reader.read(), 15)
        writer.close()
        return answer

    async def everyone() -> list[bytes]:
        lorises = [asyncio.create_task(loris()) for _ in range(8)]
        await asyncio.sleep(1.0)
        served = await asyncio.to_thread(attack.serving)
        assert served, "the node stopped serving during a slow-loris attack"
        return await asyncio.gather(*lorises)

    before = snapshot(attack.ru)
    answers = asyncio.run(everyone())
    assert all(a.startswith(b"HTTP/1.1 408") for a in answers), answers
    assert b"not completed in time" in answers[0]
    assert attack.serving()
    assert snapshot(attack.ru) == before


def test_a_card_with_a_weak_key_is_refused_by_peer_add(attack: Attacker, tmp_path: Path) -> None:
    """A well-signed card whose Ed25519 key has small order is refused; nothing is trusted."""
    before = snapshot(attack.ru)
    secret = PartySecretKeys.generate("XX")
    public = secret.public_keys()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    body = canonical_json(
        {
            "type": "hotline.identity-card/1",
            "party": "XX",
            "created": "2026-03-01T12:00:00Z",
            "ed25519": b64(bytes([1]) + bytes(31)),  # the identity point: order 1
            "mldsa65": b64(public.mldsa65.public_bytes_raw()),
            "mlkem768": b64(public.hpke.mlkem768.public_bytes_raw()),
            "x25519": b64(public.hpke.x25519.public_bytes_raw()),
            "nodes": [],
        }
    )
    sig = secret.sign(body, domain="hotline.identity-card/1")
    card = join_statement(body, {"ed25519": b64(sig.ed25519), "mldsa65": b64(sig.mldsa65)})
    intro = tmp_path / "weak.intro"
    intro.write_bytes(card + b"\n")
    result = hotline(
        "peer", "add", intro, "--home", attack.ru.home, "--fingerprint", "0" * 60, check=False
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "XX" in result.stderr
    assert snapshot(attack.ru) == before
    assert attack.serving()
