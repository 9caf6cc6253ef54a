"""Benchmark two nodes on loopback: sustained envelopes/s, receipt latency, backlog catch-up.

RU runs as a real `hotline run` process; US runs in this process (so that it can submit in bulk
with `Node.notify_many`, one store transaction per call). Both stores fsync every commit
(SQLite WAL, synchronous=FULL). Not run by the tests; prints figures.

    PYTHONPATH=src python bench/node.py [--sustained 20000] [--backlog 100000] [--rate 200]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import tempfile
import time
from pathlib import Path

from hotline.node.home import Home
from hotline.node.runtime import Node
from hotline.protocol.types import Marking, Precedence
from hotline.testing.processes import NodeProcess, free_port

CHUNK = 1000


def body(i: int) -> bytes:
    return json.dumps({"text": f"bench {i}", "type": "free_text"}, separators=(",", ":")).encode()


async def until(condition: object, timeout_s: float, poll_s: float = 0.001) -> None:
    end = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        if time.monotonic() > end:
            raise TimeoutError("benchmark condition not reached")
        await asyncio.sleep(poll_s)


async def submit(us: Node, cid: str, n: int, start: int) -> int:
    """Submit n notifications in chunks; return the last seq."""
    last = 0
    for first in range(start, start + n, CHUNK):
        refs = await us.notify_many(
            cid,
            [body(i) for i in range(first, min(first + CHUNK, start + n))],
            prec=Precedence.ROUTINE,
            mark=Marking.EXERCISE,
        )
        last = refs[-1].seq
    return last


async def main(args: argparse.Namespace) -> None:
    root = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    us_proc = NodeProcess.create(root, "US", free_port())
    ru = NodeProcess.create(root, "RU", free_port())
    us_proc.introduce(ru)
    ru.introduce(us_proc)
    await asyncio.to_thread(ru.start)
    us = Node(Home(us_proc.home))
    await us.start(f"127.0.0.1:{us_proc.listen_port}")
    gc.freeze()  # as `hotline run` does once started
    try:
        cid = await us.create_channel("bench", ["RU"])
        await until(lambda: bool(ru.call("GET", "/api/v1/channels")), 30, 0.05)
        await asyncio.to_thread(ru.call, "POST", f"/api/v1/channels/{cid}/accept")
        await until(lambda: us.channel(cid).opened, 30)

        def receipted() -> int:
            return us.channel(cid).peer_status("RU").receipted

        # 1. sustained throughput: submit as fast as bulk submission allows, until receipted
        t0 = time.perf_counter()
        last = await submit(us, cid, args.sustained, 0)
        await until(lambda: receipted() >= last, 300)
        sustained_s = time.perf_counter() - t0
        print(
            f"sustained: {args.sustained} envelopes receipted in {sustained_s:.2f} s"
            f" = {args.sustained / sustained_s:,.0f}/s"
        )

        # 2. receipt latency: one notification at a time at a steady rate
        latencies_ms: list[float] = []
        sent_at: dict[int, float] = {}

        async def watch() -> None:
            # the node's own ReceiptReceived events: no polling loop competing with the node
            async for event in us.events():
                if event.kind == "ReceiptReceived" and event.data["peer"] == "RU":
                    t = time.perf_counter()
                    for seq in [s for s in sent_at if s <= event.data["upto"]]:
                        latencies_ms.append((t - sent_at.pop(seq)) * 1000)

        watcher = asyncio.create_task(watch())
        period = 1 / args.rate
        next_t = time.perf_counter()
        for i in range(args.rate * args.latency_s):
            t = time.perf_counter()
            ref = await us.notify(cid, body(10**7 + i), prec=Precedence.ROUTINE)
            sent_at[ref.seq] = t
            next_t += period
            await asyncio.sleep(max(0.0, next_t - time.perf_counter()))
        await until(lambda: not sent_at, 60)
        watcher.cancel()
        q = statistics.quantiles(latencies_ms, n=100)
        print(
            f"latency at {args.rate}/s: n={len(latencies_ms)} p50 {q[49]:.1f} ms"
            f" p99 {q[98]:.1f} ms max {max(latencies_ms):.1f} ms"
        )

        # 3. catch-up: RU down (kill -9) while a backlog builds, then back
        await asyncio.to_thread(ru.kill)
        last = await submit(us, cid, args.backlog, 2 * 10**7)
        t0 = time.perf_counter()
        await asyncio.to_thread(ru.start)
        await until(lambda: receipted() >= last, 600, 0.01)
        catch_up_s = time.perf_counter() - t0
        print(
            f"catch-up: {args.backlog} envelopes backlog receipted {catch_up_s:.2f} s after"
            f" restart (including RU's start) = {args.backlog / catch_up_s:,.0f}/s"
        )
    finally:
        await us.stop()
        ru.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sustained", type=int, default=20_000)
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--rate", type=int, default=200, help="notifications/s for latency")
    parser.add_argument("--latency-s", type=int, default=10, help="p99 needs ~2,000 samples")
    asyncio.run(main(parser.parse_args()))
