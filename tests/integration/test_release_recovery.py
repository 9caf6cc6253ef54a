"""A release cut short by a crash is settled on restart from what the channel holds: sent once
if its message was stored, held again if not. Two nodes in one event loop over real TLS."""

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hotline.node.releases import FlashReleases
from hotline.node.runtime import Node
from hotline.protocol.types import Marking, Precedence
from hotline.storage.releases import DraftState
from hotline.testing.inprocess import HomePair, until

T0 = dt.datetime.now(dt.UTC).replace(microsecond=0)
BODY = b'{"type":"free_text","version":"1.0","text":{"lang":"en","text":"CHECK FIRE"}}'


@pytest.fixture
async def opened(tmp_path: Path) -> AsyncIterator[tuple[Node, Node, str]]:
    homes = HomePair.create(tmp_path, T0)
    us, ru = await homes.start()
    cid = await homes.open_channel(us, ru, "Two-person", two_person_flash=True)
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
