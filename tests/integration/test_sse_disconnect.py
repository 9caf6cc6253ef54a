"""The live event stream over a real uvicorn: heartbeats, and a gone browser is noticed."""

import asyncio
import socket
from pathlib import Path

import httpx
import uvicorn

from hotline.api import create_app
from hotline.node.home import Home
from hotline.node.runtime import Node
from hotline.testing.processes import PASSWORD, NodeProcess


async def wait_until(condition, timeout_s: float, what: str) -> None:
    async with asyncio.timeout(timeout_s):
        while not condition():
            await asyncio.sleep(0.02)
    assert condition(), what


async def test_a_closed_stream_leaves_no_subscriber(tmp_path: Path) -> None:
    proc = NodeProcess.create(tmp_path, "US", 0)  # `hotline init`: a real home, an operator
    node = Node(Home(proc.home))
    app = create_app(party="US", operators=node.operators, clock_ms=node.clock_ms, node=node,
                     sse_heartbeat_s=0.2)  # fmt: skip
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        await wait_until(lambda: server.started, 10, "uvicorn started")
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            r = await client.post("/api/v1/session", json={"name": "officer", "password": PASSWORD})
            headers = {"authorization": f"Bearer {r.json()['token']}"}
            for _ in range(2):  # twice: each stream comes and goes without a trace
                async with client.stream("GET", "/api/v1/events", headers=headers) as stream:
                    chunks = stream.aiter_text()
                    async with asyncio.timeout(5):
                        assert await anext(chunks) == ": connected\n\n"
                        assert node.subscriber_count == 1
                        assert await anext(chunks) == ": heartbeat\n\n"  # a quiet stream
                await wait_until(lambda: node.subscriber_count == 0, 5, "the subscriber left")
    finally:
        server.should_exit = True
        async with asyncio.timeout(10):
            await serving
        await asyncio.to_thread(app.state.picture.close)
        node.store.close()
