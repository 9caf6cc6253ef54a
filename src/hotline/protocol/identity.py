"""Party identities: node certificates, identity cards, key rotation and revocation.

Every object here is built only from bytes whose signatures were checked: ``issue_*`` functions
sign, then parse their own output with the same ``from_bytes`` a peer uses. File formats (all
ASCII, one signed statement per line, each line ending in ``\\n``; see ``statement.py`` and
docs/protocol.md, "Identities and keys"):

- node certificate: one ``hotline.node-certificate/1`` statement, signed by the party (both keys);
- identity card: one ``hotline.identity-card/1`` statement, self-signed with both party keys,
  followed by the node certificates whose SHA-256 hashes it lists, in that order;
- rotation: one ``hotline.rotation/1`` statement signed by the old AND the new party keys,
  followed by the new identity card;
- revocation: one ``hotline.revocation/1`` statement signed by a key of the party.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hotline.protocol.fingerprint import Fingerprint, fingerprint, short_key_id
from hotline.protocol.identity_errors import (
    IdentityMismatchError,
    InvalidPublicKeyError,
    MalformedStatementError,
    RotationRefusedError,
)
from hotline.protocol.keys import (
    ED25519_SIGNATURE_BYTES,
    MLDSA65_SIGNATURE_BYTES,
    NODE_RE,
    PARTY_RE,
    HpkePublicKey,
    HybridSignature,
    PartyPublicKeys,
    PartySecretKeys,
    check_node_name,
    key_id,
    load_ed25519_public_key,
    load_mldsa65_public_key,
    load_mlkem768_public_key,
    load_x25519_public_key,
)
from hotline.protocol.statement import (
    HEX32,
    Fields,
    RawStatement,
    b64decode,
    b64encode,
    canonical_json,
    format_utc,
    join_statement,
    parse_utc,
    split_lines,
    split_statement,
)

CERTIFICATE_TYPE = "hotline.node-certificate/1"
CARD_TYPE = "hotline.identity-card/1"
ROTATION_TYPE = "hotline.rotation/1"
REVOCATION_TYPE = "hotline.revocation/1"

MAX_STATEMENT_BYTES = 32 * 1024  # a card line is about 9.5 KB, a certificate 4.7 KB
MAX_NODES = 32
MAX_CARD_BYTES = 256 * 1024
MAX_ROTATION_BYTES = MAX_STATEMENT_BYTES + MAX_CARD_BYTES

_PARTY = (PARTY_RE, "a party id (A-Z 0-9 _ -, e.g. US)")
_NODE = (NODE_RE, "a node name (a-z 0-9 . _ -)")
_KEY_ID = (HEX32, "a key id or hash (64 lower-case hex digits)")
_SIGNATURE_FIELDS = ("ed25519", "mldsa65")


@dataclass(frozen=True)
class _CertificateBody:
    party: str
    node: str
    key: str
    issuer: str
    valid_from: str
    valid_until: str

    @classmethod
    def read(cls, value: object, what: str) -> _CertificateBody:
        names = ("type", "party", "node", "key", "issuer", "valid_from", "valid_until")
        f = Fields(value, names, what=what, path="$.body")
        return cls(
            party=f.text("party", *_PARTY),
            node=f.text("node", *_NODE),
            key=f.text("key"),
            issuer=f.text("issuer", *_KEY_ID),
            valid_from=f.text("valid_from"),
            valid_until=f.text("valid_until"),
        )


@dataclass(frozen=True)
class _CardBody:
    party: str
    created: str
    ed25519: str
    mldsa65: str
    mlkem768: str
    x25519: str
    nodes: list[str]

    @classmethod
    def read(cls, value: object, what: str) -> _CardBody:
        names = ("type", "party", "created", "ed25519", "mldsa65", "mlkem768", "x25519", "nodes")
        f = Fields(value, names, what=what, path="$.body")
        return cls(
            party=f.text("party", *_PARTY),
            created=f.text("created"),
            ed25519=f.text("ed25519"),
            mldsa65=f.text("mldsa65"),
            mlkem768=f.text("mlkem768"),
            x25519=f.text("x25519"),
            nodes=f.texts("nodes", *_KEY_ID, max_items=MAX_NODES),
        )


@dataclass(frozen=True)
class _RotationBody:
    party: str
    old_card: str
    new_card: str
    old_key: str
    new_key: str
    issued: str

    @classmethod
    def read(cls, value: object, what: str) -> _RotationBody:
        names = ("type", "party", "old_card", "new_card", "old_key", "new_key", "issued")
        f = Fields(value, names, what=what, path="$.body")
        return cls(
            party=f.text("party", *_PARTY),
            old_card=f.text("old_card", *_KEY_ID),
            new_card=f.text("new_card", *_KEY_ID),
            old_key=f.text("old_key", *_KEY_ID),
            new_key=f.text("new_key", *_KEY_ID),
            issued=f.text("issued"),
        )


@dataclass(frozen=True)
class _RevocationBody:
    party: str
    subject: str
    key: str
    issuer: str
    issued: str
    effective: str
    reason: str

    @classmethod
    def read(cls, value: object, what: str) -> _RevocationBody:
        names = ("type", "party", "subject", "key", "issuer", "issued", "effective", "reason")
        f = Fields(value, names, what=what, path="$.body")
        return cls(
            party=f.text("party", *_PARTY),
            subject=f.choice("subject", ("node", "party")),
            key=f.text("key", *_KEY_ID),
            issuer=f.text("issuer", *_KEY_ID),
            issued=f.text("issued"),
            effective=f.text("effective"),
            reason=f.choice("reason", ("compromised", "superseded", "retired")),
        )


def _parse_line(line: bytes, expected_type: str, what: str) -> RawStatement:
    raw = split_statement(line, what=what, max_bytes=MAX_STATEMENT_BYTES)
    if raw.type != expected_type:
        found = raw.type or "statement without a type"
        raise MalformedStatementError(
            what, f"is a {found!r}, not a {expected_type!r}", "$.body.type"
        )
    return raw


def _signatures(f: Fields) -> HybridSignature:
    """The two signatures of an object ``{"ed25519": ..., "mldsa65": ...}``."""
    return HybridSignature(
        b64decode(
            f.text("ed25519"), what=f.what, path=f.path + ".ed25519", size=ED25519_SIGNATURE_BYTES
        ),
        b64decode(
            f.text("mldsa65"), what=f.what, path=f.path + ".mldsa65", size=MLDSA65_SIGNATURE_BYTES
        ),
    )


def _signatures_json(sig: HybridSignature) -> dict[str, str]:
    return {"ed25519": b64encode(sig.ed25519), "mldsa65": b64encode(sig.mldsa65)}


def _public_key(text: str, what: str, path: str) -> Ed25519PublicKey:
    raw = b64decode(text, what=what, path=path, size=32)
    try:
        return load_ed25519_public_key(raw)
    except InvalidPublicKeyError as exc:
        exc.args = (f"{what} at {path}: {exc}",)
        raise


def _single_line(data: bytes, what: str) -> bytes:
    lines = split_lines(data, what=what, max_bytes=MAX_STATEMENT_BYTES + 1)
    if len(lines) != 1:
        raise MalformedStatementError(what, f"expected one line, found {len(lines)}")
    return lines[0]


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


# --- node certificates ----------------------------------------------------------------------


@dataclass(frozen=True)
class NodeCertificate:
    """A party's signed statement that ``public_key`` is its node ``node`` during a period.

    Valid from ``valid_from`` (inclusive) until ``valid_until`` (exclusive), UTC.
    """

    party: str
    node: str
    public_key: Ed25519PublicKey
    issuer: bytes  # key id of the party key that signed it
    valid_from: datetime
    valid_until: datetime
    line: bytes = field(repr=False)

    @property
    def key_id(self) -> bytes:
        return key_id(self.public_key)

    @property
    def digest(self) -> bytes:
        """SHA-256 of the certificate's statement line (what a card lists)."""
        return _sha256(self.line)

    def valid_at(self, at: datetime) -> bool:
        return self.valid_from <= at < self.valid_until

    def to_bytes(self) -> bytes:
        """The certificate file: its statement line and a newline."""
        return self.line + b"\n"

    @classmethod
    def from_bytes(cls, data: bytes, issuer: PartyPublicKeys) -> NodeCertificate:
        """Parse and verify a certificate file against the party keys that should have signed it."""
        return cls._from_line(_single_line(data, "node certificate"), issuer)

    @classmethod
    def _from_line(cls, line: bytes, issuer: PartyPublicKeys) -> NodeCertificate:
        what = "node certificate"
        raw = _parse_line(line, CERTIFICATE_TYPE, what)
        body = _CertificateBody.read(raw.body, what)
        sig = _signatures(Fields(raw.sig, _SIGNATURE_FIELDS, what=what, path="$.sig"))
        if body.issuer != issuer.key_id.hex():
            raise IdentityMismatchError(
                f"node certificate of {body.party}/{body.node}",
                f"issued by party key {body.issuer[:16]}, not by {issuer.key_id.hex()[:16]}",
            )
        issuer.verify(raw.body_bytes, sig, domain=CERTIFICATE_TYPE, what=what)
        valid_from = parse_utc(body.valid_from, what=what, path="$.body.valid_from")
        valid_until = parse_utc(body.valid_until, what=what, path="$.body.valid_until")
        if valid_until <= valid_from:
            raise MalformedStatementError(what, "valid_until is not after valid_from", "$.body")
        return cls(
            party=body.party,
            node=body.node,
            public_key=_public_key(body.key, what, "$.body.key"),
            issuer=issuer.key_id,
            valid_from=valid_from,
            valid_until=valid_until,
            line=line,
        )


