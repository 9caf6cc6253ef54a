"""Channels and transcripts for tests and benchmarks, made without the channel state machine.

`TranscriptBuilder` seals envelopes for a few parties directly (keys derived from a seed), keeps
each chain, Merkle frontier and what each member has seen of the others, and exports the result
with the real exporter. Every envelope can be built wrong on purpose (`seal(..., seq=, prev=,
seen=, refs=)`, `checkpoint(root=)`, `cosign(root=)`, `equivocate`), so tests can name each
problem the verifier must find. `drive` adds random but causally valid traffic; the benchmark
streams it to a file through `sink` without keeping it in memory.

Member cards: every charter here carries real identity cards (`hotline.protocol.identity`),
issued from the generator's deterministic keys and read back by `members_from_cards`, exactly
as a node's export is; the keys are derived from public seeds, for tests and benchmarks only.
"""

from __future__ import annotations

import functools
import hashlib
import random
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey
from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from hotline.protocol.charter import Charter, CharterMember, channel_id
from hotline.protocol.envelope import (
    LINK_KINDS,
    Envelope,
    Kind,
    Mark,
    Ref,
    canonical_json,
    make_header,
    seal,
)
from hotline.protocol.identity import IdentityCard, issue_card, issue_node_certificate
from hotline.protocol.keys import PartySecretKeys
from hotline.protocol.members import members_from_cards
from hotline.protocol.merkle import MerkleFrontier
from hotline.protocol.messages import (
    CharterAcceptBody,
    CheckpointBody,
    CosignBody,
    LinkTestBody,
    charter_accept_statement,
    checkpoint_statement,
    cosign_statement,
    decode_body,
    encode_body,
    sign_statement,
)
from hotline.protocol.transcript_export import export_lines
from hotline.protocol.transcript_format import EndLine, EnvelopeLine, encode_line, end_statement
from hotline.protocol.types import Marking, Precedence

__all__ = [
    "START_MS",
    "PartyKeys",
    "TranscriptBuilder",
    "drive",
    "envelope_line",
    "generate_transcript",
    "party_keys",
    "reseal",
    "withhold_fraction",
]

START_MS = 1_790_000_000_000  # 2026-09-21T...Z: a fixed start keeps generated files stable


@dataclass(frozen=True)
class PartyKeys:
    """A party's private keys: party keys (Ed25519 + ML-DSA-65) and one node key."""

    party: str
    ed25519: Ed25519PrivateKey
    mldsa65: MLDSA65PrivateKey
    mlkem768: MLKEM768PrivateKey
    x25519: X25519PrivateKey
    node: Ed25519PrivateKey

    @functools.cached_property
    def node_public(self) -> bytes:
        return self.node.public_key().public_bytes_raw()

    @functools.cached_property
    def node_key_id(self) -> bytes:
        return hashlib.sha256(self.node_public).digest()

    @functools.cached_property
    def identity(self) -> IdentityCard:
        """A real identity card for these keys, issued a day before the generator's start."""
        secret = PartySecretKeys(self.party, self.ed25519, self.mldsa65, self.mlkem768, self.x25519)
        start = datetime.fromtimestamp(START_MS / 1000 - 86400, UTC).replace(microsecond=0)
        cert = issue_node_certificate(
            secret, "node-1", self.node.public_key(), start, start + timedelta(days=3650)
        )
        return issue_card(secret, [cert], start)

    def card(self) -> bytes:
        return self.identity.to_bytes()


@functools.cache
def party_keys(party: str, seed: int = 0) -> PartyKeys:
    """Deterministic keys for `party` (cached: ML-DSA key generation is slow)."""

    def derive(purpose: str) -> bytes:
        return hashlib.sha256(f"hotline-test-keys:{seed}:{party}:{purpose}".encode()).digest()

    return PartyKeys(
        party=party,
        ed25519=Ed25519PrivateKey.from_private_bytes(derive("ed25519")),
        mldsa65=MLDSA65PrivateKey.from_seed_bytes(derive("mldsa65")),
        mlkem768=MLKEM768PrivateKey.from_seed_bytes(derive("mlkem-a") + derive("mlkem-b")),
        x25519=X25519PrivateKey.from_private_bytes(derive("x25519")),
        node=Ed25519PrivateKey.from_private_bytes(derive("node")),
    )


