"""Two nodes in one event loop over real TLS sockets on loopback, for tests and benchmarks
that need to reach into a node (its channels, its store) while it runs."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import msgspec

from hotline.node.home import Home, PeerConfig, create_home, read_introduction
from hotline.node.runtime import Node
from hotline.storage.sqlite import open_sqlite_store
from hotline.storage.store import PeerRecord
from hotline.testing.processes import free_port

__all__ = ["HomePair", "introduce_homes", "until"]


def introduce_homes(home: Home, other: Home, address: str) -> None:
    """What `hotline peer add` does: ``other``'s card trusted by ``home``, at ``address``."""
    intro = read_introduction(other.introduction())
    store = open_sqlite_store(home.store_file)
    store.put_peer(PeerRecord(intro.party, str(intro.card.fingerprint), intro.data, 0))
    store.close()
    config = home.config()
    peers = {**config.peers, intro.party: PeerConfig(address=address)}
    home.save_config(msgspec.structs.replace(config, peers=peers))


async def until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Poll ``condition`` every 20 ms; AssertionError if it is not met in ``timeout_s``."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout_s
    while not condition():
        if loop.time() > end:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


@dataclass(frozen=True)
class HomePair:
    """A US and an RU home that know each other, each with its own listening port."""

    us: Home
    ru: Home
    us_port: int
    ru_port: int

    @classmethod
    def create(cls, root: Path, now: dt.datetime | None = None) -> HomePair:
        now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
        us, ru = create_home(root / "us", "US", now=now), create_home(root / "ru", "RU", now=now)
        pair = cls(us, ru, free_port(), free_port())
        introduce_homes(us, ru, f"127.0.0.1:{pair.ru_port}")
        introduce_homes(ru, us, f"127.0.0.1:{pair.us_port}")
        return pair

    async def start(self) -> tuple[Node, Node]:
        """Both nodes, started (again, after a stop: same homes, same ports)."""
        us, ru = Node(self.us), Node(self.ru)
        await us.start(f"127.0.0.1:{self.us_port}")
        await ru.start(f"127.0.0.1:{self.ru_port}")
        return us, ru

    async def open_channel(
        self, us: Node, ru: Node, name: str, *, two_person_flash: bool = False
    ) -> str:
        """A channel US proposes and RU accepts; returns its id once open on both sides."""
        cid = await us.create_channel(name, ["RU"], two_person_flash=two_person_flash)
        await until(lambda: cid in ru.slots)
        await ru.accept_channel(cid)
        await until(lambda: us.channel(cid).opened and ru.channel(cid).opened)
        return cid
