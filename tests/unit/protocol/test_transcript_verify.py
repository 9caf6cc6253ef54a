"""The transcript verifier names each kind of problem: which line, which member and seq, what."""

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.protocol.charter import Charter, CharterMember
from hotline.protocol.envelope import Envelope, Kind, Mark, Ref, make_header, seal
from hotline.protocol.members import members_from_cards
from hotline.protocol.messages import (
    CharterAcceptBody,
    CheckpointBody,
    CosignBody,
    charter_accept_statement,
    checkpoint_statement,
    cosign_statement,
    encode_body,
    sign_statement,
)
from hotline.protocol.transcript import (
    Check,
    HeadLine,
    Problem,
    Report,
    verify_transcript,
)
from hotline.protocol.transcript_format import encode_line
from hotline.protocol.types import Marking, Precedence
from hotline.testing.transcripts import (
    TranscriptBuilder,
    envelope_line,
    party_keys,
    reseal,
    withhold_fraction,
)


def opened(parties: tuple[str, ...] = ("RU", "US")) -> TranscriptBuilder:
    """A channel whose charter is proposed (by US) and accepted by every member."""
    b = TranscriptBuilder(parties, checkpoint_every=4)
    b.open_channel()
    return b


def verify(lines: list[bytes]) -> Report:
    return verify_transcript(lines, members_from_cards)


def first_problem(lines: list[bytes]) -> Problem:
    report = verify(lines)
    assert not report.valid
    return report.problems[0]


def line_of(lines: list[bytes], env: Envelope) -> int:
    """1-based number of the line that carries `env`."""
    marker = b'"id":"' + env.id_hex.encode() + b'"'
    return next(i for i, line in enumerate(lines, 1) if marker in line)


def without(lines: list[bytes], env: Envelope) -> list[bytes]:
    return [line for i, line in enumerate(lines, 1) if i != line_of(lines, env)]


# --- a valid channel, and what the summary says about it -------------------------------------


def test_a_small_channel_verifies_and_is_summarised() -> None:
    b = opened()
    b.now_ms += 60_000
    flash = b.notify("US", "Launch at 0600Z", prec=Precedence.FLASH, mark=Marking.REAL)
    b.now_ms += 90_000
    b.ack("RU", flash)
    b.reply("RU", flash)
    b.notify("RU", "Exercise area", prec=Precedence.ROUTINE, mark=Marking.EXERCISE)
    b.link_test("US")
    cp = b.checkpoint("US")
    b.cosign("RU", cp)
    b.receipt("RU")
    b.heartbeat("US")
    lines = b.export(withhold=lambda env: env.header.kind is Kind.REPLY)
    report = verify(lines)
    assert report.valid, report.problems
    s = report.summary
    assert s.lines == len(lines)
    assert s.envelopes == len(b.envelopes)
    by_party = {m.party: m for m in s.members}
    assert by_party["US"].by_kind == {
        "charter_accept": 1,
        "charter_proposal": 1,
        "checkpoint": 1,
        "heartbeat": 1,
        "link_test": 1,
        "notification": 1,
    }
    assert by_party["RU"].by_kind == {
        "ack": 1,
        "charter_accept": 1,
        "cosign": 1,
        "notification": 1,
        "receipt": 1,
        "reply": 1,
    }
    assert by_party["US"].checkpoints == 1
    assert by_party["US"].checkpointed == 4
    assert by_party["RU"].cosigns == 1
    assert s.withheld_bodies == by_party["RU"].withheld_bodies == 1
    assert s.notifications == {"FLASH": {"REAL": 1}, "ROUTINE": {"EXERCISE": 1}}
    assert s.acks is not None
    assert (s.acks.notifications, s.acks.acknowledged, s.acks.acks) == (2, 1, 1)
    assert s.acks.p50_ms == s.acks.max_ms == 90_000
    assert s.acks.late == 0
    [coverage] = s.receipts
    assert (coverage.receiver, coverage.sender, coverage.receipted_seq) == ("RU", "US", 5)
    assert s.first_t_ms == flash.header.t - 60_000
    assert s.exported_by == "US"


