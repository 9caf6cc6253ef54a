"""The channel state machine, as dialogues between parties joined by an in-memory pipe."""

import hashlib

import msgspec
import pytest

from hotline.errors import LocalProtocolError, RemoteProtocolError
from hotline.protocol.channel import Channel, ChannelConfig
from hotline.protocol.channel_errors import (
    ChainRuleError,
    ChannelNotOpenError,
    CorruptStoreError,
    FalseReceiptError,
    ForeignChannelError,
    ReflectedEnvelopeError,
    UnknownReferenceError,
)
from hotline.protocol.envelope import (
    Envelope,
    Kind,
    Mark,
    Ref,
    body_digest,
    make_header,
    open_envelope,
    seal,
)
from hotline.protocol.events import (
    AckReceived,
    ChannelOpened,
    CharterAccepted,
    CharterProposed,
    EquivocationDetected,
    NotificationReceived,
    Persist,
    ReceiptReceived,
    ReplyReceived,
    Role,
)
from hotline.protocol.types import Marking, Precedence
from hotline.testing.driver import Driver
from hotline.testing.parties import T0_MS, sample_configs
from hotline.testing.pipe import Pipe
from hotline.testing.snapshot import snapshot

BODY = b'{"type":"free_text","text":"Flight of 4 aircraft, sector B, 0600-0800Z"}'


def key_id(config: ChannelConfig) -> bytes:
    return hashlib.sha256(config.keys.node_key.public_key().public_bytes_raw()).digest()


def twin(env: Envelope, config: ChannelConfig, body: bytes = b'{"type":"other"}') -> Envelope:
    """A second envelope with the same seq and prev, signed by the same sender: equivocation."""
    header = msgspec.structs.replace(env.header, blen=len(body), bsha=body_digest(body))
    return seal(header, body, config.keys.node_key, key_id(config))


def test_opening_dialogue_proposal_acceptances_then_open() -> None:
    """The proposer proposes and accepts; the other accepts; both see the channel open."""
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    assert ru.channel.me == ru.channel.charter.proposer == "RU"
    assert [e.proposer for e in us.of_type(CharterProposed)] == ["RU"]
    assert [e.party for e in ru.of_type(CharterAccepted)] == ["US"]
    assert [e.party for e in us.of_type(CharterAccepted)] == ["RU"]
    assert ru.of_type(ChannelOpened) == us.of_type(ChannelOpened) == [ChannelOpened(("RU", "US"))]
    assert ru.channel.own.tip == 2  # proposal, acceptance
    assert us.channel.own.tip == 1  # acceptance
    assert pipe.errors == []


def test_operator_messages_are_refused_until_every_member_accepted() -> None:
    pipe = Pipe.create(["RU", "US"])
    ru = pipe["RU"]
    ru.sent(ru.channel.propose(ru.now), ru.now)
    with pytest.raises(ChannelNotOpenError, match="waiting for charter acceptance from US"):
        ru.channel.notify(BODY, ru.now, prec=Precedence.ROUTINE)


def test_a_peer_operator_message_must_show_every_acceptance() -> None:
    """A notification whose seen omits a member's acceptance is a remote error, nothing changes."""
    configs = sample_configs(["RU", "US"])
    ru = Channel(configs["RU"])
    proposal, accept = ru.propose(T0_MS)
    ru.persisted([proposal.envelope.id, accept.envelope.id], T0_MS)
    us_config = configs["US"]
    accept_us = Channel(us_config)
    first = accept_us.accept(T0_MS).envelope
    header = make_header(
        channel=ru.channel_id, sender="US", seq=2, prev=first.id_hex, seen={}, now_ms=T0_MS,
        kind=Kind.NOTIFICATION, body=BODY, prec=Precedence.FLASH, mark=Marking.REAL,
    )  # fmt: skip
    early = seal(header, BODY, us_config.keys.node_key, key_id(us_config))
    ru.receive(first.raw, T0_MS)
    before = snapshot(ru)
    with pytest.raises(ChainRuleError, match="sent before RU accepted the charter"):
        ru.receive(early.raw, T0_MS)
    assert snapshot(ru) == before


def test_store_before_send_nothing_leaves_before_persisted() -> None:
    pipe = Pipe.open(["RU", "US"])
    us = pipe["US"]
    persist = us.channel.notify(BODY, us.now, prec=Precedence.FLASH)
    assert persist.role is Role.OWN
    assert us.channel.data_to_send(us.now) == []  # not stored yet: nothing may leave
    us.channel.persisted([persist.envelope.id], us.now)
    out = us.channel.data_to_send(us.now)
    assert [(o.to, o.raw) for o in out if o.raw == persist.envelope.raw] == [
        ("RU", persist.envelope.raw)
    ]


