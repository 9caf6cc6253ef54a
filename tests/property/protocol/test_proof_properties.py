"""No change to a proof file changes what it proves: it still proves the same, or is refused."""

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.protocol.members import members_from_cards
from hotline.protocol.proofs import ProofError, ProofReport, build_proof, verify_proof
from hotline.protocol.types import Precedence
from hotline.testing.transcripts import TranscriptBuilder

MEMBERS = members_from_cards


def make_proof() -> bytes:
    b = TranscriptBuilder(checkpoint_every=4)
    b.open_channel()
    note = b.notify("US", "Launch at 0600Z", prec=Precedence.FLASH)
    b.ack("RU", note)
    checkpoint = b.checkpoint("US")
    b.checkpoint("RU")
    b.cosign("RU", checkpoint)
    return build_proof(b.export(), "US", note.seq, MEMBERS, with_ack=True).to_bytes()


PROOF = make_proof()
PROVEN = verify_proof(PROOF, MEMBERS)


def proves_the_same_or_is_refused(data: bytes) -> ProofReport | None:
    try:
        report = verify_proof(data, MEMBERS)
    except ProofError:
        return None
    assert report == PROVEN
    return report


@settings(max_examples=300, deadline=None)
@given(position=st.integers(0, len(PROOF) - 1), value=st.integers(0, 255))
def test_a_changed_byte_never_changes_what_is_proven(position: int, value: int) -> None:
    changed = bytearray(PROOF)
    changed[position] = value
    proves_the_same_or_is_refused(bytes(changed))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_are_refused_with_a_proof_error(data: bytes) -> None:
    assert proves_the_same_or_is_refused(data) is None