def test_late_acknowledgement_is_counted_against_the_charters_window() -> None:
    b = opened()
    flash = b.notify("US", prec=Precedence.FLASH)
    b.now_ms += 11 * 60_000  # FLASH window: 10 min
    b.ack("RU", flash)
    acks = verify(b.export()).summary.acks
    assert acks is not None
    assert acks.late == 1


def test_a_three_party_export_holds_back_what_the_exporter_lacks() -> None:
    """RU's receipt names UA seq 2, which US has not got: US exports a consistent cut."""
    b = opened(("RU", "UA", "US"))
    ua_note = b.notify("UA")
    receipt = b.receipt("RU")
    held = [e for e in b.envelopes if e not in (ua_note, receipt)]
    b.envelopes[:] = held  # what US holds
    b.envelopes.append(receipt)
    report = verify(b.export())
    assert report.valid, report.problems
    assert report.summary.envelopes == len(held)


# --- lines -----------------------------------------------------------------------------------


def test_non_canonical_line_is_named() -> None:
    b = opened()
    note = b.notify("US")
    lines = b.export()
    n = line_of(lines, note)
    lines[n - 1] = lines[n - 1].replace(b'"seq":3,', b'"seq": 3,')
    p = first_problem(reseal(b, lines))
    assert (p.line, p.check) == (n, Check.LINE)
    assert "canonical form" in p.detail


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"from":"US",\n', "not valid JSON"),
        (b'{"from":"US","seq":3}\n', "invalid envelope line"),
        (b'["a"]\n', "not a transcript line"),
        (b'{"format":"hotline-transcript"}\n', "a second head line"),
        (b'{"end":"hotline-transcript"', "does not end with a newline"),
    ],
)
def test_unparsable_lines_are_named(line: bytes, expected: str) -> None:
    b = opened()
    lines = b.export()
    p = first_problem([*lines[:2], line, *lines[2:]])
    assert (p.line, p.check) == (3, Check.LINE)
    assert expected in p.detail


def test_empty_and_headless_files() -> None:
    assert first_problem([]).detail == "empty transcript"
    b = opened()
    p = first_problem(b.export()[1:])
    assert (p.line, p.check) == (1, Check.LINE)
    assert "line 1 must be the head line" in p.detail


def test_overlong_line_is_refused_before_parsing() -> None:
    from hotline.protocol.transcript import MAX_LINE_BYTES

    b = opened()
    lines = b.export()
    p = first_problem([lines[0], b"x" * MAX_LINE_BYTES + b"\n"])
    assert (p.line, p.check) == (2, Check.LINE)
    assert "exceeds the limit" in p.detail


# --- the head line ---------------------------------------------------------------------------


def head(b: TranscriptBuilder, **overrides: object) -> bytes:
    fields: dict[str, object] = {
        "format": "hotline-transcript",
        "version": 1,
        "channel": b.channel,
        "exported_by": "US",
        "exported_at": "2026-11-25T06:00:00.000Z",
        "charter": b.charter_bytes,
    }
    fields.update(overrides)
    return encode_line(HeadLine(**fields))  # type: ignore[arg-type]


def other_charter(b: TranscriptBuilder, **changes: object) -> bytes:
    fields: dict[str, object] = {
        "name": b.charter.name,
        "proposer": b.charter.proposer,
        "created_ms": b.charter.created_ms,
        "members": b.charter.members,
    }
    fields.update(changes)
    return Charter(**fields).to_bytes()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"format": "hotline-log"}, "format is 'hotline-log'"),
        ({"version": 2}, "format version 2; this verifier reads version 1"),
        ({"channel": "ab" * 32}, "is not the hash of the charter"),
        ({"exported_by": "UA"}, "exported_by UA is not a member"),
        ({"exported_at": "2026-11-25 06:00"}, "is not a UTC time"),
        ({"charter": b'{"name":"x"}'}, "charter: invalid charter"),
    ],
)
def test_head_problems_are_named(overrides: dict[str, object], expected: str) -> None:
    b = opened()
    lines = reseal(b, [head(b, **overrides), *b.export()[1:]])
    p = first_problem(lines)
    assert (p.line, p.check) == (1, Check.HEAD)
    assert expected in p.detail


