"""Time in the channel: heartbeats and skew, link tests, ack windows, checkpoints, liveness."""

import hashlib

import pytest

from hotline.protocol.channel import ChannelConfig
from hotline.protocol.channel_errors import FalseReceiptError
from hotline.protocol.envelope import Kind, make_header, open_envelope, seal
from hotline.protocol.events import (
    AckOverdue,
    CheckpointCosigned,
    ClockSkewMeasured,
    EquivocationDetected,
    LinkTestMissed,
    LinkTestPassed,
    NotificationReceived,
    PeerReachable,
    PeerTestOverdue,
    PeerUnreachable,
)
from hotline.protocol.link import Tuning
from hotline.protocol.merkle import tree_head
from hotline.protocol.messages import (
    CheckpointBody,
    CosignBody,
    ResendRequest,
    SeqRange,
    checkpoint_statement,
    cosign_statement,
    encode_body,
    sign_statement,
)
from hotline.protocol.types import Marking, Precedence
from hotline.testing.pipe import Pipe
from hotline.testing.snapshot import snapshot

FAST = {"test_interval_s": 60, "test_grace_s": 10, "heartbeat_interval_s": 15}


def key_id(config: ChannelConfig) -> bytes:
    return hashlib.sha256(config.keys.node_key.public_key().public_bytes_raw()).digest()


def chained(config: ChannelConfig, channel: str, seq: int, prev: str, kind: Kind, body: bytes):
    """An envelope signed by ``config``'s node, outside its channel (a hostile or broken peer)."""
    header = make_header(
        channel=channel, sender=config.keys.party, seq=seq, prev=prev, seen={},
        now_ms=0, kind=kind, body=body,
    )  # fmt: skip
    return seal(header, body, config.keys.node_key, key_id(config))


def test_heartbeats_measure_clock_skew_both_ways() -> None:
    pipe = Pipe.create(["RU", "US"])
    pipe["US"].offset_ms = 5_000  # US's clock runs 5 s ahead
    pipe = _open(pipe)
    pipe.advance(16_000)
    [ru_sees] = pipe["RU"].of_type(ClockSkewMeasured)
    [us_sees] = pipe["US"].of_type(ClockSkewMeasured)
    assert (ru_sees.peer, ru_sees.offset_ms, ru_sees.rtt_ms) == ("US", 5_000, 0)
    assert (us_sees.peer, us_sees.offset_ms) == ("RU", -5_000)
    assert pipe["RU"].channel.peer_status("US").skew_ms == 5_000


def _open(pipe: Pipe) -> Pipe:
    for d in pipe.drivers.values():
        if d.channel.me == d.channel.charter.proposer:
            d.sent(d.channel.propose(d.now), d.now)
        else:
            d.sent(d.channel.accept(d.now), d.now)
    pipe.flush()
    return pipe


def test_scheduled_link_tests_pass_when_receipted_in_time() -> None:
    pipe = Pipe.open(["RU", "UA", "US"], settings=FAST)
    pipe.advance(61_000)
    assert pipe["RU"].of_type(LinkTestPassed) == [LinkTestPassed("UA", 1), LinkTestPassed("US", 1)]
    assert pipe["US"].of_type(LinkTestMissed) == []
    assert pipe["US"].of_type(PeerTestOverdue) == []
    pipe.advance(60_000)
    assert LinkTestPassed("UA", 2) in pipe["US"].of_type(LinkTestPassed)


def test_a_missed_link_test_alarms_on_both_sides() -> None:
    pipe = Pipe.open(["RU", "US"], settings=FAST)
    pipe.drop = lambda src, dst, raw: src == "US" and b'"kind":"link_test"' in raw
    pipe.advance(80_000)
    due = _first_test(pipe) + 10_000
    assert pipe["US"].of_type(LinkTestMissed) == [LinkTestMissed("RU", 1, due)]
    [overdue] = pipe["RU"].of_type(PeerTestOverdue)
    assert overdue.peer == "US"
    pipe.advance(60_000)
    assert len(pipe["RU"].of_type(PeerTestOverdue)) == 1  # reported once, not every tick
    pipe.drop = None
    pipe.advance(60_000)
    assert len(pipe["RU"].of_type(PeerTestOverdue)) == 1


