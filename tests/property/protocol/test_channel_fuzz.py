"""Nothing a peer sends can crash the channel or change its state unless it is valid.

Hostile input comes in four strengths: random bytes; real envelopes with bytes flipped, cut or
inserted; garbage headers correctly signed by a member's key; and well-formed envelopes with
any header a member could sign (wrong seq, prev, seen, kind, body). Each is fed to a live
channel: it either raises RemoteProtocolError and leaves the state exactly as it was, or is
accepted without breaking the machine's own invariants.
"""

import hashlib
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.errors import RemoteProtocolError
from hotline.protocol.channel import Channel
from hotline.protocol.envelope import Kind, Mark, Ref, make_header, seal
from hotline.protocol.events import Event
from hotline.protocol.types import Marking, Precedence
from hotline.testing.pipe import Pipe
from hotline.testing.snapshot import snapshot

PIPE = Pipe.open(["RU", "US"], settings={"checkpoint_every": 4})
for _n in range(4):
    PIPE["US"].notify(b'{"type":"free_text","n":%d}' % _n)
PIPE.advance(20_000)  # heartbeats, receipts, a checkpoint and its countersignature
SAMPLES: list[bytes] = []  # what US sends next; RU never gets it, so each is news to RU


def keep_from_us(src: str, dst: str, raw: bytes) -> bool:
    if src == "US":
        SAMPLES.append(raw)
    return src == "US"


PIPE.drop = keep_from_us
PIPE["US"].notify(b"last")
PIPE.advance(16_000)
PIPE.drop = None
US = PIPE["US"].config
US_KEY_ID = hashlib.sha256(US.keys.node_key.public_key().public_bytes_raw()).digest()
CHANNEL_ID = PIPE["RU"].channel.channel_id
RU_STORE = list(PIPE["RU"].store)


def fresh_ru() -> Channel:
    """RU as its store left it (the samples are news to it)."""
    return Channel.restore(PIPE["RU"].config, RU_STORE, PIPE.clock.now_ms)


def feed(channel: Channel, raw: bytes) -> list[Event] | None:
    """Receive; on refusal check nothing changed and return None."""
    before = snapshot(channel)
    try:
        return channel.receive(raw, PIPE.clock.now_ms)
    except RemoteProtocolError:
        assert snapshot(channel) == before
        return None


def check_invariants(channel: Channel) -> None:
    for chain in channel.chains.values():
        assert chain.durable <= chain.accepted
        assert len(chain.held) <= channel.tuning.max_held
        assert all(seq > chain.accepted + 1 for seq in chain.held)
        assert chain.frontier.size == chain.accepted


def test_samples_cover_the_kinds() -> None:
    kinds = {s.split(b'"kind":"')[1].split(b'"')[0] for s in SAMPLES}
    assert {b"notification", b"heartbeat"} <= kinds


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=1024))
def test_random_bytes_are_refused_without_a_trace(data: bytes) -> None:
    assert feed(fresh_ru(), data) is None


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_envelopes_are_refused_without_a_trace(data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(SAMPLES))
    raw = bytearray(original)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(raw) - 1))
        op = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if op == "flip":
            raw[i] ^= data.draw(st.integers(1, 255))
        elif op == "cut":
            del raw[i:]
        else:
            raw[i:i] = data.draw(st.binary(min_size=1, max_size=8))
        if not raw:
            raw = bytearray(b"\x00")
    channel = fresh_ru()
    events = feed(channel, bytes(raw))
    if bytes(raw) != original:
        assert events is None
    check_invariants(channel)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_signed_garbage_headers_are_refused(header: bytes) -> None:
    """A member's own key cannot make the channel parse garbage."""
    sig = US.keys.node_key.sign(b"HLE1" + US_KEY_ID + header)
    raw = struct.pack(">4s32s64sI", b"HLE1", US_KEY_ID, sig, len(header)) + header
    assert feed(fresh_ru(), raw) is None


US_IDS = [i.hex() for i in PIPE["US"].channel.own.ids]
RU_MARKS = [Mark(seq=n + 1, id=i.hex()) for n, i in enumerate(PIPE["RU"].channel.own.ids)]
HEX = st.sampled_from(["00" * 32, "ab" * 32, *US_IDS])
MARKS = st.sampled_from(RU_MARKS) | st.builds(Mark, seq=st.integers(0, 12), id=HEX)
REFS = st.builds(Ref, party=st.sampled_from(["RU", "US"]), seq=st.integers(1, 12), id=HEX)
BODIES = {
    Kind.RECEIPT: [b""],
    Kind.HEARTBEAT: [b"{}", b'{"echo_t":1,"held_ms":5}', b'{"held_ms":-1}'],
    Kind.RESEND: [b'{"ranges":[[1,5]]}', b'{"ranges":[[2,1]]}', b'{"ranges":[]}'],
    Kind.LINK_TEST: [b'{"number":1}', b'{"number":0}'],
}


@st.composite
def hostile_headers(draw: st.DrawFn) -> bytes:
    """Any envelope US's node could sign: the header rules hold, the channel's need not."""
    kind = draw(st.sampled_from(list(Kind)))
    chained = kind not in (Kind.RECEIPT, Kind.HEARTBEAT, Kind.RESEND)
    tip = PIPE["RU"].channel.chains["US"].accepted
    seq = draw(st.integers(max(1, tip - 2), tip + 4)) if chained else 0
    true_prev = US_IDS[seq - 2] if 2 <= seq <= len(US_IDS) + 1 else "00" * 32
    prev = None if seq <= 1 else draw(st.sampled_from([true_prev, true_prev]) | HEX)
    operator = kind in (Kind.NOTIFICATION, Kind.ACK, Kind.REPLY)
    body = draw(st.sampled_from(BODIES.get(kind, [b"{}"])) | st.binary(max_size=48))
    header = make_header(
        channel=draw(st.sampled_from([CHANNEL_ID] * 9 + ["cd" * 32])),
        sender="US",
        seq=seq,
        prev=prev,
        seen=draw(st.dictionaries(st.sampled_from(["RU", "RU", "UA"]), MARKS, max_size=1)),
        now_ms=draw(st.integers(0, 2**40)),
        kind=kind,
        body=body,
        prec=draw(st.sampled_from(list(Precedence))) if operator else None,
        mark=draw(st.sampled_from(list(Marking))) if operator else None,
        to=draw(st.none() | st.just(["RU"])),
        refs=draw(st.lists(REFS, min_size=1, max_size=2)) if kind in (Kind.ACK, Kind.REPLY) else [],
        tip=None if chained else draw(st.none() | MARKS),
    )
    return seal(header, body, US.keys.node_key, US_KEY_ID).raw


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_headers(), min_size=1, max_size=4))
def test_hostile_but_well_signed_envelopes_never_break_the_machine(raws: list[bytes]) -> None:
    channel = fresh_ru()
    own = list(channel.own.ids)
    for raw in raws:
        feed(channel, raw)
        check_invariants(channel)
        channel.on_timer(PIPE.clock.now_ms + 1)
        channel.data_to_send(PIPE.clock.now_ms + 1)
    assert channel.own.ids[: len(own)] == own