def test_a_card_that_does_not_match_its_fingerprint_is_refused() -> None:
    b = opened()
    ru, us = b.charter.members
    forged = CharterMember(party="RU", fingerprint=ru.fingerprint, card=us.card)
    charter = other_charter(b, members=[forged, us])
    from hotline.protocol.charter import channel_id

    p = first_problem([head(b, charter=charter, channel=channel_id(charter))])
    assert p.check is Check.HEAD
    assert "member cards in the charter: the charter's card for RU is US's" in p.detail


# --- envelopes -------------------------------------------------------------------------------


def test_a_flipped_signature_byte_is_a_bad_signature() -> None:
    b = opened()
    note = b.notify("US")
    lines = b.export()
    raw = bytearray(note.raw)
    raw[40] ^= 1  # inside the signature
    n = line_of(lines, note)
    lines[n - 1] = envelope_line(note, frame=bytes(raw))
    p = first_problem(reseal(b, lines))
    assert (p.line, p.check, p.party, p.seq) == (n, Check.ENVELOPE, "US", 3)
    assert str(p).startswith(f"line {n}: US seq 3: bad signature on envelope")


def test_envelope_of_another_channel() -> None:
    b = opened()
    stray = b.seal("US", Kind.LINK_TEST, b'{"number":1}', channel="cd" * 32)
    lines = b.export()
    p = first_problem(lines)
    assert (p.line, p.check, p.seq) == (line_of(lines, stray), Check.ENVELOPE, 3)
    assert "not of this transcript's channel" in p.detail


def test_unknown_signer() -> None:
    b = opened()
    lines = b.export()
    intruder = Ed25519PrivateKey.generate()
    header = make_header(
        channel=b.channel, sender="US", seq=3, prev=b.id_of("US", 2), seen={},
        now_ms=b.now_ms, kind=Kind.LINK_TEST, body=b'{"number":1}',
    )  # fmt: skip
    kid = hashlib.sha256(intruder.public_key().public_bytes_raw()).digest()
    env = seal(header, b'{"number":1}', intruder, kid)
    p = first_problem(reseal(b, [*lines[:-1], envelope_line(env)]))
    assert p.check is Check.ENVELOPE
    assert "unknown signer key" in p.detail


def test_body_over_the_charters_limit() -> None:
    b = opened()
    big = b.notify("US", "x" * (b.charter.max_body_bytes + 1))
    lines = b.export()
    p = first_problem(lines)
    assert p.check is Check.ENVELOPE
    assert p.line == line_of(lines, big)


def test_readable_fields_cannot_lie() -> None:
    b = opened()
    note = b.notify("US")
    lines = b.export()
    n = line_of(lines, note)
    lines[n - 1] = lines[n - 1].replace(f'"t":{note.header.t},'.encode(), b'"t":1000,')
    p = first_problem(reseal(b, lines))
    assert (p.line, p.check) == (n, Check.LABEL)
    assert p.detail == f"the line says t 1000, the signed header says {note.header.t}"


# --- chains ----------------------------------------------------------------------------------


def test_gap_is_named() -> None:
    b = opened()
    b.notify("US")  # US seq 3
    lines = b.export()  # the exporter holds back what follows a gap: add it by hand
    skipped = b.seal("US", Kind.LINK_TEST, b'{"number":1}', seq=5)
    lines = reseal(b, [*lines[:-1], envelope_line(skipped)])
    p = first_problem(lines)
    assert (p.line, p.check, p.party, p.seq) == (line_of(lines, skipped), Check.CHAIN, "US", 5)
    assert str(p).endswith("US seq 5: follows US seq 3: seq 4 missing")


def test_broken_prev_is_named() -> None:
    b = opened()
    b.notify("RU")  # RU seq 2
    bad = b.seal("RU", Kind.LINK_TEST, b'{"number":1}', prev="ee" * 32)
    lines = b.export()
    p = first_problem(lines)
    assert str(p) == f"line {line_of(lines, bad)}: RU seq 3: prev does not match id of RU seq 2"
    assert p.check is Check.CHAIN