def _first_test(pipe: Pipe) -> int:
    """The time US sealed its first link test, from its store."""
    us = pipe["US"]
    for raw in us.store:
        env = open_envelope(raw, us.config.members)
        if env.sender == "US" and env.header.kind == Kind.LINK_TEST:
            return env.header.t
    raise AssertionError("US sent no link test")


def test_ack_windows_alarm_once_for_each_side_and_clear_on_ack() -> None:
    pipe = Pipe.open(["RU", "US"])
    sent = pipe["US"].notify(b'{"type":"launch"}', prec=Precedence.FLASH, mark=Marking.TEST)
    pipe.advance(599_000)
    assert pipe["US"].of_type(AckOverdue) == []
    pipe.advance(2_000)
    due = sent.envelope.header.t + 600_000
    expected = AckOverdue(sent.envelope.ref(), "RU", Precedence.FLASH, Marking.TEST, due)
    assert pipe["US"].of_type(AckOverdue) == [expected]  # RU's operator owes it
    assert pipe["RU"].of_type(AckOverdue) == [expected]  # and RU's own console says so
    assert [o.ref for o in pipe["RU"].channel.overdue] == [sent.envelope.ref()]
    pipe.advance(3_600_000)
    assert len(pipe["US"].of_type(AckOverdue)) == 1
    ru = pipe["RU"]
    ru.sent(ru.channel.acknowledge(sent.envelope.ref(), ru.now), ru.now)
    pipe.flush()
    assert pipe["US"].channel.overdue == []
    assert ru.channel.overdue == []


def test_an_ack_in_time_raises_nothing() -> None:
    pipe = Pipe.open(["RU", "US"])
    sent = pipe["US"].notify(b"x", prec=Precedence.IMMEDIATE)
    pipe.flush()
    ru = pipe["RU"]
    ru.sent(ru.channel.acknowledge(sent.envelope.ref(), ru.now), ru.now)
    pipe.advance(2 * 3_600_000)
    assert pipe["US"].of_type(AckOverdue) == []
    assert ru.of_type(AckOverdue) == []


def test_checkpoints_are_countersigned_by_every_peer() -> None:
    pipe = Pipe.open(["RU", "UA", "US"], settings={"checkpoint_every": 4})
    for n in range(3):
        pipe["US"].notify(b"%d" % n)
    pipe.advance(1)
    cosigned = pipe["US"].of_type(CheckpointCosigned)
    assert sorted(e.peer for e in cosigned) == ["RU", "UA"]
    size = cosigned[0].size
    assert size == 4  # acceptance + 3 notifications; the checkpoint itself is seq 5
    assert cosigned[0].root == tree_head(pipe["US"].channel.own.ids[:4]).hex()
    assert pipe.errors == []


def test_a_checkpoint_over_another_history_is_fork_evidence() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    us.notify(b"one")
    pipe.flush()
    keys = us.config.keys
    own = us.channel.own
    size, root = own.tip, "00" * 32
    stmt = checkpoint_statement(ru.channel.channel_id, "US", size, root)
    body = CheckpointBody(size=size, root=root, sig=sign_statement(stmt, keys.party_ed25519,
                                                                  keys.party_mldsa65))  # fmt: skip
    lie = chained(us.config, ru.channel.channel_id, size + 1, own.tip_id() or "", Kind.CHECKPOINT,
                  encode_body(body))  # fmt: skip
    events = ru.receive(lie.raw, ru.now)
    [alarm] = [e for e in events if isinstance(e, EquivocationDetected)]
    assert "root differs" in alarm.reason
    assert ru.channel.peer_status("US").durable == size  # the lie is evidence, not chain


