"""Two real node processes talking through fault-injecting proxies while both sides send
hundreds of notifications, and while either node is killed with SIGKILL and restarted.

US reaches RU only through one proxy and RU reaches US only through another, so every batch and
every receipt crosses the faults. Afterwards both stores must hold the same chains for both
senders (same ids, seq 1..n, nothing doubled) and every notification the API accepted must be
in the peer's store exactly once.

`HOTLINE_RESILIENCE_HEAVY=1` runs a longer variant (more messages, more rounds of faults).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from hotline.node.home import Home
from hotline.testing.faultproxy import FaultProxy
from hotline.testing.processes import NodeProcess, free_port, wait_for

HEAVY = os.environ.get("HOTLINE_RESILIENCE_HEAVY") == "1"
MESSAGES_PER_SIDE = 1500 if HEAVY else 250
FAULT_ROUNDS = 4 if HEAVY else 1


class ProxyLoop:
    """Runs fault proxies in an event loop on a background thread; the test steers them."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.proxies: list[FaultProxy] = []

    def proxy(self, upstream_port: int, port: int) -> FaultProxy:
        proxy = FaultProxy("127.0.0.1", upstream_port)
        self.run(proxy.start(port=port))
        self.proxies.append(proxy)
        return proxy

    def run(self, coro: Coroutine[None, None, object]) -> object:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def call(self, fn: Callable[[], object]) -> None:
        """Run `fn` inside the proxies' loop (they are not thread-safe)."""

        async def do() -> None:
            fn()

        self.run(do())

    def close(self) -> None:
        for proxy in self.proxies:
            self.run(proxy.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@dataclass
class Sender:
    """Sends numbered notifications through one node's API, riding out its restarts."""

    node: NodeProcess
    cid: str
    count: int
    accepted: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # the node died mid-request
    errors: list[str] = field(default_factory=list)
    up: threading.Event = field(default_factory=threading.Event)
    pause_s: float = 0.0

    def __post_init__(self) -> None:
        self.up.set()

    def run(self) -> None:
        for i in range(self.count):
            text = f"{self.node.party} msg {i}"
            while True:
                self.up.wait(60)
                try:
                    with self.node.api() as client:
                        r = client.post(
                            f"/api/v1/channels/{self.cid}/messages",
                            json={"body": text, "prec": "ROUTINE", "mark": "EXERCISE"},
                        )
                except httpx.ConnectError:
                    time.sleep(0.05)  # refused before any byte: nothing was sent, try again
                    continue
                except httpx.HTTPError:
                    self.uncertain.append(text)
                    break
                if r.status_code == 201:
                    self.accepted.append(text)
                else:
                    self.errors.append(f"{text}: {r.status_code} {r.text}")
                break
            if self.pause_s:
                time.sleep(self.pause_s)


def chains(store_file: Path) -> dict[str, list[tuple[int, bytes]]]:
    """Each sender's chained envelopes (seq, id) in this store, evidence aside."""
    db = sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=30)
    try:
        rows = db.execute(
            "SELECT sender, seq, id FROM envelopes"
            " WHERE seq > 0 AND role IN ('own', 'peer') ORDER BY sender, seq"
        ).fetchall()
    finally:
        db.close()
    out: dict[str, list[tuple[int, bytes]]] = {}
    for sender, seq, envelope_id in rows:
        out.setdefault(sender, []).append((seq, bytes(envelope_id)))
    return out


def notification_bodies(store_file: Path, sender: str) -> list[bytes]:
    db = sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=30)
    try:
        rows = db.execute(
            "SELECT raw FROM envelopes WHERE sender = ? AND kind = 'notification'", (sender,)
        ).fetchall()
    finally:
        db.close()
    return [bytes(raw) for (raw,) in rows]


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[NodeProcess, NodeProcess, ProxyLoop]]:
    proxies = ProxyLoop()
    us = NodeProcess.create(tmp_path, "US", free_port())
    ru = NodeProcess.create(tmp_path, "RU", free_port())
    to_ru_port, to_us_port = free_port(), free_port()
    us.introduce(ru, f"127.0.0.1:{to_ru_port}")  # US's address for RU is the proxy
    ru.introduce(us, f"127.0.0.1:{to_us_port}")
    proxies.proxy(ru.listen_port, to_ru_port)
    proxies.proxy(us.listen_port, to_us_port)
    us.start()
    ru.start()
    try:
        yield us, ru, proxies
    finally:
        us.stop()
        ru.stop()
        proxies.close()


