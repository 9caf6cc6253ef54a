"""Two nodes in one event loop over real TLS sockets: propose, accept, FLASH, receipt, ack."""

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hotline.node.runtime import Node
from hotline.protocol.events import Role
from hotline.protocol.types import Marking, Precedence
from hotline.testing.inprocess import HomePair, until

T0 = dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture
def homes(tmp_path: Path) -> HomePair:
    return HomePair.create(tmp_path, T0)


@pytest.fixture
async def pair(homes: HomePair) -> AsyncIterator[tuple[Node, Node]]:
    us, ru = await homes.start()
    yield us, ru
    await us.stop()
    await ru.stop()


async def test_a_channel_from_proposal_to_acknowledgement(pair) -> None:
    us, ru = pair
    cid = await us.create_channel("Black Sea air safety", ["RU"])
    await until(lambda: cid in ru.slots)  # RU holds the proposal for its operator
    assert not ru.channel(cid).opened
    await ru.accept_channel(cid)
    await until(lambda: us.channel(cid).opened and ru.channel(cid).opened)

    ref = await us.notify(
        cid,
        b'{"type":"free_text","text":"CHECK FIRE"}',
        prec=Precedence.FLASH,
        mark=Marking.EXERCISE,
    )
    await until(lambda: us.channel(cid).peer_status("RU").receipted >= ref.seq)  # node receipt
    stored = [e for e in ru.store.envelopes(cid) if e.kind == "notification"]
    assert [(e.sender, e.seq, e.role) for e in stored] == [("US", ref.seq, Role.PEER)]
    assert stored[0].raw.endswith(b'CHECK FIRE"}')

    await ru.acknowledge(cid, ref)  # RU's operator has read and understood it
    await until(lambda: any(e.kind == "ack" for e in us.store.envelopes(cid)))
    acks = us.store.referencing(cid, "US", ref.seq)
    assert [(a.sender, a.kind) for a in acks] == [("RU", "ack")]


async def test_a_clean_link_needs_no_resends_beyond_the_window(pair) -> None:
    """More notifications than the send window: each window is sent when the last is
    receipted, never left to the resend timer (the receipts' answers used to be dropped)."""
    us, ru = pair
    cid = await us.create_channel("Throughput", ["RU"])
    await until(lambda: cid in ru.slots)
    await ru.accept_channel(cid)
    await until(lambda: us.channel(cid).opened)
    count = us.channel(cid).tuning.window * 2 + 10
    refs = await us.notify_many(
        cid, [b'{"n":%d}' % i for i in range(count)], prec=Precedence.ROUTINE, mark=Marking.TEST
    )
    await until(lambda: us.channel(cid).peer_status("RU").receipted >= refs[-1].seq, 60)
    assert us.channel(cid).stats.resent == 0


async def test_stopping_mid_traffic_is_prompt_and_loses_nothing(homes: HomePair) -> None:
    """Both nodes stopped while a burst is in flight, at several points of it, then restarted:
    each stop ends within a bound far below the link's 60 s idle timeout (a connection task
    that swallowed its cancellation used to hold a stop for exactly that long), and after the
    restart every notification arrives, once."""
    us, ru = await homes.start()
    cid = await homes.open_channel(us, ru, "Stop mid-traffic")
    sent = 0
    for pause_s in (0.0, 0.05, 0.0, 0.05, 0.2):
        refs = await us.notify_many(
            cid,
            [b'{"n":%d}' % (sent + i) for i in range(1500)],
            prec=Precedence.ROUTINE,
            mark=Marking.TEST,
        )
        sent += len(refs)
        await asyncio.sleep(pause_s)
        for node in (us, ru):
            async with asyncio.timeout(20):
                await node.stop()
        us, ru = await homes.start()
    await until(lambda: us.channel(cid).peer_status("RU").receipted >= refs[-1].seq, 60)
    received = [e for e in ru.store.envelopes(cid) if e.kind == "notification"]
    assert sorted(e.raw.rsplit(b'"n":', 1)[1] for e in received) == sorted(
        b"%d}" % n for n in range(sent)
    )
    await us.stop()
    await ru.stop()
