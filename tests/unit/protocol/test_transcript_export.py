"""Exporting: causal order, a consistent cut, evidence beside its twin, one canonical line each."""

import random

import msgspec
import pytest

from hotline.errors import LocalProtocolError
from hotline.protocol.envelope import Envelope, Kind
from hotline.protocol.members import members_from_cards
from hotline.protocol.transcript import (
    EndLine,
    EnvelopeLine,
    HeadLine,
    TranscriptWriter,
    export_lines,
    format_ms,
    order_causally,
    verify_transcript,
)
from hotline.protocol.transcript_format import parse_iso_ms
from hotline.testing.transcripts import (
    TranscriptBuilder,
    drive,
    party_keys,
)


def traffic(parties: tuple[str, ...] = ("RU", "UA", "US"), n: int = 120) -> TranscriptBuilder:
    b = TranscriptBuilder(parties, checkpoint_every=8)
    drive(b, n, random.Random(7))
    return b


def positions(order: list[Envelope]) -> dict[tuple[str, int], int]:
    return {(e.sender, e.header.seq): i for i, e in enumerate(order) if e.header.chained}


def test_causal_order_puts_every_reference_first_whatever_the_input_order() -> None:
    b = traffic()
    shuffled = list(b.envelopes)
    random.Random(3).shuffle(shuffled)
    written, held = order_causally(shuffled)
    assert held == []
    assert sorted(e.id for e in written) == sorted(e.id for e in b.envelopes)
    at = positions(written)
    for i, env in enumerate(written):
        needs = [(p, m.seq) for p, m in env.header.seen.items()]
        needs += [(r.party, r.seq) for r in env.header.refs]
        if env.header.chained and env.header.seq > 1:
            needs.append((env.sender, env.header.seq - 1))
        assert all(at[need] < i for need in needs), env.header


def test_export_order_follows_sender_time_among_ready_envelopes() -> None:
    b = traffic(("RU", "US"))
    written, _ = order_causally(reversed(b.envelopes))
    times = [e.header.t for e in written]
    assert times == sorted(times)  # one clock here, so causal order is time order


def test_unresolvable_references_are_held_back_with_the_rest_of_their_stream() -> None:
    b = traffic()
    missing = next(e for e in b.envelopes if e.sender == "UA" and e.header.seq == 10)
    held_input = [e for e in b.envelopes if e is not missing]
    written, held = order_causally(held_input)
    assert missing not in written
    assert all(not (e.sender == "UA" and e.header.seq > 10) for e in written if e.header.chained)
    assert held, "envelopes referencing UA seq 10 and later must be held back"
    lines = list(
        export_lines(
            b.charter_bytes,
            held_input,
            exported_by="US",
            exported_at_ms=b.now_ms,
            node_key=party_keys("US").node,
        )
    )
    report = verify_transcript(lines, members_from_cards)
    assert report.valid, report.problems
    assert report.summary.envelopes == len(written)


def test_every_line_is_canonical_and_says_what_the_header_says() -> None:
    b = traffic(n=60)
    lines = b.export()
    head = msgspec.json.decode(lines[0], type=HeadLine)
    assert (head.format, head.version, head.channel) == ("hotline-transcript", 1, b.channel)
    assert head.charter == b.charter_bytes
    by_id = {e.id_hex: e for e in b.envelopes}
    for line in lines[1:-1]:
        assert line.endswith(b"\n")
        assert line.count(b"\n") == 1
        label = msgspec.json.decode(line, type=EnvelopeLine)
        env = by_id[label.id]
        assert (label.sender, label.seq, label.kind, label.t) == (
            env.sender,
            env.header.seq,
            env.header.kind,
            env.header.t,
        )
        assert label.env == env.raw
    end = msgspec.json.decode(lines[-1], type=EndLine)
    assert end.lines == len(lines) - 1


def test_evidence_is_written_right_after_its_twin() -> None:
    b = traffic(("RU", "US"), n=40)
    twin = next(e for e in b.envelopes if e.sender == "RU" and e.header.seq == 5)
    other = b.equivocate("RU", 5)
    lines = b.export()
    i = next(i for i, line in enumerate(lines) if twin.id_hex.encode() in line)
    assert other.id_hex.encode() in lines[i + 1]


def test_only_operator_bodies_are_withheld() -> None:
    b = traffic(("RU", "US"), n=60)
    lines = b.export(withhold=lambda env: True)
    for line in lines[1:-1]:
        label = msgspec.json.decode(line, type=EnvelopeLine)
        operator = label.kind in (Kind.NOTIFICATION, Kind.ACK, Kind.REPLY)
        assert label.withheld == operator
    report = verify_transcript(lines, members_from_cards)
    assert report.valid
    expected = sum(e.header.kind in (Kind.NOTIFICATION, Kind.ACK, Kind.REPLY) for e in b.envelopes)
    assert report.summary.withheld_bodies == expected


def test_writer_refuses_misuse() -> None:
    b = TranscriptBuilder()
    key = party_keys("US").node
    with pytest.raises(LocalProtocolError, match="UA is not a member"):
        TranscriptWriter(b.charter_bytes, exported_by="UA", exported_at_ms=0, node_key=key)
    with pytest.raises(LocalProtocolError, match="cannot export: invalid charter"):
        TranscriptWriter(b"{}", exported_by="US", exported_at_ms=0, node_key=key)
    writer = TranscriptWriter(b.charter_bytes, exported_by="US", exported_at_ms=0, node_key=key)
    b.open_channel()
    with pytest.raises(LocalProtocolError, match="head line first"):
        writer.envelope(b.envelopes[0])
    writer.head()
    with pytest.raises(LocalProtocolError, match="must come first, once"):
        writer.head()


@pytest.mark.parametrize("ms", [0, 1, 999, 1_790_000_000_123, 253_402_300_799_999])
def test_time_format_round_trips(ms: int) -> None:
    text = format_ms(ms)
    assert parse_iso_ms(text) == ms


def test_time_format_refuses_near_misses_and_survives_huge_values() -> None:
    assert parse_iso_ms("2026-11-25T06:00:00Z") is None
    assert parse_iso_ms("2026-02-30T06:00:00.000Z") is None
    assert parse_iso_ms("2026-11-25T06:00:00.000+00:00") is None
    assert format_ms(2**53) == f"{2**53} ms"