def issue_node_certificate(
    party: PartySecretKeys,
    node: str,
    public_key: Ed25519PublicKey,
    valid_from: datetime,
    valid_until: datetime,
) -> NodeCertificate:
    """Certify ``public_key`` as node ``node`` of the party (times floored to the second)."""
    issuer = party.public_keys()
    body = canonical_json(
        {
            "type": CERTIFICATE_TYPE,
            "party": party.party,
            "node": check_node_name(node),
            "key": b64encode(public_key.public_bytes_raw()),
            "issuer": issuer.key_id.hex(),
            "valid_from": format_utc(valid_from),
            "valid_until": format_utc(valid_until),
        }
    )
    sig = party.sign(body, domain=CERTIFICATE_TYPE)
    return NodeCertificate._from_line(join_statement(body, _signatures_json(sig)), issuer)


# --- identity cards -------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityCard:
    """The public identity a party hands over at the key ceremony.

    Party id, the three public keys, the current node certificates and the creation time,
    self-signed with both signing keys. Only ``from_bytes`` and ``issue_card`` make one.
    """

    party: str
    created: datetime
    keys: PartyPublicKeys
    nodes: tuple[NodeCertificate, ...]
    data: bytes = field(repr=False)

    @property
    def key_id(self) -> bytes:
        """The party key id: SHA-256 of the party's raw Ed25519 public key."""
        return self.keys.key_id

    @property
    def digest(self) -> bytes:
        """SHA-256 of the whole card file: what rotations and charters refer to."""
        return _sha256(self.data)

    @cached_property
    def fingerprint(self) -> Fingerprint:
        return fingerprint(self.party, self.keys.ed25519, self.keys.mldsa65)

    @property
    def short_id(self) -> str:
        return short_key_id(self.key_id)

    def node(self, name: str) -> NodeCertificate:
        """The certificate of node ``name``; KeyError if the card has none."""
        for cert in self.nodes:
            if cert.node == name:
                return cert
        raise KeyError(name)

    def to_bytes(self) -> bytes:
        return self.data

    @classmethod
    def from_bytes(cls, data: bytes) -> IdentityCard:
        """Parse a card file, verifying both self-signatures, every certificate and every key."""
        what = "identity card"
        lines = split_lines(data, what=what, max_bytes=MAX_CARD_BYTES)
        raw = _parse_line(lines[0], CARD_TYPE, what)
        body = _CardBody.read(raw.body, what)
        sig = _signatures(Fields(raw.sig, _SIGNATURE_FIELDS, what=what, path="$.sig"))
        try:
            keys = PartyPublicKeys(
                ed25519=load_ed25519_public_key(
                    b64decode(body.ed25519, what=what, path="$.body.ed25519", size=32)
                ),
                mldsa65=load_mldsa65_public_key(
                    b64decode(body.mldsa65, what=what, path="$.body.mldsa65")
                ),
                hpke=HpkePublicKey(
                    load_mlkem768_public_key(
                        b64decode(body.mlkem768, what=what, path="$.body.mlkem768")
                    ),
                    load_x25519_public_key(b64decode(body.x25519, what=what, path="$.body.x25519")),
                ),
            )
        except InvalidPublicKeyError as exc:
            exc.args = (f"identity card of {body.party}: {exc}",)
            raise
        keys.verify(raw.body_bytes, sig, domain=CARD_TYPE, what=f"identity card of {body.party}")
        created = parse_utc(body.created, what=what, path="$.body.created")
        cert_lines = lines[1:]
        if len(cert_lines) != len(body.nodes):
            raise IdentityMismatchError(
                f"identity card of {body.party}",
                f"lists {len(body.nodes)} node certificates but carries {len(cert_lines)}",
            )
        nodes: list[NodeCertificate] = []
        for number, (line, listed) in enumerate(zip(cert_lines, body.nodes, strict=True), 1):
            if _sha256(line).hex() != listed:
                raise IdentityMismatchError(
                    f"identity card of {body.party}",
                    f"node certificate {number} is not the one the signed card lists",
                )
            nodes.append(NodeCertificate._from_line(line, keys))
        _check_nodes(body.party, keys, nodes)
        return cls(body.party, created, keys, tuple(nodes), data)


