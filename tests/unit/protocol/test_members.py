"""MemberKeys from a real identity card: envelopes signed by a certified node key verify."""

from datetime import UTC, datetime

from hotline.protocol.envelope import Kind, make_header, open_envelope, seal
from hotline.protocol.members import MemberDirectory, MemberKeys
from hotline.protocol.types import Marking, Precedence
from hotline.testing.identities import make_identity


def test_a_card_gives_the_keys_that_verify_its_nodes_envelopes() -> None:
    us = make_identity("US", nodes=("hq",), at=datetime(2026, 1, 1, tzinfo=UTC))
    keys = MemberKeys.from_card(us.card)
    assert keys.ed25519 == us.card.keys.ed25519.public_bytes_raw()
    node = us.nodes["hq"]
    header = make_header(
        channel="ab" * 32, sender="US", seq=1, prev=None, seen={}, now_ms=1,
        kind=Kind.NOTIFICATION, body=b"x", prec=Precedence.ROUTINE, mark=Marking.TEST,
    )  # fmt: skip
    env = seal(header, b"x", node.ed25519, node.key_id)
    assert open_envelope(env.raw, MemberDirectory({"US": keys})).sender == "US"
