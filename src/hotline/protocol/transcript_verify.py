"""Verifying a transcript offline, in one pass: the auditor's own implementation of the rules.

This module does not use the live channel state machine; it checks, independently, what that
machine is meant to enforce (docs/protocol.md, "Transcript", lists every check):

- the head line: format, version, canonical charter, channel id = its hash, exporter a member,
  member cards (through `members_of`) matching the charter's members;
- every envelope: frame, signer (a node key from the cards), Ed25519 signature over the exact
  bytes, canonical header, body hash, channel, size; readable fields equal to the signed ones;
- each member's chain: seq 1..n without gaps, prev = id of seq - 1; the proposer opens with
  CHARTER_PROPOSAL (body = the charter) then CHARTER_ACCEPT, every other member with
  CHARTER_ACCEPT, each acceptance dual-signed over the channel id by the member's party keys;
- cross-links: `seen` and `tip` marks and `refs` name envelopes earlier in the file, by id;
- checkpoints: at seq s, size s - 1 and the root recomputed from the transcript, dual-signed;
  cosigns: match an earlier checkpoint of that member, dual-signed by the cosigner;
- two different envelopes with one (sender, seq): equivocation, reported as such;
- relay witnesses: each relay's card (verified), each witness signed by its node key over the
  exact routing bytes, for an envelope of the channel earlier in the file;
- the end line: count, SHA-256 over every line before it, signed by an exporter's node key.

Verification stops at the first problem (later lines could only repeat it), except that every
equivocation is collected and verification goes on: each one is evidence. Nothing raises: any
input, however broken, gives a `Report`.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import NoReturn, TypeVar

import msgspec

from hotline.errors import HotlineError, RemoteProtocolError
from hotline.protocol.charter import Charter, channel_id
from hotline.protocol.envelope import (
    OPERATOR_KINDS,
    Envelope,
    Header,
    Kind,
    Mark,
    Ref,
    body_digest,
)
from hotline.protocol.members import MemberDirectory, MemberKeys, card_keys
from hotline.protocol.merkle import MerkleFrontier
from hotline.protocol.messages import (
    CharterAcceptBody,
    CheckpointBody,
    CosignBody,
    LinkTestBody,
    ResendRequest,
    charter_accept_statement,
    checkpoint_statement,
    cosign_statement,
    decode_body,
    statement_is_signed,
)
from hotline.protocol.sealed import parse_routing, witness_statement
from hotline.protocol.signing import ed25519_valid
from hotline.protocol.transcript_format import (
    FORMAT,
    MAX_LINE_BYTES,
    VERSION,
    EndLine,
    EnvelopeLine,
    HeadLine,
    RelayCardLine,
    WitnessLine,
    end_statement,
    parse_iso_ms,
)
from hotline.protocol.transcript_open import (
    ENVELOPE_PREFIX,
    SIGNATURE_VERIFIED,
    LineFailure,
    LineOpener,
    Prechecked,
    decode_line,
)
from hotline.protocol.transcript_report import (
    AckSummary,
    Check,
    Coverage,
    Equivocation,
    MemberSummary,
    Problem,
    Report,
    Summary,
    WitnessSummary,
)
from hotline.protocol.types import Marking, Precedence

__all__ = ["MembersOf", "TranscriptVerifier", "verify_transcript"]

MembersOf = Callable[[Charter], Mapping[str, MemberKeys]]
"""Reads the member cards in a charter: party -> keys. Raises a HotlineError for a bad card."""

RelayCardOf = Callable[[bytes], tuple[str, str, MemberKeys]]
"""Reads a relay's card: (party, fingerprint, keys). Raises a HotlineError for a bad card."""