def _check_nodes(party: str, keys: PartyPublicKeys, nodes: Sequence[NodeCertificate]) -> None:
    what = f"identity card of {party}"
    names: set[str] = set()
    ids: set[bytes] = {keys.key_id}
    for cert in nodes:
        if cert.party != party:
            raise IdentityMismatchError(what, f"carries a node certificate of party {cert.party}")
        if cert.node in names:
            raise IdentityMismatchError(what, f"node {cert.node} is certified twice")
        if cert.key_id in ids:
            raise IdentityMismatchError(what, f"node {cert.node} reuses a key already on the card")
        names.add(cert.node)
        ids.add(cert.key_id)


def issue_card(
    party: PartySecretKeys, nodes: Sequence[NodeCertificate], created: datetime
) -> IdentityCard:
    """Make and self-sign the identity card of ``party`` with these node certificates."""
    public = party.public_keys()
    body = canonical_json(
        {
            "type": CARD_TYPE,
            "party": party.party,
            "created": format_utc(created),
            "ed25519": b64encode(public.ed25519.public_bytes_raw()),
            "mldsa65": b64encode(public.mldsa65.public_bytes_raw()),
            "mlkem768": b64encode(public.hpke.mlkem768.public_bytes_raw()),
            "x25519": b64encode(public.hpke.x25519.public_bytes_raw()),
            "nodes": [cert.digest.hex() for cert in nodes],
        }
    )
    sig = party.sign(body, domain=CARD_TYPE)
    line = join_statement(body, _signatures_json(sig))
    return IdentityCard.from_bytes(line + b"\n" + b"".join(cert.line + b"\n" for cert in nodes))