def open_channel(us: NodeProcess, ru: NodeProcess) -> str:
    cid: str = us.call("POST", "/api/v1/channels", json={"name": "Resilience", "parties": ["RU"]})[
        "id"
    ]
    wait_for(lambda: any(c["id"] == cid for c in ru.call("GET", "/api/v1/channels")), 30, "offer")
    ru.call("POST", f"/api/v1/channels/{cid}/accept")
    wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}")["opened"], 30, "channel open")
    return cid


def restart(node: NodeProcess, sender: Sender, down_s: float) -> None:
    """kill -9 the node mid-stream, leave it down a moment, start it again."""
    node.kill()
    sender.up.clear()
    time.sleep(down_s)
    node.start()
    sender.up.set()


def test_no_loss_no_doubles_through_faults_and_kills(proxied) -> None:
    """Faults on the wire and kill -9 of either side lose nothing and double nothing."""
    us, ru, proxies = proxied
    cid = open_channel(us, ru)
    senders = {n.party: Sender(n, cid, MESSAGES_PER_SIDE, pause_s=0.005) for n in (us, ru)}
    threads = [threading.Thread(target=s.run, daemon=True) for s in senders.values()]
    for thread in threads:
        thread.start()

    def both(action: Callable[[FaultProxy], object]) -> None:
        proxies.call(lambda: [action(p) for p in proxies.proxies])

    for _ in range(FAULT_ROUNDS):
        both(lambda p: setattr(p, "delay_s", 0.03))
        time.sleep(1.5)
        both(FaultProxy.heal)
        for _ in range(3):
            both(FaultProxy.drop)
            time.sleep(0.3)
        both(lambda p: p.cut_after(1500))
        both(FaultProxy.drop)
        time.sleep(1.5)
        both(FaultProxy.heal)
        both(lambda p: setattr(p, "blackhole", True))
        time.sleep(2.0)
        both(FaultProxy.heal)
        both(FaultProxy.drop)
        both(lambda p: p.flap(0.25))
        time.sleep(2.0)
        both(FaultProxy.heal)
        restart(ru, senders["RU"], 0.5)
        time.sleep(1.0)
        restart(us, senders["US"], 0.5)
        time.sleep(1.0)
        restart(ru, senders["RU"], 0.0)
        restart(us, senders["US"], 0.0)

    for thread in threads:
        thread.join(timeout=300)
        assert not thread.is_alive(), "a sender did not finish"
    for s in senders.values():
        assert s.errors == [], s.errors[:5]
        assert len(s.accepted) >= MESSAGES_PER_SIDE * 0.9, (len(s.accepted), len(s.uncertain))

    us_store, ru_store = Home(us.home).store_file, Home(ru.home).store_file
    for party, s in senders.items():
        print(f"{party}: {len(s.accepted)} accepted, {len(s.uncertain)} cut by a kill")
    for proxy in proxies.proxies:
        print(f"proxy to {proxy.upstream_port}: {proxy.connections} connections")

    def converged() -> bool:
        a, b = chains(us_store), chains(ru_store)
        return a == b and all(
            len(notification_bodies(store, p)) >= len(senders[p].accepted)
            for p in senders
            for store in (us_store, ru_store)
        )

    wait_for(converged, 120, "both stores to hold the same chains")
    us.stop()
    ru.stop()

    us_chains, ru_chains = chains(us_store), chains(ru_store)
    assert us_chains == ru_chains
    assert sorted(us_chains) == ["RU", "US"]
    for chain in us_chains.values():
        assert [seq for seq, _ in chain] == list(range(1, len(chain) + 1))  # no gap, no double
        assert len({envelope_id for _, envelope_id in chain}) == len(chain)

    for party, sender in senders.items():
        for store_file in (us_store, ru_store):
            bodies = notification_bodies(store_file, party)
            for text in sender.accepted:
                needle = f'"{text}"'.encode()
                assert sum(needle in body for body in bodies) == 1, (store_file, text)
            for text in sender.uncertain:  # maybe stored before the kill, never twice
                needle = f'"{text}"'.encode()
                assert sum(needle in body for body in bodies) <= 1, (store_file, text)