def test_a_chain_must_start_at_one() -> None:
    b = opened()
    lines = b.export()
    ru_accept = next(e for e in b.envelopes if e.sender == "RU")
    p = first_problem(reseal(b, [*without(lines, ru_accept)[:-1], envelope_line(b.notify("RU"))]))
    assert p.check is Check.CHAIN
    assert p.detail == "RU's chain starts at seq 2, not 1"


def test_duplicate_line_is_named() -> None:
    b = opened()
    note = b.notify("US")
    receipt = b.receipt("RU")
    lines = b.export()
    for env in (note, receipt):
        n = line_of(lines, env)
        p = first_problem(reseal(b, [*lines[:-1], lines[n - 1]]))
        assert (p.check, p.line) == (Check.DUPLICATE, len(lines))
        assert p.detail == f"repeats line {n}"


def test_equivocation_is_reported_as_such_and_verification_goes_on() -> None:
    b = opened()
    original = b.notify("US", "Flight at 0600Z")
    b.ack("RU", original)
    other = b.equivocate("US", original.seq, "Flight at 0900Z")
    b.notify("US")
    lines = b.export()
    report = verify(lines)
    assert not report.valid
    [p] = report.problems
    assert (p.check, p.party, p.seq, p.line) == (Check.EQUIVOCATION, "US", 3, line_of(lines, other))
    assert "equivocation: US signed two different envelopes with seq 3" in p.detail
    [e] = report.equivocations
    assert (e.first_line, e.second_line) == (line_of(lines, original), line_of(lines, other))
    assert (e.first_id, e.second_id) == (original.id_hex, other.id_hex)
    assert report.summary.envelopes == len(b.envelopes)  # everything after it was verified


def test_a_seen_mark_on_the_other_branch_says_so() -> None:
    b = opened()
    original = b.notify("US")
    other = b.equivocate("US", original.seq)
    b.seal("RU", Kind.LINK_TEST, b'{"number":1}', seen={"US": Mark(seq=3, id=other.id_hex)})
    report = verify(b.export())
    assert [p.check for p in report.problems] == [Check.EQUIVOCATION, Check.CROSS_LINK]
    assert "follows the other branch of US's equivocation" in report.problems[1].detail


# --- charter proposal and acceptances --------------------------------------------------------


def test_proposer_must_open_with_the_proposal() -> None:
    b = TranscriptBuilder(checkpoint_every=4)
    b.notify("US")
    p = first_problem(b.export())
    assert (p.check, p.party, p.seq) == (Check.CHARTER, "US", 1)
    assert p.detail == "US's seq 1 must be a charter_proposal, found notification"


def test_other_members_open_with_an_acceptance() -> None:
    b = TranscriptBuilder(checkpoint_every=4)
    b.seal("US", Kind.CHARTER_PROPOSAL, b.charter_bytes)
    b.accept("US")
    b.notify("RU")
    p = first_problem(b.export())
    assert p.detail == "RU's seq 1 must be a charter_accept, found notification"


def test_proposal_must_carry_this_charter() -> None:
    b = TranscriptBuilder(checkpoint_every=4)
    b.seal("US", Kind.CHARTER_PROPOSAL, other_charter(b, name="Another channel"))
    p = first_problem(b.export())
    assert (p.check, p.detail) == (Check.CHARTER, "the proposal's body is not this charter")


def test_acceptance_signed_by_another_party_is_refused() -> None:
    b = TranscriptBuilder(checkpoint_every=4)
    b.seal("US", Kind.CHARTER_PROPOSAL, b.charter_bytes)
    b.accept("US")
    ru_keys = party_keys("US")  # RU's node sends it, but US's party keys signed it
    sig = sign_statement(charter_accept_statement(b.channel), ru_keys.ed25519, ru_keys.mldsa65)
    b.seal("RU", Kind.CHARTER_ACCEPT, encode_body(CharterAcceptBody(sig=sig)))
    p = first_problem(b.export())
    assert (p.check, p.party, p.seq) == (Check.CHARTER, "RU", 1)
    assert "not signed by RU's party keys" in p.detail


def test_acceptance_only_opens_a_chain() -> None:
    b = opened()
    again = b.accept("RU")
    lines = b.export()
    p = first_problem(lines)
    assert (p.check, p.line) == (Check.CHARTER, line_of(lines, again))
    assert "only opens a chain" in p.detail


