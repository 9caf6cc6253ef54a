"""The fault proxy itself: each fault does what integration tests rely on it to do."""

import asyncio
from collections.abc import AsyncIterator

import pytest

from hotline.testing.faultproxy import FaultProxy

RECEIVED: list[bytes] = []


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            RECEIVED.append(data)
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    writer.close()


@pytest.fixture
async def proxy() -> AsyncIterator[tuple[FaultProxy, int]]:
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    proxy = FaultProxy("127.0.0.1", server.sockets[0].getsockname()[1])
    port = await proxy.start()
    yield proxy, port
    await proxy.close()
    server.close()


async def round_trip(port: int, payload: bytes, timeout: float = 2.0) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.readexactly(len(payload)), timeout)
    finally:
        writer.close()


async def test_clean_link_forwards(proxy) -> None:
    _, port = proxy
    assert await round_trip(port, b"hello") == b"hello"


async def test_cut_mid_stream(proxy) -> None:
    p, port = proxy
    RECEIVED.clear()
    p.cut_after(3)
    with pytest.raises((asyncio.IncompleteReadError, ConnectionError)):
        await round_trip(port, b"hello world")
    await asyncio.sleep(0.05)
    assert b"".join(RECEIVED) == b"hel"  # upstream saw the first 3 bytes, then the cut


async def test_blackhole_answers_nothing(proxy) -> None:
    p, port = proxy
    p.blackhole = True
    with pytest.raises(TimeoutError):
        await round_trip(port, b"ping", timeout=0.3)


async def test_refuse_then_heal(proxy) -> None:
    p, port = proxy
    p.refuse = True
    with pytest.raises((asyncio.IncompleteReadError, ConnectionError)):
        await round_trip(port, b"ping")
    p.heal()
    assert await round_trip(port, b"ping") == b"ping"


async def test_drop_resets_open_connections(proxy) -> None:
    p, port = proxy
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"a")
    assert await reader.readexactly(1) == b"a"
    p.drop()
    assert await asyncio.wait_for(reader.read(), 2) == b""  # closed under us
    writer.close()


async def test_delay_holds_each_chunk(proxy) -> None:
    p, port = proxy
    p.delay_s = 0.2
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert await round_trip(port, b"x") == b"x"
    assert loop.time() - start >= 0.4  # delayed on the way out and on the way back