class TranscriptBuilder:
    """A channel's envelopes, sealed directly. Creation order is a valid causal order.

    Every envelope goes to `sink` (default: appended to `self.envelopes`). Unless `auto_sync`
    is off, a member has seen everything of the others when it seals (seen = their tips).
    """

    def __init__(
        self,
        parties: tuple[str, ...] = ("RU", "US"),
        *,
        proposer: str | None = None,
        seed: int = 0,
        start_ms: int = START_MS,
        name: str = "Black Sea air safety",
        checkpoint_every: int = 256,
        sink: Callable[[Envelope], None] | None = None,
    ) -> None:
        self.parties = sorted(parties)
        self.keys = {p: party_keys(p, seed) for p in self.parties}
        members = []
        for party in self.parties:
            identity = self.keys[party].identity
            members.append(
                CharterMember(
                    party=party, fingerprint=str(identity.fingerprint), card=identity.to_bytes()
                )
            )
        self.charter = Charter(
            name=name,
            proposer=proposer or self.parties[-1],
            created_ms=start_ms,
            members=members,
            checkpoint_every=checkpoint_every,
        )
        self.charter_bytes = self.charter.to_bytes()
        self.channel = channel_id(self.charter_bytes)
        self.now_ms = start_ms
        self.envelopes: list[Envelope] = []
        self.evidence: list[Envelope] = []
        self.count = 0
        self.auto_sync = True
        self._sink = sink or self.envelopes.append
        self._ids: dict[str, dict[int, bytes]] = {p: {} for p in self.parties}
        self._lengths = dict.fromkeys(self.parties, 0)  # highest seq sealed into each chain
        self._frontiers = {p: MerkleFrontier() for p in self.parties}
        self.known: dict[str, dict[str, int]] = {
            p: {q: 0 for q in self.parties if q != p} for p in self.parties
        }

    members_of = staticmethod(members_from_cards)

    # --- state -------------------------------------------------------------------------------

    def length(self, party: str) -> int:
        return self._lengths[party]

    def id_of(self, party: str, seq: int) -> str:
        return self._ids[party][seq].hex()

    def mark_of(self, party: str, seq: int) -> Mark:
        return Mark(seq=seq, id=self.id_of(party, seq))

    def root(self, party: str) -> str:
        return self._frontiers[party].root().hex()

    def sync(self, party: str, *others: str) -> None:
        """`party` has now stored everything the `others` (default: all) have sealed."""
        for other in others or self.known[party]:
            self.known[party][other] = self.length(other)

    def seen(self, party: str) -> dict[str, Mark]:
        return {q: self.mark_of(q, n) for q, n in self.known[party].items() if n}

    # --- sealing -----------------------------------------------------------------------------

    def seal(
        self,
        party: str,
        kind: Kind,
        body: bytes = b"",
        *,
        prec: Precedence | None = None,
        mark: Marking | None = None,
        refs: list[Ref] | None = None,
        to: list[str] | None = None,
        seen: dict[str, Mark] | None = None,
        seq: int | None = None,
        prev: str | None = None,
        tip: Mark | None = None,
        t_ms: int | None = None,
        channel: str | None = None,
        evidence: bool = False,
    ) -> Envelope:
        """Seal one envelope of `party`. Every field can be overridden to build a broken one;
        `evidence=True` keeps it out of the chain (a conflicting envelope for equivocation)."""
        if self.auto_sync:
            self.sync(party)
        chained = kind not in LINK_KINDS
        length = self.length(party)
        if seq is None:
            seq = length + 1 if chained else 0
        if prev is None and chained and seq > 1:
            prev = self.id_of(party, min(seq - 1, length))
        header = make_header(
            channel=channel or self.channel,
            sender=party,
            seq=seq,
            prev=prev,
            seen=self.seen(party) if seen is None else seen,
            now_ms=self.now_ms if t_ms is None else t_ms,
            kind=kind,
            body=body,
            prec=prec,
            mark=mark,
            to=to,
            refs=refs,
            tip=tip,
        )
        keys = self.keys[party]
        env = seal(header, body, keys.node, keys.node_key_id)
        if evidence:
            self.evidence.append(env)
            return env
        if chained:
            self._ids[party][seq] = env.id
            self._lengths[party] = max(self._lengths[party], seq)
            self._frontiers[party].append(env.id)
        self.count += 1
        self._sink(env)
        return env

    def open_channel(self) -> None:
        """The proposer proposes and accepts, then every other member accepts."""
        proposer = self.charter.proposer
        self.seal(proposer, Kind.CHARTER_PROPOSAL, self.charter_bytes)
        self.accept(proposer)
        for party in self.parties:
            if party != proposer:
                self.accept(party)

    def accept(self, party: str) -> Envelope:
        keys = self.keys[party]
        sig = sign_statement(charter_accept_statement(self.channel), keys.ed25519, keys.mldsa65)
        return self.seal(party, Kind.CHARTER_ACCEPT, encode_body(CharterAcceptBody(sig=sig)))

    def notify(
        self,
        party: str,
        text: str = "Flight of 2 aircraft, 44.9N 31.5E, 0600-0900Z, FL200-FL350",
        *,
        prec: Precedence = Precedence.ROUTINE,
        mark: Marking = Marking.REAL,
        to: list[str] | None = None,
    ) -> Envelope:
        body = canonical_json({"type": "free_text", "text": text})
        return self.seal(party, Kind.NOTIFICATION, body, prec=prec, mark=mark, to=to)

    def ack(self, party: str, of: Envelope) -> Envelope:
        header = of.header
        return self.seal(
            party,
            Kind.ACK,
            b'{"type":"ack"}',
            prec=header.prec or Precedence.ROUTINE,
            mark=header.mark or Marking.REAL,
            refs=[of.ref()],
        )

    def reply(self, party: str, of: Envelope, text: str = "Noted; no conflict.") -> Envelope:
        header = of.header
        return self.seal(
            party,
            Kind.REPLY,
            canonical_json({"type": "free_text", "text": text}),
            prec=header.prec or Precedence.ROUTINE,
            mark=header.mark or Marking.REAL,
            refs=[of.ref()],
        )

    def link_test(self, party: str, number: int = 1) -> Envelope:
        return self.seal(party, Kind.LINK_TEST, encode_body(LinkTestBody(number=number)))

    def checkpoint(
        self, party: str, *, size: int | None = None, root: str | None = None
    ) -> Envelope:
        """A checkpoint over `party`'s chain so far (or a wrong `size`/`root`, still signed)."""
        keys = self.keys[party]
        size = self.length(party) if size is None else size
        root = self.root(party) if root is None else root
        statement = checkpoint_statement(self.channel, party, size, root)
        sig = sign_statement(statement, keys.ed25519, keys.mldsa65)
        body = CheckpointBody(size=size, root=root, sig=sig)
        return self.seal(party, Kind.CHECKPOINT, encode_body(body))

    def cosign(self, party: str, checkpoint: Envelope, *, root: str | None = None) -> Envelope:
        """`party` countersigns `checkpoint` (or a different `root`, still signed)."""
        head = decode_body(CheckpointBody, checkpoint.body, "checkpoint")
        keys = self.keys[party]
        root = head.root if root is None else root
        statement = cosign_statement(self.channel, checkpoint.sender, head.size, root)
        sig = sign_statement(statement, keys.ed25519, keys.mldsa65)
        body = CosignBody(party=checkpoint.sender, size=head.size, root=root, sig=sig)
        return self.seal(party, Kind.COSIGN, encode_body(body))

    def receipt(self, party: str) -> Envelope:
        """A receipt: `party`'s seen marks say how far it has stored each other chain."""
        return self.seal(party, Kind.RECEIPT)

    def heartbeat(self, party: str) -> Envelope:
        length = self.length(party)
        tip = self.mark_of(party, length) if length else None
        return self.seal(party, Kind.HEARTBEAT, tip=tip)

    def equivocate(self, party: str, seq: int, text: str = "A different story.") -> Envelope:
        """A second, validly signed envelope for `party`'s `seq` (kept in `self.evidence`)."""
        body = canonical_json({"type": "free_text", "text": text})
        return self.seal(
            party,
            Kind.NOTIFICATION,
            body,
            prec=Precedence.FLASH,
            mark=Marking.REAL,
            seq=seq,
            evidence=True,
        )

    # --- export ------------------------------------------------------------------------------

    def export(
        self,
        *,
        by: str | None = None,
        at_ms: int | None = None,
        withhold: Callable[[Envelope], bool] | None = None,
    ) -> list[bytes]:
        """The transcript lines, as `by` (default: the proposer) would export them."""
        by = by or self.charter.proposer
        return list(
            export_lines(
                self.charter_bytes,
                self.envelopes,
                exported_by=by,
                exported_at_ms=self.now_ms + 1000 if at_ms is None else at_ms,
                node_key=self.keys[by].node,
                evidence=self.evidence,
                withhold=withhold,
            )
        )