def accept_card_update(trusted: IdentityCard, candidate: IdentityCard) -> IdentityCard:
    """Accept a newer card with the same party keys (new or renewed node certificates)."""
    what = f"update of the identity card of {trusted.party}"
    if candidate.party != trusted.party:
        raise IdentityMismatchError(what, f"the new card is of party {candidate.party}")
    if not candidate.keys.same_keys(trusted.keys):
        raise IdentityMismatchError(
            what, "the party keys differ: a key change needs a rotation statement"
        )
    if candidate.created < trusted.created:
        raise IdentityMismatchError(what, "the new card is older than the trusted one")
    return candidate


# --- rotation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rotation:
    """A verified change of a party's keys from ``old_card`` to ``new_card``."""

    old_card: IdentityCard
    new_card: IdentityCard
    issued: datetime
    data: bytes = field(repr=False)

    def to_bytes(self) -> bytes:
        return self.data

    @classmethod
    def from_bytes(cls, data: bytes, old_card: IdentityCard) -> Rotation:
        """Verify a rotation file against the trusted ``old_card``, or raise.

        Checks, in order: the old keys' signatures over the statement, that it continues
        exactly ``old_card``, that the card that follows is the one it names (hash) and is
        valid, that the new keys sign the statement too (possession), and that both signing
        keys really change.
        """
        what = "rotation"
        party = old_card.party
        if len(data) > MAX_ROTATION_BYTES:
            raise MalformedStatementError(
                what, f"{len(data)} bytes, more than {MAX_ROTATION_BYTES}"
            )
        line, newline, card_bytes = data.partition(b"\n")
        if not newline:
            raise MalformedStatementError(what, "must be a rotation line followed by the new card")
        raw = _parse_line(line, ROTATION_TYPE, what)
        body = _RotationBody.read(raw.body, what)
        sigs = Fields(raw.sig, ("new", "old"), what=what, path="$.sig")
        if body.party != party:
            raise RotationRefusedError(party, f"the statement is for party {body.party}")
        if body.old_card != old_card.digest.hex() or body.old_key != old_card.key_id.hex():
            raise RotationRefusedError(
                party, "it continues another card than the trusted one (digest or key differs)"
            )
        old_card.keys.verify(
            raw.body_bytes,
            _signatures(sigs.fields("old", _SIGNATURE_FIELDS)),
            domain=ROTATION_TYPE,
            what=f"rotation of {party} (old keys)",
        )
        if _sha256(card_bytes).hex() != body.new_card:
            raise RotationRefusedError(
                party, "the card that follows is not the one the statement names"
            )
        new_card = IdentityCard.from_bytes(card_bytes)
        if new_card.party != party or new_card.key_id.hex() != body.new_key:
            raise RotationRefusedError(
                party, "the new card is not of this party or not of the new key"
            )
        new_card.keys.verify(
            raw.body_bytes,
            _signatures(sigs.fields("new", _SIGNATURE_FIELDS)),
            domain=ROTATION_TYPE,
            what=f"rotation of {party} (new keys)",
        )
        if (
            new_card.keys.ed25519 == old_card.keys.ed25519
            or new_card.keys.mldsa65 == old_card.keys.mldsa65
        ):
            raise RotationRefusedError(party, "both signing keys must change")
        issued = parse_utc(body.issued, what=what, path="$.body.issued")
        if not old_card.created <= new_card.created <= issued:
            raise RotationRefusedError(
                party, "times out of order: need old card created <= new card created <= issued"
            )
        return cls(old_card, new_card, issued, data)