_ZERO_ID = "0" * 64
_KINDS = list(Kind)
_KIND_CODE = {kind: i for i, kind in enumerate(_KINDS)}
_PRECS = list(Precedence)
_PREC_CODE = {prec: i + 1 for i, prec in enumerate(_PRECS)}  # 0: no precedence
_NOTIFICATION = _KIND_CODE[Kind.NOTIFICATION]
_CHARTER_KINDS = frozenset({Kind.CHARTER_PROPOSAL, Kind.CHARTER_ACCEPT})
_END_PREFIX = b'{"end":'
_HEAD_PREFIX = b'{"format":'
_RELAY_PREFIX = b'{"relay":'
_WITNESS_PREFIX = b'{"witness":'
_RELAY_DECODER = msgspec.json.Decoder(RelayCardLine)
_WITNESS_DECODER = msgspec.json.Decoder(WitnessLine)
_HEAD_DECODER = msgspec.json.Decoder(HeadLine)
_END_DECODER = msgspec.json.Decoder(EndLine)
L = TypeVar("L", HeadLine, EnvelopeLine, RelayCardLine, WitnessLine, EndLine)


class _StopError(Exception):
    """Internal: a problem was recorded and verification stops."""


class _Chain:
    """What the verifier keeps per member: compact arrays indexed by seq - 1."""

    __slots__ = (
        "accepted",
        "acked",
        "by_kind",
        "checkpoint_lines",
        "checkpoints",
        "cosigns",
        "frontier",
        "ids",
        "keys",
        "kinds",
        "last_id",
        "line_of",
        "link_ids",
        "party",
        "precs",
        "receipted",
        "times",
        "withheld",
    )

    def __init__(self, keys: MemberKeys) -> None:
        self.party = keys.party
        self.keys = keys
        self.ids = bytearray()  # 32 bytes per envelope
        self.last_id: str | None = None  # hex id of the newest chained envelope
        self.times = array("q")
        self.line_of = array("q")
        self.kinds = bytearray()
        self.precs = bytearray()
        self.acked: set[int] = set()  # seqs of notifications another member acknowledged
        self.frontier = MerkleFrontier()
        self.checkpoints: dict[int, bytes] = {}  # size -> verified root
        self.checkpoint_lines: dict[int, int] = {}
        self.by_kind: Counter[str] = Counter()
        self.cosigns = 0
        self.withheld = 0
        self.accepted = False
        self.receipted: dict[str, int] = {}  # sender -> highest seq our receipts cover
        self.link_ids: dict[bytes, int] = {}

    @property
    def length(self) -> int:
        return len(self.times)

    def id_at(self, seq: int) -> bytes:
        return bytes(self.ids[32 * (seq - 1) : 32 * seq])