# --- cross-links and references --------------------------------------------------------------


def test_seen_mark_with_a_wrong_id() -> None:
    b = opened()
    bad = b.seal("RU", Kind.LINK_TEST, b'{"number":1}', seen={"US": Mark(seq=2, id="ab" * 32)})
    lines = b.export()
    p = first_problem(lines)
    assert (p.check, p.line, p.party, p.seq) == (Check.CROSS_LINK, line_of(lines, bad), "RU", 2)
    assert p.detail.startswith("seen mark US seq 2 has id abababababababab..., but US seq 2 is ")


def test_seen_mark_beyond_the_transcript() -> None:
    b = opened()
    lines = b.export()
    bad = b.seal("RU", Kind.LINK_TEST, b'{"number":1}', seen={"US": Mark(seq=9, id="ab" * 32)})
    p = first_problem(reseal(b, [*lines[:-1], envelope_line(bad)]))
    assert p.check is Check.CROSS_LINK
    assert p.detail == "seen mark US seq 9 is not earlier in the transcript (it has US up to seq 2)"


def test_seen_mark_zero_needs_the_zero_id() -> None:
    b = opened()
    ok = b.seal("RU", Kind.LINK_TEST, b'{"number":1}', seen={"US": Mark(seq=0, id="0" * 64)})
    assert verify(b.export()).valid
    b.seal("RU", Kind.LINK_TEST, b'{"number":2}', seen={"US": Mark(seq=0, id="1" * 64)})
    p = first_problem(b.export())
    assert p.check is Check.CROSS_LINK
    assert p.seq == ok.seq + 1


def test_receipt_mark_must_match_the_chain() -> None:
    b = opened()
    receipt = b.seal("RU", Kind.RECEIPT, seen={"US": Mark(seq=1, id=b.id_of("US", 2))})
    lines = b.export()
    p = first_problem(lines)
    assert (p.check, p.line, p.party, p.kind) == (
        Check.CROSS_LINK,
        line_of(lines, receipt),
        "RU",
        "receipt",
    )
    assert str(p).startswith(f"line {line_of(lines, receipt)}: RU receipt: seen mark US seq 1")


def test_heartbeat_tip_must_match() -> None:
    b = opened()
    b.seal("US", Kind.HEARTBEAT, tip=Mark(seq=2, id=b.id_of("US", 1)))
    p = first_problem(b.export())
    assert p.check is Check.CROSS_LINK
    assert p.detail.startswith("tip US seq 2 has id")


def test_ack_refs_must_resolve() -> None:
    b = opened()
    lines = b.export()
    ack = b.seal(
        "RU", Kind.ACK, b"{}", prec=Precedence.FLASH, mark=Marking.REAL,
        refs=[Ref(party="US", seq=7, id="ab" * 32)],
    )  # fmt: skip
    p = first_problem(reseal(b, [*lines[:-1], envelope_line(ack)]))
    assert (p.check, p.party, p.seq) == (Check.REF, "RU", 2)
    assert p.detail == "refs US seq 7 is not earlier in the transcript (it has US up to seq 2)"


@pytest.mark.parametrize("field", ["seen", "to"])
def test_non_members_are_named(field: str) -> None:
    b = opened()
    lines = b.export()  # the exporter would hold back a mark it cannot resolve: add it by hand
    if field == "seen":
        env = b.seal("RU", Kind.LINK_TEST, b'{"number":1}', seen={"UA": Mark(seq=1, id="ab" * 32)})
    else:
        env = b.notify("RU", to=["UA"])
    p = first_problem(reseal(b, [*lines[:-1], envelope_line(env)]))
    assert p.check is Check.MEMBER
    assert p.detail in ("seen mark names UA, not a member", "to names UA, not a member")


# --- withheld and protocol bodies ------------------------------------------------------------


def test_operator_bodies_may_be_withheld_and_are_counted() -> None:
    b = opened()
    for _ in range(20):
        b.notify("US")
    lines = b.export(withhold=withhold_fraction(0.5))
    report = verify(lines)
    assert report.valid
    withheld = sum(b'"withheld":true' in line for line in lines)
    assert 0 < withheld < 20
    assert report.summary.withheld_bodies == withheld


