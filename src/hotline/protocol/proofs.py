"""Inclusion proofs: show one envelope (and the peer's acknowledgement of it) to a third party
without revealing the rest of the transcript.

A proof file is one canonical JSON object::

    {"format":"hotline-proof","version":1,"charter":BASE64,
     "envelope":{"env":BASE64,"checkpoint":BASE64,"path":[HEX,...],"cosigns":[BASE64,...]},
     "ack":{...same shape...}}                                   ("ack" only with --with-ack)

For each shown envelope: the envelope with its body, the sender's checkpoint envelope whose
Merkle tree (RFC 9162) includes it, the audit path from the envelope's id to that root, and the
other members' countersignatures (COSIGN envelopes) of the checkpoint. The charter carries the
members' cards, so the verifier needs nothing else: it checks every node signature, both party
signatures (Ed25519 and ML-DSA-65) on the checkpoint and on each cosign, the audit path, the
channel id, and that the acknowledgement references exactly this envelope.

What is revealed beyond the shown envelopes: their headers (which name the ids of neighbouring
envelopes), the checkpoint and cosign envelopes, and the hashes on the audit path; no other body.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import msgspec

from hotline.errors import HotlineError, LocalProtocolError, RemoteProtocolError
from hotline.protocol.charter import Charter, channel_id
from hotline.protocol.envelope import (
    DECODE_ERRORS,
    Envelope,
    Hex64,
    Kind,
    Ref,
    WireStruct,
    canonical_json,
    open_envelope,
)
from hotline.protocol.members import MemberDirectory
from hotline.protocol.merkle import inclusion_proof, verify_inclusion
from hotline.protocol.messages import (
    CheckpointBody,
    CosignBody,
    checkpoint_statement,
    cosign_statement,
    decode_body,
    statement_is_signed,
)
from hotline.protocol.transcript_format import format_duration_ms, format_ms
from hotline.protocol.transcript_verify import MembersOf, TranscriptVerifier

__all__ = [
    "PROOF_FORMAT",
    "CannotProveError",
    "CheckpointFacts",
    "CosignFacts",
    "EnvelopeFacts",
    "Proof",
    "ProofError",
    "ProofReport",
    "ProvenEnvelope",
    "build_proof",
    "describe_proof",
    "verify_proof",
]

PROOF_FORMAT = "hotline-proof"
PROOF_VERSION = 1
MAX_PROOF_BYTES = 8 * 1024 * 1024


class ProofError(RemoteProtocolError):
    """A proof does not prove what it claims; `part` says which part failed."""

    def __init__(self, part: str, problem: str) -> None:
        super().__init__(f"{part}: {problem}")
        self.part = part
        self.problem = problem


class CannotProveError(LocalProtocolError):
    """The transcript cannot back a proof of `party` seq `seq` (the message says why)."""

    def __init__(self, party: str, seq: int, problem: str) -> None:
        super().__init__(f"cannot prove {party} seq {seq}: {problem}")
        self.party = party
        self.seq = seq


class ProvenEnvelope(WireStruct, frozen=True):
    """One envelope, the checkpoint that includes it, the audit path, the countersignatures."""

    env: bytes
    checkpoint: bytes
    path: Annotated[list[Hex64], msgspec.Meta(max_length=64)]
    cosigns: Annotated[list[bytes], msgspec.Meta(max_length=16)] = msgspec.field(
        default_factory=list
    )


class Proof(WireStruct, frozen=True):
    format: str
    version: int
    charter: bytes
    envelope: ProvenEnvelope
    ack: ProvenEnvelope | None = None

    def to_bytes(self) -> bytes:
        return canonical_json(self) + b"\n"


# --- building --------------------------------------------------------------------------------


class _Collector:
    """Keeps, from one verification pass, what a proof of (party, seq) may need."""

    def __init__(self, party: str, seq: int) -> None:
        self.party, self.seq = party, seq
        self.target: Envelope | None = None
        self.acks: list[Envelope] = []
        self.checkpoints: dict[str, list[tuple[int, Envelope]]] = {}
        self.cosigns: dict[tuple[str, int], list[Envelope]] = {}

    def __call__(self, line: int, env: Envelope) -> None:
        header = env.header
        if header.sender == self.party and header.seq == self.seq:
            self.target = env
        if header.kind is Kind.CHECKPOINT:
            size = decode_body(CheckpointBody, env.body, "checkpoint").size
            self.checkpoints.setdefault(header.sender, []).append((size, env))
        elif header.kind is Kind.COSIGN:
            body = decode_body(CosignBody, env.body, "cosign")
            self.cosigns.setdefault((body.party, body.size), []).append(env)
        elif (
            header.kind is Kind.ACK
            and self.target is not None
            and header.sender != self.party
            and self.target.ref() in header.refs
        ):
            self.acks.append(env)

    def covering(self, env: Envelope) -> tuple[int, Envelope] | None:
        """The sender's checkpoint to prove `env` under: most countersigned, then earliest."""
        candidates = [c for c in self.checkpoints.get(env.sender, []) if c[0] >= env.seq]
        if not candidates:
            return None
        return min(candidates, key=lambda c: (-len(self.cosigns.get((env.sender, c[0]), [])), c[0]))