def test_a_countersignature_of_a_checkpoint_we_never_made_is_refused() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    keys = us.config.keys
    stmt = cosign_statement(ru.channel.channel_id, "RU", 1, "11" * 32)
    body = CosignBody(party="RU", size=1, root="11" * 32,
                      sig=sign_statement(stmt, keys.party_ed25519, keys.party_mldsa65))  # fmt: skip
    own = us.channel.own
    forged = chained(us.config, ru.channel.channel_id, own.tip + 1, own.tip_id() or "",
                     Kind.COSIGN, encode_body(body))  # fmt: skip
    before = snapshot(ru.channel)
    with pytest.raises(FalseReceiptError, match="countersigns a checkpoint we never made"):
        ru.receive(forged.raw, ru.now)
    assert snapshot(ru.channel) == before


def test_silence_makes_a_peer_unreachable_and_its_return_reachable() -> None:
    pipe = Pipe.open(["RU", "US"])
    pipe.drop = lambda src, dst, raw: src == "US"
    pipe.advance(46_000)
    [gone] = pipe["RU"].of_type(PeerUnreachable)
    assert gone.peer == "US"
    pipe.drop = None
    pipe.advance(16_000)
    assert pipe["RU"].of_type(PeerReachable) == [PeerReachable("US")]


def test_a_peer_back_from_a_short_outage_gets_our_envelopes_without_waiting_out_the_backoff() -> (
    None
):
    """An outage shorter than the unreachable alarm (a restart): our resends went nowhere and
    the back-off grew to 8 s; the first envelope heard from the peer brings them at once."""
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    pipe.drop = lambda src, dst, raw: True  # both ways down
    for n in range(3):
        us.notify(b"%d" % n)
    pipe.advance(7_500)  # resends at 1, 3 and 7 s lost: the next is due at 15 s
    pipe.drop = None
    ru.notify(b"back")  # RU's first words after the outage
    pipe.flush()  # no time passes
    assert [e.body for e in ru.of_type(NotificationReceived)] == [b"0", b"1", b"2"]


def test_a_chatty_peer_cannot_make_us_resend_more_often() -> None:
    """A peer that never receipts and talks every 0.5 s (never silent for a resend interval)
    gets only the back-off's resends: at 1, 3, 7 and 15 s in 20 s."""
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    pipe.drop = lambda src, dst, raw: src == "US"  # US's envelopes never arrive
    us.notify(b"0")
    for _ in range(40):
        ru.notify(b"chatter")
        pipe.advance(500)
    assert us.channel.stats.resent == 4


def test_the_hold_window_bounds_what_a_peer_can_make_us_keep() -> None:
    pipe = Pipe.open(["RU", "US"], tuning=Tuning(max_held=2))
    ru, us = pipe["RU"], pipe["US"]
    pipe.drop = lambda src, dst, raw: True
    sent = [us.notify(b"%d" % n) for n in range(4)]  # seqs 2..5
    pipe.drop = None
    ru.receive(sent[1].envelope.raw, ru.now)  # seq 3: held
    ru.receive(sent[3].envelope.raw, ru.now)  # seq 5: beyond 1 + 2, dropped
    assert ru.channel.peer_status("US").held == 1
    assert ru.channel.stats.dropped_ahead == 1
    pipe.advance(70_000)  # resends fill everything in order
    assert [e.body for e in ru.of_type(NotificationReceived)] == [b"0", b"1", b"2", b"3"]


def test_a_resend_request_is_served_only_for_unreceipted_envelopes() -> None:
    pipe = Pipe.open(["RU", "US"])
    ru, us = pipe["RU"], pipe["US"]
    pipe.drop = lambda src, dst, raw: src == "US"
    sent = [us.notify(b"%d" % n) for n in range(3)]  # seqs 2..4; RU has receipted seq 1
    pipe.flush()
    pipe.drop = None
    body = encode_body(ResendRequest(ranges=[SeqRange(1, 100)]))
    header = make_header(
        channel=ru.channel.channel_id, sender="RU", seq=0, prev=None, seen={}, now_ms=ru.now,
        kind=Kind.RESEND, body=body,
    )  # fmt: skip
    us.receive(seal(header, body, ru.config.keys.node_key, key_id(ru.config)).raw, us.now)
    served = [o.raw for o in us.outgoing(us.now)]
    assert [raw for raw in served if b'"kind":"notification"' in raw] == [
        s.envelope.raw for s in sent
    ]
