"""Inclusion proofs show one envelope and its acknowledgement, and nothing can be swapped."""

import msgspec
import pytest

from hotline.protocol.envelope import Envelope, Kind
from hotline.protocol.members import members_from_cards
from hotline.protocol.proofs import (
    CannotProveError,
    Proof,
    ProofError,
    ProvenEnvelope,
    build_proof,
    describe_proof,
    verify_proof,
)
from hotline.protocol.types import Marking, Precedence
from hotline.testing.transcripts import (
    TranscriptBuilder,
    generate_transcript,
)

MEMBERS = members_from_cards


class Channel:
    """US notifies, RU acknowledges two minutes later; both checkpoint and countersign."""

    def __init__(self) -> None:
        b = TranscriptBuilder(checkpoint_every=4)
        b.open_channel()
        b.now_ms += 60_000
        self.note = b.notify("US", "Launch at 0600Z", prec=Precedence.FLASH, mark=Marking.REAL)
        b.now_ms += 120_000
        self.ack = b.ack("RU", self.note)
        self.us_checkpoint = b.checkpoint("US")
        self.ru_checkpoint = b.checkpoint("RU")
        b.cosign("RU", self.us_checkpoint)
        b.cosign("US", self.ru_checkpoint)
        self.secret = b.notify("US", "Not for the third party")
        self.builder = b
        self.lines = b.export()


@pytest.fixture(scope="module")
def channel() -> Channel:
    return Channel()


def proof_of(channel: Channel, *, with_ack: bool = True) -> Proof:
    return build_proof(channel.lines, "US", channel.note.seq, MEMBERS, with_ack=with_ack)


def test_proof_says_who_said_what_when_and_who_acknowledged(channel: Channel) -> None:
    report = verify_proof(proof_of(channel).to_bytes(), MEMBERS)
    e = report.envelope
    assert (e.party, e.seq, e.kind, e.prec, e.mark) == ("US", 3, "notification", "FLASH", "REAL")
    assert e.id == channel.note.id_hex
    assert e.t_ms == channel.note.header.t
    assert e.body_text == '{"text":"Launch at 0600Z","type":"free_text"}'
    assert (e.checkpoint.size, e.checkpoint.seq) == (3, 4)
    assert [c.party for c in e.checkpoint.cosigned_by] == ["RU"]
    assert report.ack is not None
    assert (report.ack.party, report.ack.seq, report.ack.kind) == ("RU", 2, "ack")
    assert report.ack_latency_ms == 120_000
    assert [c.party for c in report.ack.checkpoint.cosigned_by] == ["US"]
    assert report.channel == channel.builder.channel
    assert set(report.members) == {"RU", "US"}
    text = "\n".join(describe_proof(report))
    assert "Proven: US sent notification FLASH REAL, US seq 3, at 2026-09-21T14:14:20.000Z" in text
    assert "countersigned by RU" in text
    assert "Acknowledged: RU sent ack FLASH REAL, RU seq 2" in text
    assert "2 min 00 s after it was sent" in text


def test_proof_reveals_no_other_body(channel: Channel) -> None:
    proof = proof_of(channel)
    frames = [proof.envelope.env, proof.envelope.checkpoint, *proof.envelope.cosigns]
    assert proof.ack is not None
    frames += [proof.ack.env, proof.ack.checkpoint, *proof.ack.cosigns]
    assert channel.secret.body is not None
    assert not any(channel.secret.body in frame for frame in frames)
    assert all(channel.secret.id_hex not in node for node in proof.envelope.path)


def test_proof_without_ack(channel: Channel) -> None:
    proof = proof_of(channel, with_ack=False)
    assert proof.ack is None
    assert verify_proof(proof.to_bytes(), MEMBERS).ack is None


def tampered(proof: Proof, **changes: object) -> bytes:
    return msgspec.structs.replace(proof, **changes).to_bytes()


def flip(frame: bytes) -> bytes:
    return frame[:-1] + bytes([frame[-1] ^ 1])


