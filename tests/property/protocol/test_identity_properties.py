"""Properties of identities and keys: round trips, every change detected, fuzz only raises ours."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nacl.bindings
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hotline.errors import HotlineError, KeyMaterialError
from hotline.protocol import (
    IdentityCard,
    InvalidPublicKeyError,
    NodeCertificate,
    NodeSecretKey,
    PartySecretKeys,
    Revocation,
    RevocationReason,
    RevocationSubject,
    issue_card,
    issue_node_certificate,
    issue_revocation,
    issue_rotation,
    load_ed25519_public_key,
    verify_rotation,
)
from hotline.protocol.edwards import P, point_problem
from hotline.protocol.keys import NODE_PATTERN, PARTY_PATTERN
from hotline.protocol.statement import canonical_json
from hotline.storage.keyfiles import KdfParams, KeyFileError, seal, unseal
from hotline.testing.identities import make_identity

T0 = datetime(2026, 3, 1, tzinfo=UTC)
CHEAP = KdfParams(iterations=1, lanes=1, memory_kib=8)
NOWHERE = Path("test.key")

US = make_identity("US", ("hq", "sea-1"), at=T0)
CARD = US.card.to_bytes()
CERT = US.card.node("hq").to_bytes()
REVOCATION = issue_revocation(
    US.secret,
    US.card,
    subject=RevocationSubject.NODE,
    revoked_key_id=US.nodes["hq"].key_id,
    reason=RevocationReason.COMPROMISED,
    issued=T0 + timedelta(days=3),
).to_bytes()
_NEW = PartySecretKeys.generate("US")
_NEW_CARD = issue_card(
    _NEW,
    [
        issue_node_certificate(_NEW, c.node, c.public_key, T0, T0 + timedelta(days=9))
        for c in US.card.nodes
    ],
    T0 + timedelta(days=1),
)
ROTATION = issue_rotation(US.secret, US.card, _NEW, _NEW_CARD, T0 + timedelta(days=1)).to_bytes()
SEALED = seal(US.secret.to_bytes(), b"passphrase", CHEAP, path=NOWHERE)

PARSERS = {
    "card": IdentityCard.from_bytes,
    "certificate": lambda data: NodeCertificate.from_bytes(data, US.card.keys),
    "revocation": lambda data: Revocation.from_bytes(data, [US.card]),
    "rotation": lambda data: verify_rotation(US.card, data),
}
ORIGINALS = {"card": CARD, "certificate": CERT, "revocation": REVOCATION, "rotation": ROTATION}

utc_times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
)


# --- Ed25519 keys ---------------------------------------------------------------------------

_TORSION = [
    b"\x01" + bytes(31),
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
]


@st.composite
def ed25519_candidates(draw: st.DrawFn) -> bytes:
    """Random bytes, honest keys, keys with a torsion component, torsion and near-p encodings."""
    kind = draw(st.sampled_from(["random", "honest", "mixed", "small", "near_p"]))
    if kind == "random":
        return draw(st.binary(min_size=32, max_size=32))
    honest = Ed25519PrivateKey.from_private_bytes(
        draw(st.binary(min_size=32, max_size=32))
    ).public_key()
    raw = honest.public_bytes_raw()
    if kind == "honest":
        return raw
    if kind == "mixed":
        return bytes(
            nacl.bindings.crypto_core_ed25519_add(raw, draw(st.sampled_from(_TORSION[1:])))
        )
    if kind == "small":
        base = draw(st.sampled_from(_TORSION))
    else:
        base = (P + draw(st.integers(-20, 18))).to_bytes(32, "little")
    sign = draw(st.sampled_from([0, 0x80]))
    return base[:31] + bytes([(base[31] & 0x7F) | sign])


@settings(max_examples=400, deadline=None)
@given(ed25519_candidates())
def test_ed25519_acceptance_agrees_with_libsodium(raw: bytes) -> None:
    """Same rule as crypto_core_ed25519_is_valid_point: canonical, on curve, prime order."""
    assert (point_problem(raw) is None) == bool(
        nacl.bindings.crypto_core_ed25519_is_valid_point(raw)
    )
    if point_problem(raw) is None:
        assert load_ed25519_public_key(raw).public_bytes_raw() == raw
    else:
        with pytest.raises(InvalidPublicKeyError):
            load_ed25519_public_key(raw)


# --- round trips ----------------------------------------------------------------------------


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    party=st.from_regex(f"\\A{PARTY_PATTERN}\\Z"),
    nodes=st.lists(st.from_regex(f"\\A{NODE_PATTERN}\\Z"), max_size=4, unique=True),
    created=utc_times,
    valid_s=st.integers(1, 20 * 365 * 86400),
)
def test_card_round_trips(party: str, nodes: list[str], created: datetime, valid_s: int) -> None:
    secret = PartySecretKeys.generate(party)
    node_keys = [NodeSecretKey.generate(party, n) for n in nodes]
    certs = [
        issue_node_certificate(
            secret, k.node, k.public_key, created, created + timedelta(seconds=valid_s)
        )
        for k in node_keys
    ]
    card = issue_card(secret, certs, created)
    again = IdentityCard.from_bytes(card.to_bytes())
    assert again.to_bytes() == card.to_bytes()
    assert again.party == party
    assert again.created == created.replace(microsecond=0)
    assert [c.node for c in again.nodes] == nodes
    assert [c.key_id for c in again.nodes] == [k.key_id for k in node_keys]
    assert again.fingerprint == card.fingerprint
    for cert in again.nodes:
        assert NodeCertificate.from_bytes(cert.to_bytes(), again.keys) == cert


@settings(max_examples=30, deadline=None)
@given(secret=st.binary(max_size=512), passphrase=st.binary(min_size=1, max_size=64) | st.none())
def test_key_file_round_trips(secret: bytes, passphrase: bytes | None) -> None:
    data = seal(secret, passphrase, CHEAP, path=NOWHERE)
    assert unseal(data, passphrase, path=NOWHERE) == secret


# --- every change is detected ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["certificate", "revocation"])
def test_every_single_bit_flip_is_rejected(name: str) -> None:
    """Exhaustive over positions (one flip each): each altered file is refused."""
    original, parse = ORIGINALS[name], PARSERS[name]
    parse(original)
    for position in range(len(original)):
        altered = bytearray(original)
        altered[position] ^= 0x01
        with pytest.raises(KeyMaterialError):
            parse(bytes(altered))


@settings(max_examples=400, deadline=None)
@given(
    name=st.sampled_from(sorted(ORIGINALS)),
    position=st.floats(0, 1, exclude_max=True),
    value=st.integers(0, 255),
)
def test_any_single_byte_change_is_rejected(name: str, position: float, value: int) -> None:
    original = ORIGINALS[name]
    index = int(position * len(original))
    assume(original[index] != value)
    altered = bytearray(original)
    altered[index] = value
    with pytest.raises(KeyMaterialError):
        PARSERS[name](bytes(altered))


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(sorted(ORIGINALS)),
    start=st.floats(0, 1),
    length=st.integers(0, 40),
    insert=st.binary(max_size=40),
)
def test_any_splice_is_rejected(name: str, start: float, length: int, insert: bytes) -> None:
    original = ORIGINALS[name]
    index = int(start * len(original))
    altered = original[:index] + insert + original[index + length :]
    assume(altered != original)
    with pytest.raises(KeyMaterialError):
        PARSERS[name](altered)


@settings(max_examples=200, deadline=None)
@given(position=st.floats(0, 1, exclude_max=True), value=st.integers(0, 255))
def test_any_single_byte_change_of_a_sealed_key_file_is_rejected(
    position: float, value: int
) -> None:
    index = int(position * len(SEALED))
    assume(SEALED[index] != value)
    altered = bytearray(SEALED)
    altered[index] = value
    with pytest.raises(KeyFileError):
        unseal(bytes(altered), b"passphrase", path=NOWHERE)


# --- fuzz: only hotline errors --------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def statement_like(draw: st.DrawFn) -> bytes:
    """Canonical statement lines with plausible or random bodies: they pass the form checks."""
    original = json.loads(draw(st.sampled_from(sorted(ORIGINALS.values()))).split(b"\n")[0])
    body = dict(original["body"])
    for key in draw(st.lists(st.sampled_from(sorted(body)), max_size=3)):
        body[key] = draw(json_values)
    sig = draw(st.just(original["sig"]) | json_values)
    return canonical_json({"body": body, "sig": sig}) + b"\n"


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000) | statement_like(), name=st.sampled_from(sorted(PARSERS)))
def test_fuzzed_bytes_only_ever_raise_hotline_errors(data: bytes, name: str) -> None:
    """Anything but the genuine file raises a hotline error, and nothing else ever escapes."""
    try:
        PARSERS[name](data)
    except HotlineError:
        return
    assert data == ORIGINALS[name]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400) | json_values.map(lambda v: json.dumps(v).encode()))
def test_fuzzed_key_material_only_ever_raises_hotline_errors(data: bytes) -> None:
    for parse in (
        lambda: unseal(data, b"pw", path=NOWHERE),
        lambda: PartySecretKeys.from_bytes(data),
        lambda: NodeSecretKey.from_bytes(data),
        lambda: load_ed25519_public_key(data),
    ):
        with contextlib.suppress(HotlineError):
            parse()
