"""The node-to-node link over real sockets: pinned TLS 1.3 both ways, hostile clients refused."""

import asyncio
import datetime as dt
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.transport.link import LinkClient, LinkServer, Reply
from hotline.transport.tls import (
    client_context,
    node_tls_certificate,
    private_key_pem,
    server_context,
)

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass
class Node:
    key: Ed25519PrivateKey
    cert: bytes
    cert_file: Path
    key_file: Path


def make_node(tmp: Path, party: str) -> Node:
    key = Ed25519PrivateKey.generate()
    cert = node_tls_certificate(key, party, "node-1", T0)
    (tmp / party).mkdir()
    cert_file, key_file = tmp / party / "tls.pem", tmp / party / "tls.key"
    cert_file.write_bytes(cert)
    key_file.write_bytes(private_key_pem(key))
    return Node(key, cert, cert_file, key_file)


async def echo(method: str, path: str, body: bytes, peer: bytes | None) -> Reply:
    if (method, path) == ("GET", "/v1/health"):
        return Reply(200, b"ok")
    return Reply(
        200,
        b"%s %s %d %s"
        % (method.encode(), path.encode(), len(body), (peer or b"").hex()[:8].encode()),
    )


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[tuple[Node, Node, int, LinkServer]]:
    us, ru = make_node(tmp_path, "US"), make_node(tmp_path, "RU")
    server = LinkServer(
        echo, ssl_context=server_context(us.cert_file, us.key_file, [ru.cert]),
        max_body=1024, request_timeout_s=0.5, idle_timeout_s=2.0,
    )  # fmt: skip
    _, port = await server.start("127.0.0.1", 0)
    yield us, ru, port, server
    await server.close()


def client_for(node: Node, server_cert: bytes, port: int) -> LinkClient:
    return LinkClient("127.0.0.1", port, client_context(node.cert_file, node.key_file, server_cert))


async def test_pinned_mutual_tls_round_trip_and_keep_alive(pair) -> None:
    us, ru, port, _ = pair
    client = client_for(ru, us.cert, port)
    status, body = await client.request("POST", "/v1/batch", b"x" * 100)
    assert status == 200
    ru_key = ru.key.public_key().public_bytes_raw().hex()[:8].encode()
    assert body == b"POST /v1/batch 100 " + ru_key  # the server saw RU's pinned key
    assert await client.request("GET", "/v1/health") == (200, b"ok")  # same connection reused
    await client.close()


async def test_a_stranger_is_refused_in_the_handshake(pair, tmp_path: Path) -> None:
    us, _, port, _ = pair
    stranger = make_node(tmp_path, "XX")
    with pytest.raises((ssl.SSLError, ConnectionError)):
        await client_for(stranger, us.cert, port).request("GET", "/v1/health")


async def test_client_refuses_a_server_with_another_certificate(pair, tmp_path: Path) -> None:
    _, ru, port, _ = pair
    impostor = make_node(tmp_path, "US2")  # RU pins this cert, server presents US's
    with pytest.raises(ssl.SSLCertVerificationError):
        await client_for(ru, impostor.cert, port).request("GET", "/v1/health")


async def raw_exchange(ru: Node, us: Node, port: int, data: bytes, wait_s: float = 0) -> bytes:
    ctx = client_context(ru.cert_file, ru.key_file, us.cert)
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=ctx)
    writer.write(data)
    await writer.drain()
    if wait_s:
        await asyncio.sleep(wait_s)
    reply = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    return reply


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"\x00\xff garbage\r\n\r\n", b"400"),
        (b"POST /v1/batch HTTP/1.1\r\nhost: x\r\ncontent-length: 999999\r\n\r\n", b"413"),
        (b"POST /v1/batch HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n", b"411"),
        (b"GET / HTTP/1.1\r\nhost: x\r\nx-big: " + b"a" * 20000 + b"\r\n\r\n", b"431"),
    ],
    ids=["garbage", "oversized", "chunked", "huge-head"],
)
async def test_hostile_requests_get_a_clear_status(
    pair, request_bytes: bytes, status: bytes
) -> None:
    us, ru, port, _ = pair
    reply = await raw_exchange(ru, us, port, request_bytes)
    assert reply.split(b" ")[1] == status
    assert b'{"error":' in reply
    client = client_for(ru, us.cert, port)
    assert await client.request("GET", "/v1/health") == (200, b"ok")  # still serving
    await client.close()


async def test_slow_loris_is_cut_off_at_the_request_deadline(pair) -> None:
    us, ru, port, _ = pair
    ctx = client_context(ru.cert_file, ru.key_file, us.cert)
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=ctx)
    writer.write(b"POST /v1/batch HTTP/1.1\r\nhost: x\r\ncontent-length: 500\r\n\r\n")
    reply = b""
    for _ in range(40):  # dribble one byte every 0.1 s: would take 50 s to finish
        try:
            writer.write(b"x")
            await writer.drain()
        except ConnectionError:
            break
        await asyncio.sleep(0.1)
        if reader.at_eof():
            break
    reply = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    # At most 40 of the 500 body bytes are ever sent: only the request deadline can end it.
    assert reply.startswith(b"HTTP/1.1 408")