def test_protocol_bodies_may_not_be_withheld() -> None:
    b = opened()
    cp = b.checkpoint("US")
    lines = b.export()
    n = line_of(lines, cp)
    lines[n - 1] = envelope_line(cp, frame=cp.detached(), withheld=True)
    p = first_problem(reseal(b, lines))
    assert (p.check, p.line) == (Check.WITHHELD, n)
    assert p.detail.startswith("the body of a checkpoint is withheld")


def test_protocol_body_that_does_not_decode() -> None:
    b = opened()
    b.seal("US", Kind.CHECKPOINT, b'{"size":2}')
    p = first_problem(b.export())
    assert p.check is Check.BODY
    assert p.detail.startswith("checkpoint: invalid body")


# --- checkpoints and cosigns -----------------------------------------------------------------


def test_checkpoint_root_is_recomputed() -> None:
    b = opened()
    cp = b.checkpoint("US", root="ab" * 32)
    lines = b.export()
    p = first_problem(lines)
    assert (p.check, p.line, p.seq) == (Check.CHECKPOINT, line_of(lines, cp), 3)
    assert "is not the tree head of US seq 1..2 recomputed from the transcript" in p.detail


def test_checkpoint_size_must_be_seq_minus_one() -> None:
    b = opened()
    b.checkpoint("US", size=1)
    p = first_problem(b.export())
    assert p.detail == "covers 1 envelopes; a checkpoint at seq 3 must cover seq 1..2"


def test_checkpoint_needs_both_party_signatures() -> None:
    b = opened()
    root = b.root("US")
    statement = checkpoint_statement(b.channel, "US", 2, root)
    us, ru = party_keys("US"), party_keys("RU")
    sig = sign_statement(statement, us.ed25519, ru.mldsa65)  # one right, one wrong
    b.seal("US", Kind.CHECKPOINT, encode_body(CheckpointBody(size=2, root=root, sig=sig)))
    p = first_problem(b.export())
    assert (p.check, p.detail) == (
        Check.CHECKPOINT,
        "not signed by US's party keys (Ed25519 and ML-DSA-65)",
    )


def test_cosign_must_match_the_checkpoint() -> None:
    b = opened()
    cp = b.checkpoint("US")
    bad = b.cosign("RU", cp, root="ab" * 32)
    lines = b.export()
    p = first_problem(lines)
    assert (p.check, p.line, p.party) == (Check.COSIGN, line_of(lines, bad), "RU")
    assert f"differs from US's checkpoint of 2 envelopes (line {line_of(lines, cp)})" in p.detail


def test_cosign_of_a_checkpoint_not_in_the_transcript() -> None:
    b = opened()
    keys = party_keys("RU")
    root = b.root("US")
    sig = sign_statement(cosign_statement(b.channel, "US", 2, root), keys.ed25519, keys.mldsa65)
    lines = b.export()
    cosign = encode_body(CosignBody(party="US", size=2, root=root, sig=sig))
    env = b.seal("RU", Kind.COSIGN, cosign)
    p = first_problem(reseal(b, [*lines[:-1], envelope_line(env)]))
    assert p.detail == (
        "countersigns US's checkpoint of 2 envelopes, which is not earlier in the transcript"
    )


def test_cosign_by_the_owner_or_with_a_bad_signature() -> None:
    b = opened()
    cp = b.checkpoint("US")
    b.cosign("US", cp)
    assert first_problem(b.export()).detail == "a member cannot countersign its own checkpoint"
    b = opened()
    root = b.root("US")
    b.checkpoint("US")
    us = party_keys("US")
    statement = cosign_statement(b.channel, "US", 2, root)
    sig = sign_statement(statement, us.ed25519, us.mldsa65)  # US's keys on RU's cosign
    body = CosignBody(party="US", size=2, root=root, sig=sig)
    b.seal("RU", Kind.COSIGN, encode_body(body))
    p = first_problem(b.export())
    assert (p.check, p.detail) == (
        Check.COSIGN,
        "not signed by RU's party keys (Ed25519 and ML-DSA-65)",
    )