def test_receipt_after_store_no_event_no_receipt_before_persisted() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    sent = us.notify(BODY, prec=Precedence.IMMEDIATE)
    ru.auto_commit = False
    for out in us.outgoing(us.now):
        ru.receive(out.raw, ru.now)
    assert [p.role for p in ru.staged] == [Role.PEER]
    assert ru.of_type(NotificationReceived) == []
    assert [o for o in ru.outgoing(ru.now) if b'"kind":"receipt"' in o.raw] == []
    ru.commit(ru.now)  # the store commits; the channel is told
    [note] = ru.of_type(NotificationReceived)
    assert note.ref == sent.envelope.ref()
    assert note.body == BODY
    assert (note.prec, note.mark, note.for_us) == (Precedence.IMMEDIATE, Marking.REAL, True)
    pipe.advance(100)  # receipts to one peer are coalesced: at most one per 100 ms
    assert us.of_type(ReceiptReceived)[-1] == ReceiptReceived("RU", sent.envelope.seq)
    assert us.channel.peer_status("RU").receipted == sent.envelope.seq


def test_duplicates_are_ignored_and_receipted_again() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    sent = us.notify(BODY)
    pipe.flush()
    stored = len(ru.store)
    ru.receive(sent.envelope.raw, ru.now)
    ru.receive(sent.envelope.raw, ru.now)
    assert len(ru.store) == stored
    assert len(ru.of_type(NotificationReceived)) == 1
    assert ru.channel.stats.duplicates == 2
    pipe.clock.advance(1_000)
    receipts = [o for o in ru.outgoing(ru.now) if b'"kind":"receipt"' in o.raw]
    assert len(receipts) == 1  # one receipt for both copies, so the sender stops resending


def test_gap_is_held_asked_for_and_filled_in_order() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    pipe.drop = lambda src, dst, raw: src == "US"
    first, second, third = us.notify(b"1"), us.notify(b"2"), us.notify(b"3")
    pipe.flush()
    pipe.drop = None
    ru.receive(third.envelope.raw, ru.now)
    ru.receive(second.envelope.raw, ru.now)
    assert ru.channel.peer_status("US").held == 2
    assert ru.of_type(NotificationReceived) == []
    pipe.clock.advance(250)  # a gap may be reordering: ask only after the grace period
    [ask] = [o for o in ru.outgoing(ru.now) if b'"kind":"resend"' in o.raw]
    asked = open_envelope(ask.raw, ru.channel.config.members)
    assert asked.body == b'{"ranges":[[%d,%d]]}' % (first.envelope.seq, first.envelope.seq)
    us.receive(ask.raw, us.now)
    pipe.flush()
    bodies = [e.body for e in ru.of_type(NotificationReceived)]
    assert bodies == [b"1", b"2", b"3"]
    assert ru.channel.peer_status("US").held == 0


def test_resends_back_off_exponentially_until_receipted() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    sent = us.notify(BODY)
    times: list[int] = []

    def lose_to_ru(src: str, dst: str, raw: bytes) -> bool:
        if raw == sent.envelope.raw:
            times.append(pipe.clock.now_ms - T0_MS)
        return True  # a cut link: RU cannot ask for the gap, US hears no heartbeat (which
        # would bring a resend at once: a peer heard after a silence is back)

    pipe.drop = lose_to_ru
    pipe.flush()
    pipe.advance(130_000)
    assert times[:8] == [0, 1_000, 3_000, 7_000, 15_000, 31_000, 63_000, 123_000]
    pipe.drop = None
    pipe.advance(60_000)
    assert [e.body for e in ru.of_type(NotificationReceived)] == [BODY]
    assert us.channel.peer_status("RU").receipted == sent.envelope.seq


def test_equivocation_same_seq_is_kept_frozen_and_reported() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    real = us.notify(BODY)
    pipe.flush()
    forged = twin(real.envelope, us.config)
    events = ru.receive(forged.raw, ru.now)
    [alarm] = [e for e in events if isinstance(e, EquivocationDetected)]
    assert (alarm.party, alarm.seq) == ("US", real.envelope.seq)
    assert alarm.ids == (real.envelope.id_hex, forged.id_hex)
    assert [p.envelope.raw for p in events if isinstance(p, Persist)] == [forged.raw]
    assert [p.role for p in events if isinstance(p, Persist)] == [Role.EVIDENCE]
    # frozen: the chain does not advance past the fork, and nothing was chosen
    later = us.notify(b"after the fork")
    pipe.flush()
    status = ru.channel.peer_status("US")
    assert status.durable == real.envelope.seq
    assert status.fork is not None
    assert later.envelope.seq == real.envelope.seq + 1
    assert [e.body for e in ru.of_type(NotificationReceived)] == [BODY]