def issue_rotation(
    old: PartySecretKeys,
    old_card: IdentityCard,
    new: PartySecretKeys,
    new_card: IdentityCard,
    issued: datetime,
) -> Rotation:
    """Sign a rotation from ``old_card`` to ``new_card`` with the old and the new keys."""
    if not old.public_keys().same_keys(old_card.keys):
        raise IdentityMismatchError("rotation", "the old secret keys are not those of the old card")
    if not new.public_keys().same_keys(new_card.keys):
        raise IdentityMismatchError("rotation", "the new secret keys are not those of the new card")
    body = canonical_json(
        {
            "type": ROTATION_TYPE,
            "party": old_card.party,
            "old_card": old_card.digest.hex(),
            "new_card": new_card.digest.hex(),
            "old_key": old_card.key_id.hex(),
            "new_key": new_card.key_id.hex(),
            "issued": format_utc(issued),
        }
    )
    sig = {
        "old": _signatures_json(old.sign(body, domain=ROTATION_TYPE)),
        "new": _signatures_json(new.sign(body, domain=ROTATION_TYPE)),
    }
    line = join_statement(body, sig)
    return Rotation.from_bytes(line + b"\n" + new_card.to_bytes(), old_card)


def verify_rotation(old_card: IdentityCard, data: bytes) -> IdentityCard:
    """Given the trusted card and a rotation file, the new card; raise if it does not follow."""
    return Rotation.from_bytes(data, old_card).new_card