# --- the end line ----------------------------------------------------------------------------


def test_a_file_cut_short_is_named() -> None:
    lines = opened().export()
    p = first_problem(lines[:-1])
    assert (p.line, p.check) == (len(lines), Check.END)
    assert "ends without its signed end line" in p.detail
    p = first_problem(lines[:-2])  # cut before an envelope line: still the end is missing
    assert p.check is Check.END


def test_a_change_only_the_end_line_can_see() -> None:
    b = opened()
    lines = b.export()
    lines[0] = lines[0].replace(b"2026-", b"2027-", 1)
    p = first_problem(lines)
    assert (p.line, p.check) == (len(lines), Check.END)
    assert "the file was changed after it was exported" in p.detail


def test_end_line_count_key_and_position() -> None:
    b = opened()
    lines = b.export()
    p = first_problem([*lines, lines[1]])
    assert (p.check, p.line) == (Check.END, len(lines) + 1)
    assert p.detail.startswith("a line after the end line")
    p = first_problem(reseal(b, lines, by="RU"))  # RU's node signs, US is named as exporter
    assert p.detail.startswith("signed by key ")
    assert p.detail.endswith("not a node key of US")
    p = first_problem([lines[0], lines[-1]])
    assert p.detail == f"the end line counts {len(lines) - 1} lines before it; there are 1"


def test_end_signature_must_verify() -> None:
    b = opened()
    lines = b.export()
    end = bytearray(lines[-1])
    i = end.index(b'"sig":"') + 10
    end[i] = ord("A") if end[i] != ord("A") else ord("B")
    p = first_problem([*lines[:-1], bytes(end)])
    assert (p.check, p.detail) == (Check.END, "bad signature by US's node key")


def test_problem_text_names_line_member_and_seq() -> None:
    p = Problem(line=1042, check=Check.CHAIN, detail="prev ...", party="RU", seq=517)
    assert str(p) == "line 1042: RU seq 517: prev ..."
    assert str(Problem(line=3, check=Check.LINE, detail="x")) == "line 3: x"


# --- invalid UTF-8 inside signed JSON (msgspec raises UnicodeDecodeError there) --------------


def test_signed_header_with_invalid_utf8_is_an_envelope_problem() -> None:
    import struct

    from hotline.protocol.envelope import MAGIC, PREFIX_LEN

    b = opened()
    lines = b.export()
    note = b.notify("RU")
    hlen = struct.unpack_from(">I", note.raw, PREFIX_LEN - 4)[0]
    header = note.raw[PREFIX_LEN : PREFIX_LEN + hlen].replace(b'"from":"RU"', b'"from":"R\x80"')
    keys = party_keys("RU")
    sig = keys.node.sign(MAGIC + keys.node_key_id + header)
    frame = struct.pack(">4s32s64sI", MAGIC, keys.node_key_id, sig, len(header)) + header
    p = first_problem(reseal(b, [*lines[:-1], envelope_line(note, frame=frame)]))
    assert (p.check, p.detail) == (Check.ENVELOPE, "header is not valid UTF-8")


def test_signed_protocol_body_with_invalid_utf8_is_a_body_problem() -> None:
    b = opened()
    b.seal("RU", Kind.CHECKPOINT, b'{"root":"\x80","size":1}')
    p = first_problem(b.export())
    assert (p.check, p.detail) == (Check.BODY, "checkpoint: body is not valid UTF-8")


def test_line_with_invalid_utf8_is_a_line_problem() -> None:
    b = opened()
    lines = b.export()
    p = first_problem([lines[0], b'{"from":"\x80"}\n'])
    assert (p.line, p.check, p.detail) == (2, Check.LINE, "envelope line is not valid UTF-8")


def test_finish_can_be_asked_twice_and_feeding_can_resume() -> None:
    from hotline.protocol.transcript import TranscriptVerifier

    lines = opened().export()
    verifier = TranscriptVerifier(members_from_cards)
    for line in lines[:-1]:
        verifier.feed(line)
    early = verifier.finish()
    assert early == verifier.finish()
    assert [p.check for p in early.problems] == [Check.END]
    verifier.feed(lines[-1])
    assert verifier.finish().valid
