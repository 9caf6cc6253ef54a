"""Transcripts round-trip, every single-byte change is caught, and no input crashes the verifier."""

import io
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.protocol.envelope import Kind, Mark, Ref
from hotline.protocol.members import members_from_cards
from hotline.protocol.transcript import Check, Report, verify_transcript
from hotline.protocol.types import Marking, Precedence
from hotline.testing.transcripts import (
    TranscriptBuilder,
    drive,
    envelope_line,
    reseal,
    withhold_fraction,
)


def verify(lines: list[bytes]) -> Report:
    return verify_transcript(lines, members_from_cards)


def split(data: bytes) -> list[bytes]:
    """Lines as `hotline verify` reads them from a file."""
    return io.BytesIO(data).readlines()


def reference_transcript() -> list[bytes]:
    """Three members, every kind of envelope, a withheld body, a checkpoint and a cosign."""
    b = TranscriptBuilder(("RU", "UA", "US"), checkpoint_every=4)
    b.open_channel()
    note = b.notify("US", prec=Precedence.IMMEDIATE, mark=Marking.EXERCISE)
    b.ack("RU", note)
    b.reply("UA", note)
    checkpoint = b.checkpoint("US")
    b.cosign("RU", checkpoint)
    b.link_test("UA")
    b.receipt("RU")
    b.heartbeat("US")
    return b.export(withhold=lambda env: env.header.kind is Kind.ACK)


REFERENCE = reference_transcript()
DATA = b"".join(REFERENCE)


def test_reference_transcript_is_valid() -> None:
    report = verify(REFERENCE)
    assert report.valid, report.problems
    assert report.summary.withheld_bodies == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parties=st.lists(st.sampled_from(["RU", "UA", "UN-OCHA", "US"]), min_size=2, unique=True),
    envelopes=st.integers(5, 60),
    seed=st.integers(0, 2**32),
    checkpoint_every=st.integers(2, 12),
    withhold=st.floats(0, 1),
    exporter=st.integers(0, 3),
)
def test_generated_channels_round_trip(
    parties: list[str],
    envelopes: int,
    seed: int,
    checkpoint_every: int,
    withhold: float,
    exporter: int,
) -> None:
    b = TranscriptBuilder(tuple(parties), checkpoint_every=checkpoint_every)
    drive(b, envelopes, random.Random(seed))
    by = b.parties[exporter % len(parties)]
    lines = b.export(by=by, withhold=withhold_fraction(withhold))
    report = verify(lines)
    assert report.valid, (seed, report.problems[:1])
    s = report.summary
    assert (s.exported_by, s.lines, s.envelopes) == (by, len(lines), len(b.envelopes))
    assert s.withheld_bodies == sum(b'"withheld":true' in line for line in lines)
    lengths = {m.party: m.chain_length for m in s.members}
    assert lengths == {p: b.length(p) for p in b.parties}
    assert all(m.accepted_charter for m in s.members)
    assert verify(split(b"".join(lines))) == report  # as read back from a file


@settings(max_examples=500, deadline=None)
@given(position=st.integers(0, len(DATA) - 1), value=st.integers(0, 255))
def test_any_single_byte_change_is_detected(position: int, value: int) -> None:
    if DATA[position] == value:
        value ^= 0xFF
    changed = bytearray(DATA)
    changed[position] = value
    report = verify(split(bytes(changed)))
    assert not report.valid
    assert report.problems[0].check is not Check.EQUIVOCATION


def test_every_byte_of_the_end_line_and_of_one_envelope_line_is_guarded() -> None:
    """Exhaustively, where the file is most compact: the signed end line and a receipt."""
    receipt_index = next(i for i, line in enumerate(REFERENCE) if b'"kind":"receipt"' in line)
    for index in (receipt_index, len(REFERENCE) - 1):
        line = REFERENCE[index]
        for position in range(len(line)):
            changed = bytearray(line)
            changed[position] ^= 0x20 if changed[position] != 0x20 else 0x01
            lines = [*REFERENCE[:index], bytes(changed), *REFERENCE[index + 1 :]]
            assert not verify(split(b"".join(lines))).valid, (index, position)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=6))
def test_random_lines_give_a_problem_never_an_exception(lines: list[bytes]) -> None:
    report = verify(lines)
    assert not report.valid
    assert report.problems[0].line >= 1


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_transcripts_give_a_problem_never_an_exception(data: st.DataObject) -> None:
    lines = list(REFERENCE)
    for _ in range(data.draw(st.integers(1, 3))):
        op = data.draw(st.sampled_from(["drop", "repeat", "swap", "insert", "splice"]))
        i = data.draw(st.integers(0, len(lines) - 1)) if lines else 0
        j = data.draw(st.integers(0, len(lines) - 1)) if lines else 0
        if op == "drop" and lines:
            del lines[i]
        elif op == "repeat" and lines:
            lines.insert(j, lines[i])
        elif op == "swap" and lines:
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, data.draw(st.binary(max_size=64)) + b"\n")
        elif lines:
            cut = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:cut] + data.draw(st.binary(max_size=16)) + lines[i][cut:]
    report = verify(lines)
    assert report.valid == (lines == REFERENCE)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**64), 2**64) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(list(Kind)),
    seq=st.integers(0, 12),
    prev=st.sampled_from([None, "ab" * 32]),
    seen=st.dictionaries(
        st.sampled_from(["RU", "UA"]),
        st.builds(Mark, seq=st.integers(0, 12), id=st.sampled_from(["0" * 64, "cd" * 32])),
        max_size=2,
    ),
    refs=st.lists(
        st.builds(
            Ref,
            party=st.sampled_from(["RU", "UA", "US"]),
            seq=st.integers(1, 12),
            id=st.sampled_from(["cd" * 32]),
        ),
        max_size=2,
    ),
    body=st.one_of(st.binary(max_size=40), _json_values.map(lambda v: repr(v).encode())),
)
def test_signed_but_hostile_envelopes_give_a_report(
    kind: Kind,
    seq: int,
    prev: str | None,
    seen: dict[str, Mark],
    refs: list[Ref],
    body: bytes,
) -> None:
    """A member's own node key signs nonsense: the verifier still answers with a report."""
    b = TranscriptBuilder(checkpoint_every=4)
    b.open_channel()
    lines = b.export()
    chained = kind not in (Kind.RECEIPT, Kind.HEARTBEAT, Kind.RESEND)
    operator = kind in (Kind.NOTIFICATION, Kind.ACK, Kind.REPLY)
    try:
        env = b.seal(
            "RU",
            kind,
            body,
            seq=max(seq, 1) if chained else 0,
            prev=prev if chained and seq > 1 else None,
            seen=seen,
            refs=refs,
            prec=Precedence.FLASH if operator else None,
            mark=Marking.REAL if operator else None,
        )
    except Exception:  # make_header refused it: nothing to send
        return
    report = verify(reseal(b, [*lines[:-1], envelope_line(env)]))
    assert report.valid or report.problems[0].line == len(lines)