# --- revocation -----------------------------------------------------------------------------


class RevocationSubject(StrEnum):
    NODE = "node"
    PARTY = "party"


class RevocationReason(StrEnum):
    COMPROMISED = "compromised"  # the private key leaked or may have
    SUPERSEDED = "superseded"  # replaced by a new key
    RETIRED = "retired"  # no longer used


@dataclass(frozen=True)
class Revocation:
    """A party's signed statement that a node key or a party key is invalid from ``effective``."""

    party: str
    subject: RevocationSubject
    key_id: bytes
    issuer: bytes
    issued: datetime
    effective: datetime
    reason: RevocationReason
    data: bytes = field(repr=False)

    def to_bytes(self) -> bytes:
        return self.data

    @classmethod
    def from_bytes(cls, data: bytes, cards: Iterable[IdentityCard]) -> Revocation:
        """Verify a revocation file, signed by the party key of one of the trusted ``cards``."""
        what = "revocation"
        raw = _parse_line(_single_line(data, what), REVOCATION_TYPE, what)
        body = _RevocationBody.read(raw.body, what)
        sig = _signatures(Fields(raw.sig, _SIGNATURE_FIELDS, what=what, path="$.sig"))
        signer = next(
            (c for c in cards if c.party == body.party and c.key_id.hex() == body.issuer), None
        )
        if signer is None:
            raise IdentityMismatchError(
                f"revocation by {body.party}",
                f"signed by party key {body.issuer[:16]}, which no trusted card of "
                f"{body.party} holds",
            )
        signer.keys.verify(
            raw.body_bytes, sig, domain=REVOCATION_TYPE, what=f"revocation by {body.party}"
        )
        return cls(
            party=body.party,
            subject=RevocationSubject(body.subject),
            key_id=bytes.fromhex(body.key),
            issuer=signer.key_id,
            issued=parse_utc(body.issued, what=what, path="$.body.issued"),
            effective=parse_utc(body.effective, what=what, path="$.body.effective"),
            reason=RevocationReason(body.reason),
            data=data,
        )


def issue_revocation(
    party: PartySecretKeys,
    card: IdentityCard,
    *,
    subject: RevocationSubject,
    revoked_key_id: bytes,
    reason: RevocationReason,
    issued: datetime,
    effective: datetime | None = None,
) -> Revocation:
    """Revoke a node key or a party key, signed by ``party`` (whose card is ``card``).

    ``effective`` defaults to ``issued``; set it earlier when a compromise is found late, so that
    signatures made since the suspected compromise stop being trusted too.
    """
    if not party.public_keys().same_keys(card.keys):
        raise IdentityMismatchError("revocation", "the secret keys are not those of the card")
    body = canonical_json(
        {
            "type": REVOCATION_TYPE,
            "party": card.party,
            "subject": subject.value,
            "key": revoked_key_id.hex(),
            "issuer": card.key_id.hex(),
            "issued": format_utc(issued),
            "effective": format_utc(issued if effective is None else effective),
            "reason": reason.value,
        }
    )
    sig = party.sign(body, domain=REVOCATION_TYPE)
    line = join_statement(body, _signatures_json(sig))
    return Revocation.from_bytes(line + b"\n", [card])


__all__ = [
    "CARD_TYPE",
    "CERTIFICATE_TYPE",
    "MAX_CARD_BYTES",
    "MAX_NODES",
    "MAX_STATEMENT_BYTES",
    "REVOCATION_TYPE",
    "ROTATION_TYPE",
    "IdentityCard",
    "NodeCertificate",
    "Revocation",
    "RevocationReason",
    "RevocationSubject",
    "Rotation",
    "accept_card_update",
    "issue_card",
    "issue_node_certificate",
    "issue_revocation",
    "issue_rotation",
    "verify_rotation",
]