def envelope_line(env: Envelope, *, frame: bytes | None = None, withheld: bool = False) -> bytes:
    """An envelope line as the exporter writes it (or with another `frame`), for crafting."""
    header = env.header
    return encode_line(
        EnvelopeLine(
            sender=header.sender,
            seq=header.seq,
            kind=header.kind,
            t=header.t,
            id=env.id_hex,
            withheld=withheld,
            env=env.raw if frame is None else frame,
        )
    )


def reseal(builder: TranscriptBuilder, lines: list[bytes], by: str | None = None) -> list[bytes]:
    """Drop any end line and sign a new one over `lines`: a tampered file whose only problems
    are the ones a test put in (the exporter's signature is then valid)."""
    kept = [line for line in lines if not line.startswith(b'{"end":')]
    digest = hashlib.sha256(b"".join(kept)).digest()
    key = builder.keys[by or builder.charter.proposer]
    end = EndLine(
        end="hotline-transcript",
        lines=len(kept),
        sha256=digest.hex(),
        key=key.node_key_id.hex(),
        sig=key.node.sign(end_statement(builder.channel, len(kept), digest)),
    )
    return [*kept, encode_line(end)]


def withhold_fraction(fraction: float) -> Callable[[Envelope], bool]:
    """Withhold about `fraction` of operator bodies, chosen by envelope id (deterministic)."""
    threshold = int(fraction * 65536)
    return lambda env: int.from_bytes(env.id[:2], "big") < threshold