class TranscriptVerifier:
    """Feed lines in order (`feed`), then `finish` for the report.

    `on_envelope(line, envelope)` is called for each envelope once it has passed every check
    (the proof builder uses it to keep what it needs from a single pass).
    """

    def __init__(
        self,
        members_of: MembersOf,
        *,
        on_envelope: Callable[[int, Envelope], None] | None = None,
        relay_card_of: RelayCardOf = card_keys,
    ) -> None:
        self._members_of = members_of
        self._relay_card_of = relay_card_of
        self._relays: dict[str, tuple[str, MemberKeys]] = {}  # relay -> (fingerprint, keys)
        self._witnessed: dict[str, list[int]] = {}  # relay -> [deposits, deliveries]
        self._on_envelope = on_envelope
        self._line = 0
        self._stopped = False
        self._ended = False
        self._digest = hashlib.sha256()
        self._problems: list[Problem] = []
        self._equivocations: list[Equivocation] = []
        self._other_branches: dict[tuple[str, int], set[str]] = {}
        self._summary = Summary()
        self._channel = ""
        self._charter: Charter | None = None
        self._charter_sha = ""
        self._charter_len = 0
        self._exporter = ""
        self._directory = MemberDirectory({})
        self._opener: LineOpener | None = None
        self._chains: dict[str, _Chain] = {}
        self._notifications: Counter[tuple[Precedence | None, Marking | None]] = Counter()
        self._latencies: list[int] = []
        self._late = 0
        self._windows_ms: list[int] = []
        self._first_t: int | None = None
        self._last_t: int | None = None

    # --- driving -----------------------------------------------------------------------------

    @property
    def stopped(self) -> bool:
        """True once a problem ended verification (further lines are ignored)."""
        return self._stopped

    @property
    def opener(self) -> LineOpener | None:
        """What another process needs to open envelope lines; None until the head is read."""
        return self._opener

    def feed(self, line: bytes, prechecked: Prechecked = None) -> bool:
        """Check one line (bytes, ending in a newline). Returns False once verification stops.

        `prechecked`: what `opener.precheck(line)` returned, if another process ran it.
        """
        if self._stopped:
            return False
        self._line += 1
        try:
            self._feed(line, prechecked)
        except _StopError:
            self._stopped = True
        return not self._stopped

    def _feed(self, line: bytes, prechecked: Prechecked) -> None:
        if self._ended:
            self._fail(Check.END, "a line after the end line (the end line must be last)")
        if len(line) > MAX_LINE_BYTES:
            self._fail(Check.LINE, f"line of {len(line)} bytes exceeds the limit {MAX_LINE_BYTES}")
        if not line.endswith(b"\n"):
            self._fail(Check.LINE, "line does not end with a newline (is the file cut short?)")
        if self._line == 1:
            self._head(line)
        elif line.startswith(ENVELOPE_PREFIX):
            if self._relays or self._witnessed:
                self._fail(Check.LINE, "an envelope line after the relay witnesses")
            self._envelope(line, prechecked)
        elif line.startswith(_RELAY_PREFIX):
            self._relay_card(line)
        elif line.startswith(_WITNESS_PREFIX):
            self._witness(line)
        elif line.startswith(_END_PREFIX):
            self._end(line)
            return
        elif line.startswith(_HEAD_PREFIX):
            self._fail(Check.LINE, "a second head line (only line 1 is a head line)")
        else:
            self._fail(
                Check.LINE,
                'not a transcript line: expected an envelope ({"from":...) or the end line'
                ' ({"end":...)',
            )
        self._digest.update(line)

    def finish(self) -> Report:
        """The verdict on everything fed so far (call it as often as you like)."""
        problems = list(self._problems)
        if not self._stopped and not self._ended:
            if self._line == 0:
                problems.append(Problem(line=1, check=Check.LINE, detail="empty transcript"))
            else:
                problems.append(
                    Problem(
                        line=self._line + 1,
                        check=Check.END,
                        detail="the transcript ends without its signed end line (cut short?)",
                    )
                )
        self._summary.lines = self._line
        self._summary.members = [self._member_summary(c) for c in self._chains.values()]
        self._summary.envelopes = sum(sum(c.by_kind.values()) for c in self._chains.values())
        self._summary.notifications = self._notification_table()
        self._summary.acks = self._ack_summary()
        self._summary.receipts = [
            Coverage(
                receiver=receiver.party,
                sender=sender,
                receipted_seq=seq,
                chain_length=self._chains[sender].length,
            )
            for receiver in self._chains.values()
            for sender, seq in sorted(receiver.receipted.items())
        ]
        self._summary.withheld_bodies = sum(c.withheld for c in self._chains.values())
        self._summary.witnesses = [
            WitnessSummary(
                relay=relay,
                fingerprint=self._relays[relay][0] if relay in self._relays else "",
                deposits=counts[0],
                deliveries=counts[1],
            )
            for relay, counts in sorted(self._witnessed.items())
        ]
        self._summary.first_t_ms = self._first_t
        self._summary.last_t_ms = self._last_t
        return Report(
            valid=not problems,
            problems=problems,
            equivocations=list(self._equivocations),
            summary=self._summary,
        )

    def chain_ids(self, party: str) -> list[bytes]:
        """Ids of `party`'s chained envelopes verified so far, seq 1 first (proof building)."""
        chain = self._chains[party]
        return [bytes(chain.ids[i : i + 32]) for i in range(0, len(chain.ids), 32)]

    # --- problems ----------------------------------------------------------------------------

    def _fail(
        self, check: Check, detail: str, header: Header | EnvelopeLine | None = None
    ) -> NoReturn:
        self._problems.append(self._problem(check, detail, header))
        raise _StopError

    def _problem(self, check: Check, detail: str, header: Header | EnvelopeLine | None) -> Problem:
        if header is None:
            return Problem(line=self._line, check=check, detail=detail)
        return Problem(
            line=self._line,
            check=check,
            detail=detail,
            party=header.sender,
            seq=header.seq,
            kind=str(header.kind),
        )

    def _decode(self, decoder: msgspec.json.Decoder[L], line: bytes, what: str) -> L:
        obj = decode_line(decoder, line, what)
        if isinstance(obj, LineFailure):
            self._fail(obj.check, obj.detail)
        return obj

    # --- head --------------------------------------------------------------------------------

    def _head(self, line: bytes) -> None:
        if not line.startswith(_HEAD_PREFIX):
            self._fail(
                Check.LINE, 'line 1 must be the head line, {"format":"hotline-transcript",...}'
            )
        head = self._decode(_HEAD_DECODER, line, "head")
        if head.format != FORMAT:
            self._fail(Check.HEAD, f"format is {head.format!r}, expected {FORMAT!r}")
        if head.version != VERSION:
            self._fail(
                Check.HEAD,
                f"transcript format version {head.version}; this verifier reads version {VERSION}",
            )
        try:
            charter = Charter.from_bytes(head.charter)
        except RemoteProtocolError as exc:
            self._fail(Check.HEAD, f"charter: {exc}")
        if channel_id(head.charter) != head.channel:
            self._fail(
                Check.HEAD,
                f"channel id {head.channel[:16]}... is not the hash of the charter"
                f" ({channel_id(head.charter)[:16]}...)",
            )
        if head.exported_by not in charter.parties:
            self._fail(Check.HEAD, f"exported_by {head.exported_by} is not a member")
        if parse_iso_ms(head.exported_at) is None:
            self._fail(
                Check.HEAD,
                f"exported_at {head.exported_at!r} is not a UTC time like 2026-11-25T06:00:00.000Z",
            )
        try:
            members = dict(self._members_of(charter))
        except (HotlineError, ValueError) as exc:
            self._fail(Check.HEAD, f"member cards in the charter: {exc}")
        if sorted(members) != charter.parties or any(
            keys.party != party for party, keys in members.items()
        ):
            self._fail(
                Check.HEAD,
                f"member cards are for {sorted(members)}, the charter lists {charter.parties}",
            )
        self._charter = charter
        self._channel = head.channel
        self._charter_sha = body_digest(head.charter)
        self._charter_len = len(head.charter)
        self._exporter = head.exported_by
        self._directory = MemberDirectory(members)
        self._opener = LineOpener(members, charter.max_body_bytes)
        self._chains = {party: _Chain(members[party]) for party in charter.parties}
        self._windows_ms = [0] + [charter.ack_window_s[p] * 1000 for p in _PRECS]
        self._summary.channel = head.channel
        self._summary.channel_name = charter.name
        self._summary.exported_by = head.exported_by
        self._summary.exported_at = head.exported_at

    # --- envelopes ---------------------------------------------------------------------------

    def _envelope(self, line: bytes, prechecked: Prechecked) -> None:
        charter, opener = self._charter, self._opener
        assert charter is not None  # line 1 was a valid head, or we stopped there
        assert opener is not None
        if isinstance(prechecked, LineFailure):
            self._fail(prechecked.check, prechecked.detail, prechecked.label)
        opened = opener(line, signature_verified=prechecked is SIGNATURE_VERIFIED)
        if isinstance(opened, LineFailure):
            self._fail(opened.check, opened.detail, opened.label)
        label, env = opened
        header = env.header
        withheld = env.body is None
        if (
            label.seq != header.seq
            or label.t != header.t
            or label.sender != header.sender
            or label.kind is not header.kind
            or label.withheld is not withheld
            or label.id != env.id_hex
        ):
            self._label_lies(label, env)
        if header.ch != self._channel:
            self._fail(
                Check.ENVELOPE,
                f"envelope of channel {header.ch[:16]}..., not of this transcript's channel"
                f" {self._channel[:16]}...",
                header,
            )
        if header.blen > charter.max_body_bytes:
            self._fail(
                Check.ENVELOPE,
                f"body of {header.blen} bytes exceeds the charter's limit {charter.max_body_bytes}",
                header,
            )
        chain = self._chains[header.sender]
        if withheld:
            if header.kind not in OPERATOR_KINDS:
                self._fail(
                    Check.WITHHELD,
                    f"the body of a {header.kind} is withheld; only notification, ack and reply"
                    " bodies may be",
                    header,
                )
            chain.withheld += 1
        if header.to is not None:
            for party in header.to:
                if party not in self._chains:
                    self._fail(Check.MEMBER, f"to names {party}, not a member", header)
        in_chain = self._chained(env, label.id, chain) if header.chained else self._link(env, chain)
        t = header.t
        if self._first_t is None or t < self._first_t:
            self._first_t = t
        if self._last_t is None or t > self._last_t:
            self._last_t = t
        if in_chain and self._on_envelope is not None:
            self._on_envelope(self._line, env)

    def _label_lies(self, label: EnvelopeLine, env: Envelope) -> NoReturn:
        header = env.header
        for name, said, signed in (
            ("from", label.sender, header.sender),
            ("seq", label.seq, header.seq),
            ("kind", label.kind, header.kind),
            ("t", label.t, header.t),
            ("id", label.id, env.id_hex),
            ("withheld", label.withheld, env.body is None),
        ):
            if said != signed:
                self._fail(
                    Check.LABEL,
                    f"the line says {name} {said}, the signed header says {signed}",
                    header,
                )
        raise AssertionError("called only when a readable field differs")  # pragma: no cover

    def _chained(self, env: Envelope, id_hex: str, chain: _Chain) -> bool:
        """Check and append one chained envelope; False if it is equivocation evidence."""
        header = env.header
        seq = header.seq
        have = chain.length
        if seq <= have:
            self._repeat(env, chain)
            return False
        if seq != have + 1:
            missing = f"{have + 1}" if seq == have + 2 else f"{have + 1}..{seq - 1}"
            self._fail(
                Check.CHAIN,
                f"follows {chain.party} seq {have}: seq {missing} missing"
                if have
                else f"{chain.party}'s chain starts at seq {seq}, not 1",
                header,
            )
        if seq > 1 and header.prev != chain.last_id:
            self._fail(
                Check.CHAIN, f"prev does not match id of {chain.party} seq {seq - 1}", header
            )
        kind = header.kind
        if seq <= 2 or kind in _CHARTER_KINDS:
            self._opening(env, chain)
        self._references(header)
        if kind is Kind.NOTIFICATION:
            self._notifications[(header.prec, header.mark)] += 1
        elif kind is Kind.ACK:
            self._ack(header)
        elif kind is Kind.CHECKPOINT:
            self._checkpoint(env, chain)
        elif kind is Kind.COSIGN:
            self._cosign(env, chain)
        elif kind is Kind.LINK_TEST:
            self._protocol_body(LinkTestBody, env)
        chain.ids += env.id
        chain.last_id = id_hex
        chain.times.append(header.t)
        chain.line_of.append(self._line)
        chain.kinds.append(_KIND_CODE[kind])
        chain.precs.append(_PREC_CODE[header.prec] if header.prec is not None else 0)
        chain.frontier.append(env.id)
        chain.by_kind[kind] += 1
        return True

    def _repeat(self, env: Envelope, chain: _Chain) -> None:
        """A second envelope for a (sender, seq) we already hold: a duplicate or equivocation."""
        header = env.header
        first_line = chain.line_of[header.seq - 1]
        first_id = chain.id_at(header.seq).hex()
        if first_id == env.id_hex:
            self._fail(Check.DUPLICATE, f"repeats line {first_line}", header)
        self._equivocations.append(
            Equivocation(
                party=chain.party,
                seq=header.seq,
                first_line=first_line,
                first_id=first_id,
                second_line=self._line,
                second_id=env.id_hex,
            )
        )
        self._other_branches.setdefault((chain.party, header.seq), set()).add(env.id_hex)
        self._problems.append(
            self._problem(
                Check.EQUIVOCATION,
                f"equivocation: {chain.party} signed two different envelopes with seq"
                f" {header.seq} (line {first_line}: id {first_id[:16]}...; this line: id"
                f" {env.id_hex[:16]}...)",
                header,
            )
        )

    def _opening(self, env: Envelope, chain: _Chain) -> None:
        """The charter proposal and acceptances open the chains, and appear nowhere else."""
        header = env.header
        charter = self._charter
        assert charter is not None
        proposer = charter.proposer == chain.party
        if proposer and header.seq == 1:
            expected: Kind | None = Kind.CHARTER_PROPOSAL
        elif header.seq == 1 or (proposer and header.seq == 2):
            expected = Kind.CHARTER_ACCEPT
        else:
            expected = None
        if expected is None:
            if header.kind in (Kind.CHARTER_PROPOSAL, Kind.CHARTER_ACCEPT):
                self._fail(
                    Check.CHARTER,
                    f"a {header.kind} only opens a chain (proposer: seq 1 proposal, seq 2"
                    " acceptance; other members: seq 1 acceptance)",
                    header,
                )
            return
        if header.kind is not expected:
            self._fail(
                Check.CHARTER,
                f"{chain.party}'s seq {header.seq} must be a {expected}, found {header.kind}",
                header,
            )
        if expected is Kind.CHARTER_PROPOSAL:
            if header.bsha != self._charter_sha or header.blen != self._charter_len:
                self._fail(Check.CHARTER, "the proposal's body is not this charter", header)
            return
        accept = self._protocol_body(CharterAcceptBody, env)
        if not statement_is_signed(
            charter_accept_statement(self._channel),
            accept.sig,
            chain.keys.ed25519,
            chain.keys.mldsa65,
        ):
            self._fail(
                Check.CHARTER,
                f"the acceptance is not signed by {chain.party}'s party keys (Ed25519 and"
                " ML-DSA-65 over the channel id)",
                header,
            )
        chain.accepted = True

    def _references(self, header: Header) -> None:
        chains = self._chains
        for party, mark in header.seen.items():
            other = chains.get(party)
            seq = mark.seq
            # fast path: the mark names an envelope we hold, with its id
            if (
                other is None
                or not 0 < seq <= len(other.times)
                or (other.ids[32 * seq - 32 : 32 * seq] != bytes.fromhex(mark.id))
            ):
                self._mark(header, party, mark, "seen mark", Check.CROSS_LINK)
        for ref in header.refs:
            self._mark(header, ref.party, ref, "refs", Check.REF)
        if header.tip is not None:
            self._mark(header, header.sender, header.tip, "tip", Check.CROSS_LINK)

    def _mark(self, header: Header, party: str, mark: Mark | Ref, what: str, check: Check) -> None:
        other = self._chains.get(party)
        if other is None:
            self._fail(Check.MEMBER, f"{what} names {party}, not a member", header)
        seq = mark.seq
        if seq == 0:  # "nothing of theirs yet": only the all-zero id
            if mark.id != _ZERO_ID:
                self._fail(check, f"{what} {party} seq 0 must have the all-zero id", header)
            return
        if seq > other.length:
            self._fail(
                check,
                f"{what} {party} seq {seq} is not earlier in the transcript (it has {party} up"
                f" to seq {other.length})",
                header,
            )
        actual = other.id_at(seq).hex()
        if actual != mark.id:
            branch = mark.id in self._other_branches.get((party, seq), ())
            self._fail(
                check,
                f"{what} {party} seq {seq} has id {mark.id[:16]}..., but {party} seq {seq} is"
                f" {actual[:16]}..."
                + (f" (it follows the other branch of {party}'s equivocation)" if branch else ""),
                header,
            )

    def _ack(self, header: Header) -> None:
        for ref in header.refs:
            if ref.party == header.sender:
                continue
            target = self._chains[ref.party]
            i = ref.seq - 1
            if target.kinds[i] != _NOTIFICATION:
                continue
            latency = header.t - target.times[i]
            self._latencies.append(latency)
            target.acked.add(ref.seq)
            if latency > self._windows_ms[target.precs[i]]:
                self._late += 1

    def _checkpoint(self, env: Envelope, chain: _Chain) -> None:
        header = env.header
        body = self._protocol_body(CheckpointBody, env)
        if body.size != header.seq - 1:
            self._fail(
                Check.CHECKPOINT,
                f"covers {body.size} envelopes; a checkpoint at seq {header.seq} must cover"
                f" seq 1..{header.seq - 1}",
                header,
            )
        root = chain.frontier.root()
        if body.root != root.hex():
            self._fail(
                Check.CHECKPOINT,
                f"root {body.root[:16]}... is not the tree head of {chain.party} seq"
                f" 1..{body.size} recomputed from the transcript ({root.hex()[:16]}...)",
                header,
            )
        statement = checkpoint_statement(self._channel, chain.party, body.size, body.root)
        if not statement_is_signed(statement, body.sig, chain.keys.ed25519, chain.keys.mldsa65):
            self._fail(
                Check.CHECKPOINT,
                f"not signed by {chain.party}'s party keys (Ed25519 and ML-DSA-65)",
                header,
            )
        chain.checkpoints[body.size] = root
        chain.checkpoint_lines[body.size] = self._line

    def _cosign(self, env: Envelope, chain: _Chain) -> None:
        header = env.header
        body = self._protocol_body(CosignBody, env)
        if body.party == chain.party:
            self._fail(Check.COSIGN, "a member cannot countersign its own checkpoint", header)
        owner = self._chains.get(body.party)
        if owner is None:
            self._fail(Check.MEMBER, f"countersigns {body.party}, not a member", header)
        root = owner.checkpoints.get(body.size)
        if root is None:
            self._fail(
                Check.COSIGN,
                f"countersigns {body.party}'s checkpoint of {body.size} envelopes, which is not"
                " earlier in the transcript",
                header,
            )
        if root.hex() != body.root:
            self._fail(
                Check.COSIGN,
                f"root {body.root[:16]}... differs from {body.party}'s checkpoint of"
                f" {body.size} envelopes (line {owner.checkpoint_lines[body.size]})",
                header,
            )
        statement = cosign_statement(self._channel, body.party, body.size, body.root)
        if not statement_is_signed(statement, body.sig, chain.keys.ed25519, chain.keys.mldsa65):
            self._fail(
                Check.COSIGN,
                f"not signed by {chain.party}'s party keys (Ed25519 and ML-DSA-65)",
                header,
            )
        chain.cosigns += 1

    def _protocol_body(self, model: type[B], env: Envelope) -> B:
        try:
            return decode_body(model, env.body, str(env.header.kind))
        except RemoteProtocolError as exc:
            self._fail(Check.BODY, str(exc), env.header)

    def _link(self, env: Envelope, chain: _Chain) -> bool:
        header = env.header
        first_line = chain.link_ids.get(env.id)
        if first_line is not None:
            self._fail(Check.DUPLICATE, f"repeats line {first_line}", header)
        chain.link_ids[env.id] = self._line
        self._references(header)
        if header.kind is Kind.RECEIPT:
            for party, mark in header.seen.items():
                if mark.seq > chain.receipted.get(party, 0):
                    chain.receipted[party] = mark.seq
        elif header.kind is Kind.RESEND:
            self._protocol_body(ResendRequest, env)
        chain.by_kind[header.kind] += 1
        return True

    # --- relay witnesses ---------------------------------------------------------------------

    def _relay_card(self, line: bytes) -> None:
        card_line = self._decode(_RELAY_DECODER, line, "relay card")
        relay = card_line.relay
        if relay in self._relays:
            self._fail(Check.WITNESS, f"a second card for relay {relay}")
        try:
            party, fingerprint, keys = self._relay_card_of(card_line.card)
        except (HotlineError, ValueError) as exc:
            self._fail(Check.WITNESS, f"card of relay {relay}: {exc}")
        if party != relay:
            self._fail(Check.WITNESS, f"the card given for relay {relay} is {party}'s")
        self._relays[relay] = (fingerprint, keys)
        self._witnessed.setdefault(relay, [0, 0])

    def _witness(self, line: bytes) -> None:
        w = self._decode(_WITNESS_DECODER, line, "witness")
        known = self._relays.get(w.witness)
        if known is None:
            self._fail(
                Check.WITNESS,
                f"a witness of relay {w.witness}, whose card is not in the transcript: its"
                " signature cannot be checked (export from a node that knows the relay's card)",
            )
        try:
            routing = parse_routing(w.routing)
        except RemoteProtocolError as exc:
            self._fail(Check.WITNESS, f"witness of relay {w.witness}: {exc}")
        if routing.ch != self._channel:
            self._fail(Check.WITNESS, f"witness of relay {w.witness} for another channel")
        if routing.sender != w.sender or routing.id != w.id:
            self._fail(
                Check.WITNESS,
                f"the line says {w.sender} {w.id[:16]}..., the signed routing says"
                f" {routing.sender} {routing.id[:16]}...",
            )
        if routing.to not in self._chains or routing.to == routing.sender:
            self._fail(Check.WITNESS, f"witness routes to {routing.to}, not another member")
        chain = self._chains.get(w.sender)
        env_id = bytes.fromhex(w.id)
        if chain is None or not (
            env_id in chain.link_ids or (w.seq <= chain.length and chain.id_at(w.seq) == env_id)
        ):
            self._fail(
                Check.WITNESS,
                f"witness of relay {w.witness} names {w.sender} seq {w.seq} {w.id[:16]}...,"
                " which is not an envelope earlier in the transcript",
            )
        if w.forwarded_ms and w.forwarded_ms < w.deposited_ms:
            self._fail(Check.WITNESS, f"witness of relay {w.witness}: forwarded before deposited")
        statement = witness_statement(w.routing, w.deposited_ms, w.forwarded_ms)
        if not any(ed25519_valid(w.sig, statement, k) for k in known[1].node_keys):
            self._fail(
                Check.WITNESS,
                f"bad signature on the witness of relay {w.witness} for {w.sender} seq {w.seq}"
                " (altered, or not signed by the relay's node key)",
            )
        self._witnessed[w.witness][1 if w.forwarded_ms else 0] += 1

    # --- end ---------------------------------------------------------------------------------

    def _end(self, line: bytes) -> None:
        end = self._decode(_END_DECODER, line, "end")
        before = self._line - 1
        if end.lines != before:
            self._fail(
                Check.END, f"the end line counts {end.lines} lines before it; there are {before}"
            )
        digest = self._digest.digest()
        if end.sha256 != digest.hex():
            self._fail(
                Check.END,
                "the SHA-256 of the lines before the end line does not match: the file was"
                " changed after it was exported",
            )
        keys = self._directory[self._exporter].node_keys
        key = next((k for k in keys if hashlib.sha256(k).hexdigest() == end.key), None)
        if key is None:
            self._fail(
                Check.END, f"signed by key {end.key[:16]}..., not a node key of {self._exporter}"
            )
        if not ed25519_valid(end.sig, end_statement(self._channel, before, digest), key):
            self._fail(Check.END, f"bad signature by {self._exporter}'s node key")
        self._ended = True

    # --- summary -----------------------------------------------------------------------------

    def _member_summary(self, chain: _Chain) -> MemberSummary:
        return MemberSummary(
            party=chain.party,
            chain_length=chain.length,
            by_kind=dict(sorted(chain.by_kind.items())),
            checkpoints=len(chain.checkpoints),
            checkpointed=max(chain.checkpoints, default=0),
            cosigns=chain.cosigns,
            withheld_bodies=chain.withheld,
            accepted_charter=chain.accepted,
        )

    def _notification_table(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for prec in _PRECS:
            counts = self._notifications
            row = {str(m): counts[(prec, m)] for m in Marking if (prec, m) in counts}
            if row:
                table[str(prec)] = row
        return table

    def _ack_summary(self) -> AckSummary:
        notifications = sum(c.kinds.count(_NOTIFICATION) for c in self._chains.values())
        acknowledged = sum(len(c.acked) for c in self._chains.values())
        latencies = sorted(self._latencies)
        return AckSummary(
            notifications=notifications,
            acknowledged=acknowledged,
            unacknowledged=notifications - acknowledged,
            acks=len(latencies),
            late=self._late,
            p50_ms=latencies[(len(latencies) - 1) // 2] if latencies else None,
            max_ms=latencies[-1] if latencies else None,
        )


B = TypeVar("B", CharterAcceptBody, CheckpointBody, CosignBody, LinkTestBody, ResendRequest)


def verify_transcript(lines: Iterable[bytes], members_of: MembersOf) -> Report:
    """Verify a transcript given as its lines (each ending in a newline, as a binary file
    iterates). Never raises for bad input: every problem is in the returned `Report`."""
    verifier = TranscriptVerifier(members_of)
    for line in lines:
        if not verifier.feed(line):
            break
    return verifier.finish()