def test_equivocation_by_prev_is_detected_at_the_next_envelope() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    pipe.drop = lambda src, dst, raw: src == "US"
    real = us.notify(BODY)
    follow = us.notify(b"next")
    pipe.flush()
    pipe.drop = None
    forged = twin(real.envelope, us.config)
    ru.receive(forged.raw, ru.now)  # ru accepts the forged one: it cannot know yet
    events = ru.receive(follow.envelope.raw, ru.now)  # prev names the real one
    [alarm] = [e for e in events if isinstance(e, EquivocationDetected)]
    assert alarm.seq == real.envelope.seq
    assert "prev" in alarm.reason
    assert ru.channel.peer_status("US").accepted == real.envelope.seq


def test_equivocation_between_two_held_envelopes_keeps_both() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    pipe.drop = lambda src, dst, raw: src == "US"
    gap = us.notify(b"gap")
    real = us.notify(BODY)
    pipe.flush()
    pipe.drop = None
    forged = twin(real.envelope, us.config)
    ru.auto_commit = False
    ru.receive(real.envelope.raw, ru.now)
    events = ru.receive(forged.raw, ru.now)
    evidence = [p.envelope.raw for p in events if isinstance(p, Persist)]
    assert evidence == [real.envelope.raw, forged.raw]  # neither was stored: both are now
    ru.commit(ru.now)
    ru.receive(gap.envelope.raw, ru.now)
    ru.commit(ru.now)
    status = ru.channel.peer_status("US")
    assert (status.durable, status.held) == (gap.envelope.seq, 0)  # up to the fork, no further


def test_a_receipt_for_something_never_sent_is_refused_and_changes_nothing() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    configs = sample_configs(["RU", "US"])
    lie = Mark(seq=2, id="ab" * 32)  # RU's seq 2 exists, with another id
    header = make_header(
        channel=ru.channel.channel_id, sender="US", seq=0, prev=None, seen={"RU": lie},
        now_ms=us.now, kind=Kind.RECEIPT, body=b"",
    )  # fmt: skip
    raw = seal(header, b"", configs["US"].keys.node_key, key_id(configs["US"])).raw
    before = snapshot(ru.channel)
    with pytest.raises(FalseReceiptError, match="US claims our seq 2: its id is not"):
        ru.receive(raw, ru.now)
    assert snapshot(ru.channel) == before


def test_foreign_channel_and_reflected_envelopes_are_refused() -> None:
    pipe = Pipe.open(["RU", "US"])
    other = Pipe.open(["RU", "US"], settings={"name": "Another channel"})
    ru = pipe["RU"]
    stray = other["US"].notify(BODY).envelope.raw
    with pytest.raises(ForeignChannelError, match="belongs to channel"):
        ru.receive(stray, ru.now)
    mine = ru.notify(BODY).envelope.raw
    with pytest.raises(ReflectedEnvelopeError, match="our own party RU"):
        ru.receive(mine, ru.now)


def test_body_withheld_from_non_addressees_chains_stay_identical() -> None:
    pipe = Pipe.open(["RU", "UA", "US"])
    sent = pipe["US"].notify(BODY, to=["UA"])
    pipe.flush()
    [to_ua] = pipe["UA"].of_type(NotificationReceived)
    [to_ru] = pipe["RU"].of_type(NotificationReceived)
    assert (to_ua.for_us, to_ua.body) == (True, BODY)
    assert (to_ru.for_us, to_ru.body) == (False, None)  # signed header only
    assert to_ru.envelope.id == to_ua.envelope.id == sent.envelope.id
    assert pipe["RU"].channel.chains["US"].ids == pipe["UA"].channel.chains["US"].ids