_PRECEDENCES = [Precedence.ROUTINE] * 6 + [Precedence.PRIORITY] * 3 + [Precedence.IMMEDIATE]
_MARKINGS = [Marking.REAL] * 8 + [Marking.EXERCISE, Marking.TEST]
_WORDS = ["flight", "sortie", "corridor", "launch", "impact", "area", "exercise", "FL200", "0600Z"]


def drive(builder: TranscriptBuilder, envelopes: int, rng: random.Random) -> None:
    """Open the channel and add random, causally valid traffic until `envelopes` exist.

    Members learn of each other's envelopes with a lag, acknowledge notifications they know of,
    sometimes reply, send link tests and receipts, checkpoint every `checkpoint_every` chained
    envelopes, and countersign the checkpoints of others once they have them.
    """
    b = builder
    b.open_channel()
    b.auto_sync = False
    parties = b.parties
    to_ack: dict[str, deque[Envelope]] = {p: deque() for p in parties}
    to_cosign: dict[str, deque[Envelope]] = {p: deque() for p in parties}
    since_checkpoint = {p: b.length(p) for p in parties}
    tests = dict.fromkeys(parties, 0)
    every = b.charter.checkpoint_every
    while b.count < envelopes:
        b.now_ms += rng.randint(500, 90_000)
        party = rng.choice(parties)
        for other in parties:
            if other != party and rng.random() < 0.7:
                b.sync(party, other)
        known = b.known[party]
        pending_ack, pending_cosign = to_ack[party], to_cosign[party]
        roll = rng.random()
        if pending_cosign and known[pending_cosign[0].sender] >= pending_cosign[0].seq:
            b.cosign(party, pending_cosign.popleft())
        elif pending_ack and known[pending_ack[0].sender] >= pending_ack[0].seq and roll < 0.6:
            notification = pending_ack.popleft()
            b.ack(party, notification)
            if rng.random() < 0.1:
                b.reply(party, notification)
                since_checkpoint[party] += 1
        elif roll < 0.75:
            b.receipt(party)
            continue
        elif roll < 0.78:
            tests[party] += 1
            b.link_test(party, tests[party])
        else:
            text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 12)))
            env = b.notify(party, text, prec=rng.choice(_PRECEDENCES), mark=rng.choice(_MARKINGS))
            for other in parties:
                if other != party:
                    to_ack[other].append(env)
        since_checkpoint[party] += 1
        if since_checkpoint[party] >= every and b.count < envelopes:
            checkpoint = b.checkpoint(party)
            since_checkpoint[party] = 0
            for other in parties:
                if other != party:
                    to_cosign[other].append(checkpoint)


@dataclass(frozen=True)
class GeneratedTranscript:
    builder: TranscriptBuilder
    lines: list[bytes]

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.lines)


def generate_transcript(
    envelopes: int = 200,
    *,
    parties: tuple[str, ...] = ("RU", "US"),
    seed: int = 0,
    checkpoint_every: int = 16,
    withhold: float = 0.0,
    by: str | None = None,
) -> GeneratedTranscript:
    """A valid transcript of about `envelopes` envelopes with random traffic from `seed`."""
    builder = TranscriptBuilder(parties, seed=seed, checkpoint_every=checkpoint_every)
    drive(builder, envelopes, random.Random(seed))
    lines = builder.export(by=by, withhold=withhold_fraction(withhold) if withhold else None)
    return GeneratedTranscript(builder, lines)