def test_every_part_is_checked(channel: Channel) -> None:
    proof = proof_of(channel)
    shown, ack = proof.envelope, proof.ack
    assert ack is not None
    cases: list[tuple[bytes, str]] = [
        (
            tampered(proof, envelope=msgspec.structs.replace(shown, env=flip(shown.env))),
            "envelope: body does not match the SHA-256",
        ),
        (
            tampered(proof, envelope=msgspec.structs.replace(shown, path=["ab" * 32])),
            "envelope: the audit path does not lead from US seq 3",
        ),
        (
            tampered(proof, envelope=msgspec.structs.replace(shown, checkpoint=ack.checkpoint)),
            "envelope checkpoint: is not a checkpoint of US",
        ),
        (
            tampered(proof, envelope=msgspec.structs.replace(shown, cosigns=ack.cosigns)),
            "envelope cosign 1: is not a countersignature by a member other than US",
        ),
        (
            tampered(proof, envelope=msgspec.structs.replace(shown, cosigns=shown.cosigns * 2)),
            "envelope cosign 2: a second countersignature by RU",
        ),
        (
            tampered(proof, ack=msgspec.structs.replace(ack, env=ack.checkpoint)),
            "ack: is a checkpoint, not an ack",
        ),
        (
            tampered(proof, charter=proof.charter.replace(b"Black Sea", b"Baltic Sea")),
            "envelope: belongs to another channel",
        ),
        (b'{"format":"hotline-proof"}', "proof: not a valid proof file"),
        (tampered(proof, version=2), "expected 'hotline-proof' version 1"),
    ]
    for data, expected in cases:
        with pytest.raises(ProofError, match=expected.replace("(", r"\(")):
            verify_proof(data, MEMBERS)


def test_an_ack_of_something_else_does_not_prove_acknowledgement() -> None:
    b = TranscriptBuilder(checkpoint_every=4)
    b.open_channel()
    first, second = b.notify("US", "one"), b.notify("US", "two")
    b.ack("RU", first)
    b.ack("RU", second)
    b.checkpoint("US")
    b.checkpoint("RU")
    lines = b.export()
    proof_one = build_proof(lines, "US", first.seq, MEMBERS, with_ack=True)
    proof_two = build_proof(lines, "US", second.seq, MEMBERS, with_ack=True)
    mixed = msgspec.structs.replace(proof_one, ack=proof_two.ack)
    with pytest.raises(ProofError, match="ack: does not reference US seq 3 by its id"):
        verify_proof(mixed.to_bytes(), MEMBERS)


def test_what_cannot_be_proven_is_named(channel: Channel) -> None:
    with pytest.raises(CannotProveError, match="US seq 9: no such envelope"):
        build_proof(channel.lines, "US", 9, MEMBERS)
    with pytest.raises(CannotProveError, match="not yet covered by a checkpoint of US"):
        build_proof(channel.lines, "US", channel.secret.seq, MEMBERS)
    withheld = channel.builder.export(withhold=lambda env: env.header.kind is Kind.NOTIFICATION)
    with pytest.raises(CannotProveError, match="its body is withheld in this transcript"):
        build_proof(withheld, "US", channel.note.seq, MEMBERS)
    with pytest.raises(CannotProveError, match="the transcript does not verify: line"):
        build_proof(channel.lines[:-1], "US", channel.note.seq, MEMBERS)
    b = TranscriptBuilder(checkpoint_every=4)
    b.open_channel()
    note = b.notify("US")
    b.checkpoint("US")
    with pytest.raises(CannotProveError, match="no other member acknowledged it"):
        build_proof(b.export(), "US", note.seq, MEMBERS, with_ack=True)
    b.ack("RU", note)
    with pytest.raises(CannotProveError, match=r"\(RU seq 2\) is not yet covered by a checkpoint"):
        build_proof(b.export(), "US", note.seq, MEMBERS, with_ack=True)


def test_proofs_of_every_acknowledged_notification_in_random_traffic() -> None:
    generated = generate_transcript(400, parties=("RU", "UA", "US"), seed=5, checkpoint_every=16)
    b = generated.builder
    notifications: list[Envelope] = [
        e for e in b.envelopes if e.header.kind is Kind.NOTIFICATION and e.header.seq < 40
    ]
    proven = 0
    refusals: list[str] = []
    for note in notifications:
        try:
            proof = build_proof(generated.lines, note.sender, note.seq, MEMBERS, with_ack=True)
        except CannotProveError as exc:
            refusals.append(str(exc))
            continue
        report = verify_proof(proof.to_bytes(), MEMBERS)
        assert (report.envelope.party, report.envelope.id) == (note.sender, note.id_hex)
        assert report.ack is not None
        assert report.ack.party != note.sender
        proven += 1
    assert proven >= len(notifications) // 2 > 0
    assert all("acknowledg" in refusal for refusal in refusals)  # only a missing or late ack


def test_proven_envelope_shape_is_strict() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"env":"","checkpoint":"","path":[],"extra":1}', type=ProvenEnvelope)
