"""A release cut short by a crash is settled on restart from what the channel holds: sent once
if its message was stored, held again if not. Two nodes in one event loop over real TLS."""

import asyncio
import datetime as dt
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import msgspec
import pytest

from hotline.node.home import Home, PeerConfig, create_home, read_introduction
from hotline.node.releases import FlashReleases
from hotline.node.runtime import Node
from hotline.protocol.types import Marking, Precedence
from hotline.storage.releases import DraftState
from hotline.storage.sqlite import open_sqlite_store
from hotline.storage.store import PeerRecord

T0 = dt.datetime.now(dt.UTC).replace(microsecond=0)
BODY = b'{"type":"free_text","version":"1.0","text":{"lang":"en","text":"CHECK FIRE"}}'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def introduce(home: Home, other: Home, address: str) -> None:
    intro = read_introduction(other.introduction())
    store = open_sqlite_store(home.store_file)
    store.put_peer(PeerRecord(intro.party, str(intro.card.fingerprint), intro.data, 0))
    store.close()
    config = home.config()
    peers = {**config.peers, intro.party: PeerConfig(address=address)}
    home.save_config(msgspec.structs.replace(config, peers=peers))


async def until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout_s
    while not condition():
        if loop.time() > end:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


@pytest.fixture
async def opened(tmp_path: Path) -> AsyncIterator[tuple[Node, Node, str]]:
    us_home = create_home(tmp_path / "us", "US", now=T0)
    ru_home = create_home(tmp_path / "ru", "RU", now=T0)
    us_port, ru_port = free_port(), free_port()
    introduce(us_home, ru_home, f"127.0.0.1:{ru_port}")
    introduce(ru_home, us_home, f"127.0.0.1:{us_port}")
    us, ru = Node(us_home), Node(ru_home)
    await us.start(f"127.0.0.1:{us_port}")
    await ru.start(f"127.0.0.1:{ru_port}")
    cid = await us.create_channel("Two-person", ["RU"], two_person_flash=True)
    await until(lambda: cid in ru.slots)
    await ru.accept_channel(cid)
    await until(lambda: us.channel(cid).opened)
    yield us, ru, cid
    await until(lambda: us.channel(cid).settled() and ru.channel(cid).settled(), 30)
    await us.stop()
    await ru.stop()


async def test_interrupted_releases_are_settled_from_the_channel(opened) -> None:
    us, ru, cid = opened
    releases = FlashReleases(us)
    assert releases.applies(cid, Precedence.FLASH)
    assert not releases.applies(cid, Precedence.IMMEDIATE)
    kwargs = {"prec": Precedence.FLASH, "mark": Marking.EXERCISE, "to": None, "refs": []}
    stored = await releases.hold(cid, BODY, author="wo", **kwargs)
    lost = await releases.hold(cid, BODY, author="wo", **kwargs)
    # Both claimed; the first one's message stored, then the node "stopped" before recording it.
    releases.store.begin_release(stored.n, "chief", us.clock_ms())
    releases.store.begin_release(lost.n, "chief", us.clock_ms())
    ref = await us.notify(cid, BODY, prec=Precedence.FLASH, mark=Marking.EXERCISE)

    settled = {d.n: d for d in FlashReleases(us).settle_interrupted()}  # as on restart

    assert (settled[stored.n].state, settled[stored.n].sent_seq) == (DraftState.RELEASED, ref.seq)
    assert settled[lost.n].state is DraftState.HELD  # same body, but its message was never stored
    assert [d.n for d in releases.pending()] == [lost.n]
    done, again = await releases.release(lost.n, "chief")
    assert (done.state, again.seq) == (DraftState.RELEASED, ref.seq + 1)
    await until(lambda: us.channel(cid).peer_status("RU").receipted >= again.seq)
    flashes = [e for e in ru.store.envelopes(cid) if e.kind == "notification"]
    assert [e.seq for e in flashes] == [ref.seq, again.seq]  # each once, nothing doubled
    assert releases.released_by(cid)[("US", again.seq)].released_by == "chief"


async def test_a_release_the_rules_refuse_stays_held(opened) -> None:
    us, _, cid = opened
    releases = FlashReleases(us)
    draft = await releases.hold(
        cid, BODY, prec=Precedence.FLASH, mark=Marking.EXERCISE, to=None, refs=[], author="wo"
    )

    def lead_time_ran_out(_: object) -> None:
        raise ValueError("lead time no longer met")

    with pytest.raises(ValueError, match="lead time"):
        await releases.release(draft.n, "chief", lead_time_ran_out)
    assert releases.store.get(draft.n).state is DraftState.HELD
    assert not [e for e in us.store.envelopes(cid) if e.kind == "notification"]