def test_acknowledgement_and_reply_reach_the_sender_with_their_marking() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    sent = us.notify(BODY, prec=Precedence.PRIORITY, mark=Marking.EXERCISE)
    pipe.flush()
    ref = sent.envelope.ref()
    ru.sent(ru.channel.acknowledge(ref, ru.now), ru.now)
    ru.sent(ru.channel.reply(ref, b'{"type":"free_text","text":"noted"}', ru.now), ru.now)
    pipe.flush()
    [ack] = us.of_type(AckReceived)
    [reply] = us.of_type(ReplyReceived)
    assert ack.refs == reply.refs == (ref,)
    assert (ack.mark, ack.prec) == (Marking.EXERCISE, Precedence.PRIORITY)
    assert reply.mark == Marking.EXERCISE  # an answer to an exercise is an exercise
    assert us.channel.acks.pending() == []
    assert ru.channel.acks.pending() == []


def test_local_mistakes_are_local_protocol_errors() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru = pipe["RU"]
    now = ru.now
    with pytest.raises(LocalProtocolError, match="operators send"):
        ru.channel.send(Kind.CHECKPOINT, b"", now, prec=Precedence.FLASH, mark=Marking.REAL)
    with pytest.raises(LocalProtocolError, match="exceeds the charter's limit"):
        ru.channel.notify(b"x" * (256 * 1024 + 1), now, prec=Precedence.FLASH)
    with pytest.raises(LocalProtocolError, match="recipients must be other members"):
        ru.channel.notify(BODY, now, prec=Precedence.FLASH, to=["RU"])
    with pytest.raises(UnknownReferenceError, match="not stored here"):
        ru.channel.acknowledge(Ref(party="US", seq=9, id="00" * 32), now)
    with pytest.raises(LocalProtocolError, match="already proposed"):
        ru.channel.propose(now)
    with pytest.raises(LocalProtocolError, match="accepts with propose"):
        ru.channel.accept(now)
    with pytest.raises(LocalProtocolError, match="already accepted"):
        pipe["US"].channel.accept(now)
    assert ru.channel.own.tip == 2  # nothing was sealed


def test_join_from_the_proposal_envelope() -> None:
    configs = sample_configs(["RU", "US"])
    ru = Driver(configs["RU"])
    proposal, _ = ru.sent(ru.channel.propose(T0_MS), T0_MS)[:2]
    assert isinstance(proposal, Persist)
    us_config = configs["US"]
    channel, events = Channel.from_proposal(
        proposal.envelope.raw, us_config.keys, us_config.members, T0_MS
    )
    assert channel.channel_id == ru.channel.channel_id
    assert [type(e) for e in events] == [Persist]
    with pytest.raises(RemoteProtocolError, match="not a charter proposal"):
        Channel.from_proposal(ru.store[1], us_config.keys, us_config.members, T0_MS)


def test_restore_replays_the_store_and_loses_only_what_was_not_stored() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    for n in range(5):
        us.notify(b"n%d" % n)
        ru.notify(b"r%d" % n)
    pipe.flush()
    live = ru.channel
    ru.auto_commit = False
    lost = ru.channel.notify(b"never stored", ru.now, prec=Precedence.FLASH)
    ru.sent(lost, ru.now)
    ru.crash(ru.now)
    restored = ru.channel
    assert restored.own.ids == live.own.ids[:-1]  # the unstored envelope is gone
    assert restored.chains["US"].ids == live.chains["US"].ids
    assert restored.peer_status("US").receipted == live.peer_status("US").receipted
    assert restored.opened
    assert [o.ref for o in restored.acks.pending()] == [o.ref for o in live.acks.pending()]
    ru.auto_commit = True
    again = ru.notify(b"after restart")
    assert again.envelope.seq == lost.envelope.seq  # the seq is reused: the first never left
    pipe.flush()
    assert pipe.errors == []
    assert us.channel.chains["RU"].ids == ru.channel.own.ids


def test_restore_refuses_a_store_with_a_hole() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru = pipe["RU"]
    ru.notify(b"one")
    ru.notify(b"two")
    holed = [raw for raw, role in zip(ru.store, ru.roles, strict=True) if role is Role.OWN]
    del holed[2]
    with pytest.raises(CorruptStoreError, match=r"stored envelope #2 .* does not follow"):
        Channel.restore(ru.config, holed, ru.now)


def test_a_fork_survives_a_restart_because_its_evidence_was_stored() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    real = us.notify(BODY)
    pipe.flush()
    ru.receive(twin(real.envelope, us.config).raw, ru.now)
    assert Role.EVIDENCE in ru.roles
    ru.crash(ru.now)
    fork = ru.channel.forks["US"]
    assert (fork.seq, fork.frozen_at) == (real.envelope.seq, real.envelope.seq)
    us.notify(b"after the fork")
    pipe.flush()
    assert ru.channel.peer_status("US").durable == real.envelope.seq  # still frozen
