"""The contract every `Store` adapter must pass: `CHECKS`, each a function of a store factory.

Run it against an adapter with one parametrised test (see tests/integration/test_store_sqlite.py):

    @pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
    def test_contract(check, make_store): check(make_store)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from hotline.errors import HotlineError
from hotline.storage.store import (
    ChainConflictError,
    ChannelRecord,
    ChannelState,
    NewEnvelope,
    PeerRecord,
    Role,
    Store,
)

StoreFactory = Callable[[], Store]
CH = "c0" * 32


def envelope(sender: str, seq: int, *, role: Role = Role.PEER, tag: bytes = b"") -> NewEnvelope:
    raw = b"raw:%s:%d:%s" % (sender.encode(), seq, tag)
    return NewEnvelope(
        raw=raw, id=hashlib.sha256(raw).digest(), sender=sender, seq=seq,
        kind="notification", role=role, sender_ms=1000 + seq, prec="FLASH", mark="EXERCISE",
    )  # fmt: skip


def channel(store: Store, cid: str = CH) -> None:
    store.add_channel(ChannelRecord(cid, "test", b"charter:" + cid.encode(), "US",
                                    ChannelState.PROPOSED, 1))  # fmt: skip


def check_channels_round_trip(make: StoreFactory) -> None:
    store = make()
    channel(store)
    channel(store)  # idempotent
    store.set_channel_state(CH, ChannelState.ACTIVE)
    record = store.channel(CH)
    assert record is not None
    assert (record.state, record.charter, record.my_party) == (
        ChannelState.ACTIVE, b"charter:" + CH.encode(), "US",
    )  # fmt: skip
    assert [c.id for c in store.channels()] == [CH]
    assert store.channel("ff" * 32) is None


def check_append_is_exactly_once(make: StoreFactory) -> None:
    store = make()
    channel(store)
    batch = [envelope("RU", 1), envelope("RU", 2)]
    assert store.append(CH, batch, now_ms=5) == [True, True]
    assert store.append(CH, [*batch, envelope("RU", 3)], now_ms=6) == [False, False, True]
    assert store.append(CH, [envelope("RU", 4), envelope("RU", 4)], now_ms=7) == [True, False]
    stored = list(store.envelopes(CH))
    assert [(e.sender, e.seq) for e in stored] == [("RU", 1), ("RU", 2), ("RU", 3), ("RU", 4)]
    assert stored[0].raw == batch[0].raw
    assert stored[0].stored_ms == 5
    assert store.count(CH) == 4


def check_storage_order_and_resume(make: StoreFactory) -> None:
    store = make()
    channel(store)
    items = [envelope("US", i, role=Role.OWN) for i in range(1, 4501)]
    store.append(CH, items, now_ms=1)
    stored = list(store.envelopes(CH))
    assert [e.seq for e in stored] == list(range(1, 4501))
    assert [e.n for e in stored] == sorted(e.n for e in stored)
    after = stored[2999].n
    assert [e.seq for e in store.envelopes(CH, after_n=after)] == list(range(3001, 4501))


def check_second_envelope_at_a_seq_is_refused_unless_evidence(make: StoreFactory) -> None:
    store = make()
    channel(store)
    store.append(CH, [envelope("RU", 1)], now_ms=1)
    try:
        store.append(CH, [envelope("RU", 2), envelope("RU", 1, tag=b"forked")], now_ms=2)
    except ChainConflictError as exc:
        assert (exc.sender, exc.seq) == ("RU", 1)
    else:
        raise AssertionError("a conflicting envelope was stored in the chain")
    assert [e.seq for e in store.envelopes(CH)] == [1]  # whole batch rolled back
    evidence = envelope("RU", 1, role=Role.EVIDENCE, tag=b"forked")
    assert store.append(CH, [evidence], now_ms=3) == [True]
    first = store.chain_envelope(CH, "RU", 1)
    assert first is not None
    assert first.raw == envelope("RU", 1).raw  # the first one keeps its place
    assert [e.role for e in store.envelopes(CH)] == [Role.PEER, Role.EVIDENCE]


def check_receipts_have_no_chain_place(make: StoreFactory) -> None:
    store = make()
    channel(store)
    receipts = [envelope("RU", 0, role=Role.RECEIPT, tag=b"%d" % i) for i in range(3)]
    assert store.append(CH, receipts, now_ms=1) == [True, True, True]
    assert store.chain_envelope(CH, "RU", 0) is None


def check_channels_are_separate(make: StoreFactory) -> None:
    store = make()
    other = "d1" * 32
    channel(store)
    channel(store, other)
    store.append(CH, [envelope("RU", 1)], now_ms=1)
    assert store.append(other, [envelope("RU", 1)], now_ms=1) == [True]
    assert store.count(CH) == store.count(other) == 1


def check_refs_find_acks_and_replies(make: StoreFactory) -> None:
    store = make()
    channel(store)
    note = envelope("US", 1, role=Role.OWN)
    raw = b"ack of US 1"
    ack = NewEnvelope(raw=raw, id=hashlib.sha256(raw).digest(), sender="RU", seq=1, kind="ack",
                      role=Role.PEER, sender_ms=9, refs=(("US", 1),))  # fmt: skip
    store.append(CH, [note, ack], now_ms=1)
    assert [e.kind for e in store.referencing(CH, "US", 1)] == ["ack"]
    assert store.referencing(CH, "US", 2) == []


def check_peers_and_meta(make: StoreFactory) -> None:
    store = make()
    store.put_peer(PeerRecord("RU", "11111 22222", b"card-1", 1))
    store.put_peer(PeerRecord("RU", "33333 44444", b"card-2", 2))  # a rotated card replaces
    assert [(p.party, p.card) for p in store.peers()] == [("RU", b"card-2")]
    assert store.get_meta("k") is None
    store.put_meta("k", b"v1")
    store.put_meta("k", b"v2")
    assert store.get_meta("k") == b"v2"


def check_errors_are_hotline_errors(make: StoreFactory) -> None:
    store = make()
    try:
        store.set_channel_state("ee" * 32, ChannelState.CLOSED)
    except HotlineError as exc:
        assert "no channel" in str(exc)
    else:
        raise AssertionError("setting the state of a missing channel passed silently")


CHECKS: list[Callable[[StoreFactory], None]] = [
    check_channels_round_trip,
    check_append_is_exactly_once,
    check_storage_order_and_resume,
    check_second_envelope_at_a_seq_is_refused_unless_evidence,
    check_receipts_have_no_chain_place,
    check_channels_are_separate,
    check_refs_find_acks_and_replies,
    check_peers_and_meta,
    check_errors_are_hotline_errors,
]