def build_proof(
    lines: Iterable[bytes],
    party: str,
    seq: int,
    members_of: MembersOf,
    *,
    with_ack: bool = False,
) -> Proof:
    """Prove `party`'s envelope `seq` (and, if asked, a peer's acknowledgement of it) from a
    transcript, which must verify. Raises CannotProveError saying why a proof is impossible."""
    collect = _Collector(party, seq)
    verifier = TranscriptVerifier(members_of, on_envelope=collect)
    charter = b""
    for number, line in enumerate(lines, 1):
        if number == 1:
            charter = _head_charter(line)
        if not verifier.feed(line):
            break
    report = verifier.finish()
    if not report.valid:
        raise CannotProveError(party, seq, f"the transcript does not verify: {report.problems[0]}")
    target = collect.target
    if target is None:
        raise CannotProveError(party, seq, "no such envelope in the transcript")
    if target.body is None:
        raise CannotProveError(
            party, seq, "its body is withheld in this transcript; use one that includes it"
        )
    shown = _proven(verifier, collect, target, party, seq)
    ack = None
    if with_ack:
        if not collect.acks:
            raise CannotProveError(party, seq, "no other member acknowledged it in this transcript")
        for candidate in collect.acks:
            if collect.covering(candidate) is not None:
                ack = _proven(verifier, collect, candidate, party, seq)
                break
        else:
            first = collect.acks[0]
            raise CannotProveError(
                party,
                seq,
                f"its acknowledgement ({first.sender} seq {first.seq}) is not yet covered by a"
                f" checkpoint of {first.sender}",
            )
    return Proof(
        format=PROOF_FORMAT, version=PROOF_VERSION, charter=charter, envelope=shown, ack=ack
    )


def _head_charter(line: bytes) -> bytes:
    try:
        return msgspec.json.decode(line, type=_CharterOnly).charter
    except DECODE_ERRORS:
        return b""  # the verifier names what is wrong with line 1


class _CharterOnly(msgspec.Struct):
    charter: bytes


def _proven(
    verifier: TranscriptVerifier, collect: _Collector, env: Envelope, party: str, seq: int
) -> ProvenEnvelope:
    covering = collect.covering(env)
    if covering is None:
        raise CannotProveError(
            party,
            seq,
            f"{env.sender} seq {env.seq} is not yet covered by a checkpoint of {env.sender}",
        )
    size, checkpoint = covering
    leaves = verifier.chain_ids(env.sender)[:size]
    path = [node.hex() for node in inclusion_proof(env.seq - 1, leaves)]
    cosigns = [c.raw for c in collect.cosigns.get((env.sender, size), [])]
    return ProvenEnvelope(env=env.raw, checkpoint=checkpoint.raw, path=path, cosigns=cosigns)


# --- verifying -------------------------------------------------------------------------------


class CosignFacts(msgspec.Struct, frozen=True, kw_only=True):
    party: str
    seq: int
    t_ms: int


class CheckpointFacts(msgspec.Struct, frozen=True, kw_only=True):
    party: str
    seq: int
    size: int
    t_ms: int
    root: str
    cosigned_by: list[CosignFacts]


class EnvelopeFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What one proven envelope says, all of it checked against signatures."""

    party: str
    seq: int
    kind: str
    t_ms: int
    id: str
    prec: str | None
    mark: str | None
    to: list[str] | None
    refs: list[Ref]
    body_len: int
    body_sha256: str
    body: bytes | None
    body_text: str | None
    checkpoint: CheckpointFacts


class ProofReport(msgspec.Struct, frozen=True, kw_only=True):
    channel: str
    channel_name: str
    members: dict[str, str]  # party -> fingerprint, to compare with the key ceremony's
    envelope: EnvelopeFacts
    ack: EnvelopeFacts | None
    ack_latency_ms: int | None


def verify_proof(data: bytes, members_of: MembersOf) -> ProofReport:
    """Check a proof file; return what it proves. Raises ProofError naming the failing part."""
    if len(data) > MAX_PROOF_BYTES:
        raise ProofError("proof", f"{len(data)} bytes exceeds the limit {MAX_PROOF_BYTES}")
    try:
        proof = msgspec.json.decode(data, type=Proof)
    except DECODE_ERRORS as exc:
        raise ProofError("proof", f"not a valid proof file: {exc}") from None
    except UnicodeDecodeError:
        raise ProofError("proof", "not a valid proof file: not valid UTF-8") from None
    if proof.format != PROOF_FORMAT or proof.version != PROOF_VERSION:
        raise ProofError(
            "proof",
            f"format {proof.format!r} version {proof.version}; expected {PROOF_FORMAT!r}"
            f" version {PROOF_VERSION}",
        )
    try:
        charter = Charter.from_bytes(proof.charter)
    except RemoteProtocolError as exc:
        raise ProofError("charter", str(exc)) from None
    channel = channel_id(proof.charter)
    try:
        members = dict(members_of(charter))
    except (HotlineError, ValueError) as exc:
        raise ProofError("charter", f"member cards: {exc}") from None
    if sorted(members) != charter.parties:
        raise ProofError("charter", "member cards do not match the charter's members")
    directory = MemberDirectory(members)
    shown = _verify_proven(proof.envelope, "envelope", channel, directory, body_required=True)
    ack = latency = None
    if proof.ack is not None:
        ack = _verify_proven(
            proof.ack, "ack", channel, directory, body_required=False, kind=Kind.ACK
        )
        target = Ref(party=shown.party, seq=shown.seq, id=shown.id)
        if ack.party == shown.party:
            raise ProofError("ack", "is by the sender itself, not by a peer")
        if target not in ack.refs:
            raise ProofError("ack", f"does not reference {shown.party} seq {shown.seq} by its id")
        latency = ack.t_ms - shown.t_ms
    return ProofReport(
        channel=channel,
        channel_name=charter.name,
        members={m.party: m.fingerprint for m in charter.members},
        envelope=shown,
        ack=ack,
        ack_latency_ms=latency,
    )


def _open(raw: bytes, part: str, channel: str, directory: MemberDirectory) -> Envelope:
    try:
        env = open_envelope(raw, directory)
    except RemoteProtocolError as exc:
        raise ProofError(part, str(exc)) from None
    if env.header.ch != channel:
        raise ProofError(part, "belongs to another channel than the proof's charter")
    return env


def _verify_proven(
    item: ProvenEnvelope,
    part: str,
    channel: str,
    directory: MemberDirectory,
    *,
    body_required: bool,
    kind: Kind | None = None,
) -> EnvelopeFacts:
    env = _open(item.env, part, channel, directory)
    header = env.header
    if kind is not None and header.kind is not kind:
        raise ProofError(part, f"is a {header.kind}, not an {kind}")
    if not header.chained:
        raise ProofError(part, f"a {header.kind} is not part of a chain and cannot be proven")
    if env.body is None and body_required:
        raise ProofError(part, "the body is missing: a proof shows what was said")
    keys = directory[header.sender]
    where = f"{part} checkpoint"
    checkpoint = _open(item.checkpoint, where, channel, directory)
    if checkpoint.sender != header.sender or checkpoint.header.kind is not Kind.CHECKPOINT:
        raise ProofError(where, f"is not a checkpoint of {header.sender}")
    try:
        head = decode_body(CheckpointBody, checkpoint.body, "checkpoint")
    except RemoteProtocolError as exc:
        raise ProofError(where, str(exc)) from None
    if checkpoint.seq != head.size + 1:
        raise ProofError(where, f"at seq {checkpoint.seq} cannot cover {head.size} envelopes")
    statement = checkpoint_statement(channel, header.sender, head.size, head.root)
    if not statement_is_signed(statement, head.sig, keys.ed25519, keys.mldsa65):
        raise ProofError(where, f"not signed by {header.sender}'s party keys")
    path = [bytes.fromhex(node) for node in item.path]
    if not verify_inclusion(env.id, header.seq - 1, head.size, path, bytes.fromhex(head.root)):
        raise ProofError(
            part,
            f"the audit path does not lead from {header.sender} seq {header.seq} to the"
            f" checkpoint's root over seq 1..{head.size}",
        )
    cosigned: list[CosignFacts] = []
    for number, raw in enumerate(item.cosigns, 1):
        what = f"{part} cosign {number}"
        cosign = _open(raw, what, channel, directory)
        if cosign.header.kind is not Kind.COSIGN or cosign.sender == header.sender:
            raise ProofError(what, f"is not a countersignature by a member other than {env.sender}")
        if any(c.party == cosign.sender for c in cosigned):
            raise ProofError(what, f"a second countersignature by {cosign.sender}")
        try:
            body = decode_body(CosignBody, cosign.body, "cosign")
        except RemoteProtocolError as exc:
            raise ProofError(what, str(exc)) from None
        if (body.party, body.size, body.root) != (header.sender, head.size, head.root):
            raise ProofError(what, "countersigns another checkpoint than the one shown")
        other = directory[cosign.sender]
        statement = cosign_statement(channel, body.party, body.size, body.root)
        if not statement_is_signed(statement, body.sig, other.ed25519, other.mldsa65):
            raise ProofError(what, f"not signed by {cosign.sender}'s party keys")
        cosigned.append(CosignFacts(party=cosign.sender, seq=cosign.seq, t_ms=cosign.header.t))
    return EnvelopeFacts(
        party=header.sender,
        seq=header.seq,
        kind=str(header.kind),
        t_ms=header.t,
        id=env.id_hex,
        prec=None if header.prec is None else str(header.prec),
        mark=None if header.mark is None else str(header.mark),
        to=header.to,
        refs=list(header.refs),
        body_len=header.blen,
        body_sha256=header.bsha,
        body=env.body,
        body_text=_text(env.body),
        checkpoint=CheckpointFacts(
            party=header.sender,
            seq=checkpoint.seq,
            size=head.size,
            t_ms=checkpoint.header.t,
            root=head.root,
            cosigned_by=cosigned,
        ),
    )


def _text(body: bytes | None) -> str | None:
    if body is None:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() else None


def describe_proof(report: ProofReport) -> list[str]:
    """What exactly is proven, in sentences for a person."""
    e = report.envelope
    members = ", ".join(f"{party} ({fp})" for party, fp in report.members.items())
    lines = [
        f"Channel {report.channel_name!r}, id {report.channel}",
        f"Members and card fingerprints (compare with the key ceremony): {members}",
        "",
        *_describe_envelope("Proven", e),
    ]
    if report.ack is not None:
        lines += ["", *_describe_envelope("Acknowledged", report.ack)]
        if report.ack_latency_ms is not None:
            lines.append(
                f"  {format_duration_ms(report.ack_latency_ms)} after it was sent (comparing the"
                " two senders' clocks)"
            )
    lines += [
        "",
        "Receipt or acknowledgement is not approval. Times are each sender's own clock.",
    ]
    return lines


def _describe_envelope(verb: str, e: EnvelopeFacts) -> list[str]:
    marking = " ".join(x for x in (e.prec, e.mark) if x)
    said = [
        f"{verb}: {e.party} sent {e.kind}{' ' + marking if marking else ''}, {e.party} seq {e.seq},"
        f" at {format_ms(e.t_ms)}",
    ]
    if e.to:
        said.append(f"  to {', '.join(e.to)}")
    for ref in e.refs:
        said.append(f"  about {ref.party} seq {ref.seq} (id {ref.id[:16]}...)")
    if e.body is None:
        said.append(f"  body withheld ({e.body_len} bytes, SHA-256 {e.body_sha256[:16]}...)")
    elif e.body_text is not None:
        said.append(f"  body ({e.body_len} bytes): {e.body_text}")
    else:
        said.append(f"  body: {e.body_len} bytes of binary, SHA-256 {e.body_sha256[:16]}...")
    cp = e.checkpoint
    said.append(
        f"  included in {cp.party}'s checkpoint over seq 1..{cp.size} ({cp.party} seq {cp.seq},"
        f" {format_ms(cp.t_ms)}), signed with Ed25519 and ML-DSA-65 by {cp.party}"
    )
    for cosign in cp.cosigned_by:
        said.append(
            f"  countersigned by {cosign.party} ({cosign.party} seq {cosign.seq},"
            f" {format_ms(cosign.t_ms)})"
        )
    if not cp.cosigned_by:
        said.append("  not countersigned by any other member")
    return said
