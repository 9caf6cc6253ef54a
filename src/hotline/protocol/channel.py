"""The channel state machine: one party's view of one channel, sans I/O (in the style of h11).

No sockets, no clock, no disk, no randomness. The driver (the node, or the simulation) feeds it
bytes and the time, and does what it is told:

    events = ch.receive(raw, now)          # bytes from a peer
    events = ch.on_timer(now)              # at ch.next_deadline()
    persist = ch.notify(body, now, prec=Precedence.FLASH)   # an operator sends
    events = ch.persisted([ids...], now)   # the store committed what a Persist asked for
    for out in ch.data_to_send(now):       # after any of the above
        transport.send(out.to, out.raw)

Rules it keeps (see docs/protocol.md, "Channel state machine"):

- Store before send: our envelope leaves only after the driver reports it durable.
- Receipt after store: a peer's envelope is receipted (``seen``) only once durable here, and
  only contiguous prefixes are ever receipted.
- Nothing from a peer is trusted before its signature, its channel, its place in the chain and
  its body are checked; every failure raises a `RemoteProtocolError` naming what was wrong and
  changes no state at all (all checks run before the first change).
- A second history from one sender is equivocation: both envelopes are kept as evidence, the
  sender's chain is frozen at the fork, and nothing is chosen silently.
- The durable state is a pure function of the stored envelopes: `Channel.restore` replays them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey

from hotline.errors import LocalProtocolError, ProtocolError, RemoteProtocolError
from hotline.protocol.acks import AckBook, Owed
from hotline.protocol.admission import Admission, Body, accept_seq, open_stored
from hotline.protocol.chain import Fork, OwnChain, PeerChain, Placement, Verdict
from hotline.protocol.channel_errors import (
    ChannelNotOpenError,
    CorruptStoreError,
    UnknownReferenceError,
)
from hotline.protocol.charter import Charter, channel_id
from hotline.protocol.envelope import (
    OPERATOR_KINDS,
    Envelope,
    Kind,
    Mark,
    Ref,
    make_header,
    open_envelope,
    seal,
)
from hotline.protocol.events import (
    AckOverdue,
    AckReceived,
    ChannelOpened,
    CharterAccepted,
    CharterProposed,
    CheckpointCosigned,
    ClockSkewMeasured,
    EquivocationDetected,
    Event,
    LinkTestMissed,
    LinkTestPassed,
    NotificationReceived,
    Outgoing,
    PeerReachable,
    PeerTestOverdue,
    PeerUnreachable,
    Persist,
    ReceiptReceived,
    ReplyReceived,
    Role,
)
from hotline.protocol.link import PeerLink, Tuning
from hotline.protocol.members import MemberDirectory
from hotline.protocol.messages import (
    CharterAcceptBody,
    CheckpointBody,
    CosignBody,
    DualSignature,
    HeartbeatBody,
    LinkTestBody,
    ResendRequest,
    SeqRange,
    charter_accept_statement,
    checkpoint_statement,
    cosign_statement,
    decode_body,
    encode_body,
    sign_statement,
)
from hotline.protocol.skew import skew_sample
from hotline.protocol.types import Marking, Precedence

MAX_RESEND_RANGES = 64  # what one ResendRequest may carry


@dataclass(frozen=True, slots=True)
class LocalKeys:
    """Our secrets: the node key signs every envelope; the party keys sign long-term statements
    (charter acceptance, checkpoints, countersignatures) with Ed25519 and ML-DSA-65 both."""

    party: str
    node_key: Ed25519PrivateKey
    party_ed25519: Ed25519PrivateKey
    party_mldsa65: MLDSA65PrivateKey


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    """Everything a channel needs besides the envelopes: the charter bytes every member signs,
    our keys, every member's public keys (from their verified identity cards), tuning."""

    charter_bytes: bytes
    keys: LocalKeys
    members: MemberDirectory
    tuning: Tuning = field(default_factory=Tuning)


@dataclass(slots=True)
class ChannelStats:
    """Counters for benchmarks, the simulation and the console. Never part of the protocol."""

    sealed: int = 0
    opened: int = 0  # peer envelopes that passed every check
    sent: int = 0  # envelopes handed to the transport (including resends)
    resent: int = 0  # of which our chained envelopes sent again
    duplicates: int = 0
    held: int = 0
    dropped_ahead: int = 0  # beyond the hold window; the peer resends them
    ignored_after_fork: int = 0
    receipts_sent: int = 0
    heartbeats_sent: int = 0
    resend_requests_sent: int = 0


@dataclass(slots=True)
class _TestRun:
    seq: int
    due_ms: int
    waiting: list[str]


@dataclass(frozen=True, slots=True)
class PeerStatus:
    """What the console shows about one peer."""

    party: str
    accepted: int  # their chain: verified and in order here
    durable: int  # of which stored (and receipted)
    held: int  # envelopes waiting beyond a gap
    receipted: int  # our chain: what they have receipted
    last_heard_ms: int
    reachable: bool
    skew_ms: int | None  # their clock minus ours; None until measured
    rtt_ms: int | None
    fork: Fork | None


class Channel:
    """One party's view of one channel. See the module docstring for the driver's loop."""

    def __init__(self, config: ChannelConfig) -> None:
        try:
            charter = Charter.from_bytes(config.charter_bytes)
        except RemoteProtocolError as exc:
            raise LocalProtocolError(f"cannot use this charter: {exc}") from None
        me = config.keys.party
        parties = charter.parties
        if me not in parties:
            raise LocalProtocolError(f"{me} is not a member of channel {charter.name!r}")
        if sorted(config.members.members) != parties:
            raise LocalProtocolError(
                f"member keys are for {sorted(config.members.members)}, the charter names "
                f"{parties}: build the directory from the charter's cards"
            )
        public = config.keys.node_key.public_key().public_bytes_raw()
        if public not in config.members[me].node_keys:
            raise LocalProtocolError(f"our node key is not among {me}'s node keys in the charter")
        self.config = config
        self.charter = charter
        self.channel_id = channel_id(config.charter_bytes)
        self.me = me
        self.peers: tuple[str, ...] = tuple(p for p in parties if p != me)
        self.tuning = config.tuning
        self.stats = ChannelStats()
        self._key_id = hashlib.sha256(public).digest()
        self._directory = config.members
        self.own = OwnChain()
        self.chains = {
            p: PeerChain(p, self.tuning.max_held, self.tuning.max_held_bytes) for p in self.peers
        }
        self.links: dict[str, PeerLink] = {}
        self.acks = AckBook()
        self.accepted_by: dict[str, None] = {}  # members whose acceptance is durable here
        self.opened = False
        self._now: int | None = None
        self._replaying = False
        self._pending: dict[bytes, tuple[str, int]] = {}  # id -> (party, seq) awaiting persisted()
        self._meta: dict[tuple[str, int], tuple[Kind, Precedence, Marking]] = {}
        self._next_heartbeat = 0
        self._next_test: int | None = None
        self._test_number = 0
        self._tests: dict[int, _TestRun] = {}
        self._own_roots: dict[int, str] = {}  # our checkpoints: size -> root
        self._since_checkpoint = 0
        self._next_checkpoint = 0
        self._cosigns_owed: dict[tuple[str, int], str] = {}  # (party, size) -> root
        self._admission = Admission(
            self.channel_id, me, charter, config.charter_bytes, config.members, self.own,
            self._own_roots,
        )  # fmt: skip

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def from_proposal(
        cls,
        raw: bytes,
        keys: LocalKeys,
        members: MemberDirectory,
        now: int,
        tuning: Tuning | None = None,
    ) -> tuple[Channel, list[Event]]:
        """Join a channel from the proposer's CHARTER_PROPOSAL envelope (verified first)."""
        env = open_envelope(raw, members)
        if env.header.kind != Kind.CHARTER_PROPOSAL or env.seq != 1 or env.body is None:
            raise RemoteProtocolError(
                f"not a charter proposal: {env.header.kind} seq {env.seq} from {env.sender}"
            )
        if channel_id(env.body) != env.header.ch:
            raise RemoteProtocolError("the proposal's channel id is not the hash of its charter")
        charter = Charter.from_bytes(env.body)
        if charter.proposer != env.sender:
            raise RemoteProtocolError(f"{env.sender} sent a charter proposed by {charter.proposer}")
        config = ChannelConfig(env.body, keys, members, tuning or Tuning())
        channel = cls(config)
        return channel, channel.receive(raw, now)

    @classmethod
    def restore(cls, config: ChannelConfig, stored: Iterable[bytes], now: int) -> Channel:
        """Rebuild the machine from the envelopes the driver stored, in storage order.

        Bytes we stored were verified when they arrived, so their signatures are not checked
        again; everything is still parsed and every chain rule applied. Whatever was never
        stored is gone, as after any crash: peers resend it.
        """
        channel = cls(config)
        channel._replaying = True
        channel._start(now)
        for index, raw in enumerate(stored):
            try:
                channel._replay(raw, now)
            except ProtocolError as exc:
                raise CorruptStoreError(index, str(exc)) from None
        channel._replaying = False
        for link in channel.links.values():
            link.sent_upto = link.high_sent = link.acked  # resend whatever is unreceipted
        return channel

    # -- what the operator (or the node) asks for -------------------------------------------

    def propose(self, now: int) -> list[Persist]:
        """Start the channel as its proposer: CHARTER_PROPOSAL (the charter) then our accept."""
        if self.me != self.charter.proposer:
            raise LocalProtocolError(f"only the proposer {self.charter.proposer} can propose")
        if self.own.tip:
            raise LocalProtocolError("the charter was already proposed")
        self._start(now)
        proposal = self._seal(Kind.CHARTER_PROPOSAL, self.config.charter_bytes, now)
        return [proposal, self._seal_accept(now)]

    def accept(self, now: int) -> Persist:
        """Accept the charter: our chain's first envelope, dual-signed over the channel id."""
        if self.me == self.charter.proposer:
            raise LocalProtocolError("the proposer accepts with propose()")
        if self.own.tip:
            raise LocalProtocolError("the charter was already accepted")
        self._start(now)
        return self._seal_accept(now)

    def send(
        self,
        kind: Kind,
        body: bytes,
        now: int,
        *,
        prec: Precedence,
        mark: Marking,
        to: Sequence[str] | None = None,
        refs: Sequence[Ref] = (),
    ) -> Persist:
        """Seal an operator envelope. Store it (Persist), then report it with `persisted`."""
        if kind not in OPERATOR_KINDS:
            raise LocalProtocolError(f"operators send {sorted(OPERATOR_KINDS)}, not {kind}")
        if not self.opened:
            waiting = tuple(p for p in self.charter.parties if p not in self.accepted_by)
            raise ChannelNotOpenError(waiting)
        if len(body) > self.charter.max_body_bytes:
            raise LocalProtocolError(
                f"body of {len(body)} bytes exceeds the charter's limit of "
                f"{self.charter.max_body_bytes}"
            )
        recipients = None
        if to is not None:
            recipients = sorted(set(to))
            strangers = [p for p in recipients if p not in self.peers]
            if strangers or not recipients:
                raise LocalProtocolError(
                    f"recipients must be other members of the channel {list(self.peers)}; "
                    f"got {list(to)}"
                )
        for ref in refs:
            self._resolve(ref)
        self._start(now)
        return self._seal(kind, body, now, prec=prec, mark=mark, to=recipients, refs=refs)

    def notify(
        self,
        body: bytes,
        now: int,
        *,
        prec: Precedence,
        mark: Marking = Marking.REAL,
        to: Sequence[str] | None = None,
        refs: Sequence[Ref] = (),
    ) -> Persist:
        """Send a notification (a catalogue body, opaque here)."""
        return self.send(Kind.NOTIFICATION, body, now, prec=prec, mark=mark, to=to, refs=refs)

    def acknowledge(self, ref: Ref, now: int) -> Persist:
        """Our operator has read and understood ``ref`` (a peer's operator message)."""
        kind, prec, mark = self._operator_message(ref)
        if ref.party == self.me:
            raise UnknownReferenceError(ref.party, ref.seq, "we do not acknowledge our own")
        if kind == Kind.ACK:
            raise UnknownReferenceError(
                ref.party, ref.seq, "an acknowledgement is not acknowledged"
            )
        return self.send(Kind.ACK, b"", now, prec=prec, mark=mark, refs=[ref])

    def reply(self, ref: Ref, body: bytes, now: int, *, prec: Precedence | None = None) -> Persist:
        """A substantive answer to ``ref``; same marking (TEST stays TEST), its precedence
        unless given."""
        _, ref_prec, mark = self._operator_message(ref)
        return self.send(Kind.REPLY, body, now, prec=prec or ref_prec, mark=mark, refs=[ref])

    # -- what the driver reports ------------------------------------------------------------

    def persisted(self, ids: Iterable[bytes], now: int) -> list[Event]:
        """The store committed these envelopes (ids from Persist events). Unknown ids are
        ignored: receipts and evidence need no confirmation, and a repeat changes nothing."""
        self._start(now)
        events: list[Event] = []
        for id_ in ids:
            where = self._pending.pop(id_, None)
            if where is None:
                continue
            party, seq = where
            if party == self.me:
                for env in self.own.confirm(seq):
                    self._own_durable(env, now, events)
            else:
                for env in self.chains[party].confirm(seq):
                    self._peer_durable(env, now, events)
        return events

    def receive(self, raw: bytes, now: int) -> list[Event]:
        """Bytes from the network. Raises RemoteProtocolError (state unchanged) if invalid."""
        env = open_envelope(raw, self._directory, max_body_bytes=self.charter.max_body_bytes)
        body = self._admission.check(env, trusted=False)
        # Every check passed: from here on nothing raises and state may change.
        self._start(now)
        self.stats.opened += 1
        events: list[Event] = []
        self._heard(env.sender, now, events)
        self._take_receipt(env, now, events)
        if env.header.chained:
            self._place(env, now, events)
        else:
            self._link_envelope(env, body, now, events)
        return events

    # -- time --------------------------------------------------------------------------------

    def next_deadline(self) -> int | None:
        """When to call `on_timer` and `data_to_send` next (ms, our clock); None before start."""
        now = self._now
        if now is None:
            return None
        times = [self._next_heartbeat]
        if self._checkpoint_due() or (self._cosigns_owed and self._may_chain()):
            times.append(now)
        elif self._since_checkpoint and self._may_chain():
            times.append(self._next_checkpoint)
        if self.opened and self._next_test is not None:
            times.append(self._next_test)
        times += [run.due_ms for run in self._tests.values()]
        ack_due = self.acks.next_deadline()
        if ack_due is not None:
            times.append(ack_due)
        silence = self._silence_ms()
        for peer, link in self.links.items():
            if link.outstanding() and link.resend_at is not None:
                times.append(link.resend_at)
            if link.sent_upto < min(self.own.durable, link.acked + self.tuning.window):
                times.append(now)  # first sends are due
            if link.serve_at is not None:
                times.append(link.serve_at)
            if link.receipt_due_at is not None:
                times.append(link.receipt_due_at)
            if link.gap_at is not None and self.chains[peer].has_gap():
                times.append(link.gap_at)
            if link.test_due is not None and not link.test_overdue:
                times.append(link.test_due)
            if not link.unreachable:
                times.append(link.last_heard + silence)
        return min(times)

    def on_timer(self, now: int) -> list[Event]:
        """Everything due by ``now`` that produces events: ack windows, link tests, liveness,
        checkpoints and countersignatures (those come as Persist events)."""
        self._start(now)
        events: list[Event] = []
        for owed in self.acks.expire(now):
            events.append(AckOverdue(owed.ref, owed.party, owed.prec, owed.mark, owed.due_ms))
        for number, run in sorted(self._tests.items()):
            if now >= run.due_ms:
                events += [LinkTestMissed(p, number, run.due_ms) for p in run.waiting]
                del self._tests[number]
        for peer, link in self.links.items():
            if link.test_due is not None and now >= link.test_due and not link.test_overdue:
                link.test_overdue = True
                events.append(PeerTestOverdue(peer, link.test_due))
            if not link.unreachable and now >= link.last_heard + self._silence_ms():
                link.unreachable = True
                events.append(PeerUnreachable(peer, link.last_heard))
        if self._may_chain():
            if self.opened and self._next_test is not None and now >= self._next_test:
                events.append(self._seal_link_test(now))
            if self._checkpoint_due() or (self._since_checkpoint and now >= self._next_checkpoint):
                events.append(self._seal_checkpoint(now))
            for (party, size), root in sorted(self._cosigns_owed.items()):
                events.append(self._seal_cosign(party, size, root, now))
        return events

    def data_to_send(self, now: int) -> list[Outgoing]:
        """Bytes due to peers now: our chain (first sends, resends, requested ranges), gap
        requests, receipts and heartbeats. Call after every other call."""
        self._start(now)
        out: list[Outgoing] = []
        heartbeat = now >= self._next_heartbeat
        if heartbeat:
            self._next_heartbeat = now + self.charter.heartbeat_interval_s * 1000
        for peer, link in self.links.items():
            high = link.high_sent
            for seq in link.to_send(self.own.durable, now):
                self._transmit(peer, self.own.envelopes[seq], out, resend=seq <= high)
            for seq in link.to_serve(self.own.durable, now):
                self._transmit(peer, self.own.envelopes[seq], out, resend=True)
            chain = self.chains[peer]
            ranges = chain.missing(MAX_RESEND_RANGES)
            if not ranges:
                link.gap_at = None
            elif link.gap_at is None:
                link.gap_seen(now)
            if ranges and link.gap_at is not None and now >= link.gap_at:
                body = ResendRequest(ranges=[SeqRange(a, b) for a, b in ranges])
                self._send_link(peer, Kind.RESEND, encode_body(body), now, out)
                self.stats.resend_requests_sent += 1
                link.gap_asked(now)
            if heartbeat:
                echo = HeartbeatBody()
                if link.hb_t is not None and link.hb_at is not None:
                    echo = HeartbeatBody(echo_t=link.hb_t, held_ms=max(0, now - link.hb_at))
                self._send_link(peer, Kind.HEARTBEAT, encode_body(echo), now, out)
                self.stats.heartbeats_sent += 1
            if link.receipt_needed(chain.durable, now):
                self._send_link(peer, Kind.RECEIPT, b"", now, out)
                self.stats.receipts_sent += 1
                link.receipt_sent(now)
        return out

    # -- what the console reads --------------------------------------------------------------

    def peer_status(self, peer: str) -> PeerStatus:
        chain, link = self.chains[peer], self.links.get(peer)
        best = link.skew.best() if link else None
        return PeerStatus(
            party=peer,
            accepted=chain.accepted,
            durable=chain.durable,
            held=len(chain.held),
            receipted=link.acked if link else 0,
            last_heard_ms=link.last_heard if link else 0,
            reachable=not link.unreachable if link else False,
            skew_ms=best.offset_ms if best else None,
            rtt_ms=best.rtt_ms if best else None,
            fork=chain.fork,
        )

    @property
    def overdue(self) -> list[Owed]:
        """Acknowledgements reported overdue and still missing (ours and the peers')."""
        return sorted(self.acks.overdue.values(), key=lambda o: o.due_ms)

    @property
    def awaiting_store(self) -> int:
        """Envelopes (ours and peers') the driver was asked to store and has not confirmed."""
        return len(self._pending)

    @property
    def forks(self) -> dict[str, Fork]:
        return {p: c.fork for p, c in self.chains.items() if c.fork is not None}

    def settled(self) -> bool:
        """Nothing in flight: every peer receipted all we stored, we hold every peer's chain up
        to what it told us, nothing waits to be stored or receipted."""
        if self._pending:
            return False
        for peer, link in self.links.items():
            chain = self.chains[peer]
            if link.acked < self.own.durable or chain.held or chain.has_gap():
                return False
            if link.receipt_forced or (
                link.receipt_due_at is not None and chain.durable > link.told
            ):
                return False
        return True

    def _accept_seq(self, party: str) -> int:
        return accept_seq(self.charter, party)

    # -- state changes ----------------------------------------------------------------------

    def _start(self, now: int) -> None:
        if self._now is None:
            self._next_heartbeat = now
            self._next_checkpoint = now + self.charter.checkpoint_interval_s * 1000
            self.links = {p: PeerLink(self.tuning, now) for p in self.peers}
        self._now = now

    def _heard(self, peer: str, now: int, events: list[Event]) -> None:
        if self.links[peer].heard(now):
            events.append(PeerReachable(peer))

    def _take_receipt(self, env: Envelope, now: int, events: list[Event]) -> None:
        """Any envelope's ``seen[me]`` is a cumulative receipt of our chain (checked already)."""
        peer, link = env.sender, self.links[env.sender]
        if not env.header.chained and env.header.tip is not None:
            chain = self.chains[peer]
            if env.header.tip.seq > max(chain.claimed_tip, chain.accepted):
                chain.claimed_tip = env.header.tip.seq
                link.gap_seen(now)  # a missing tail
        mark = env.header.seen.get(self.me)
        if mark is None or not link.receipted(mark.seq, now):
            return
        self.own.release(min(lk.acked for lk in self.links.values()))
        for number, run in sorted(self._tests.items()):
            if peer in run.waiting and mark.seq >= run.seq:
                run.waiting.remove(peer)
                if not self._replaying:
                    late = now > run.due_ms
                    events.append(
                        LinkTestMissed(peer, number, run.due_ms)
                        if late
                        else LinkTestPassed(peer, number)
                    )
                if not run.waiting:
                    del self._tests[number]
        if not self._replaying:
            if not env.header.chained:
                events.append(Persist(env, Role.RECEIPT))
            events.append(ReceiptReceived(peer, mark.seq))

    def _place(self, env: Envelope, now: int, events: list[Event]) -> None:
        chain, link = self.chains[env.sender], self.links[env.sender]
        verdict = chain.place(env)
        if verdict.placement is Placement.NEXT:
            before = chain.accepted
            if self._accept(chain, env, now, events):
                while (nxt := chain.next_held()) is not None:
                    follow = chain.place(nxt)
                    if follow.placement is Placement.NEXT:
                        if not self._accept(chain, nxt, now, events):
                            break
                    elif follow.placement is Placement.CONFLICT:
                        self._fork(chain, nxt, follow, events)
                        break
            if chain.accepted > before:
                link.gap_progress()
        elif verdict.placement is Placement.DUPLICATE:
            self.stats.duplicates += 1
            if env.seq <= chain.durable:
                link.owe_receipt(now, forced=True)  # the peer may have lost our receipt
        elif verdict.placement is Placement.HOLD:
            chain.hold(env)
            self.stats.held += 1
            link.gap_seen(now)
        elif verdict.placement is Placement.TOO_FAR:
            self.stats.dropped_ahead += 1
            link.gap_seen(now)
        elif verdict.placement is Placement.CONFLICT:
            self._fork(chain, env, verdict, events)
        else:
            self.stats.ignored_after_fork += 1

    def _accept(self, chain: PeerChain, env: Envelope, now: int, events: list[Event]) -> bool:
        """Append the next envelope of a peer's chain; False if it proves a fork instead."""
        if env.header.kind == Kind.CHECKPOINT:
            cp = decode_body(CheckpointBody, env.body, "checkpoint")  # checked on arrival
            root = chain.frontier.root().hex()
            if cp.root != root:
                reason = f"checkpoint over 1..{cp.size}: its root differs from the chain we hold"
                verdict = Verdict(Placement.CONFLICT, env.seq, b"", None, reason)
                self._fork(chain, env, verdict, events)
                return False
        if self._replaying:
            chain.accept_durable(env)
            self._peer_durable(env, now, events)
            return True
        chain.accept(env)
        self._pending[env.id] = (env.sender, env.seq)
        events.append(Persist(env, Role.PEER))
        return True

    def _fork(self, chain: PeerChain, env: Envelope, verdict: Verdict, events: list[Event]) -> None:
        if chain.fork is not None:
            self.stats.ignored_after_fork += 1
            return
        ids = tuple(x.hex() for x in (verdict.kept_id, env.id) if x)
        frozen_at = max(chain.accepted, verdict.fork_seq - 1)
        chain.freeze(Fork(verdict.fork_seq, ids, verdict.reason, frozen_at))
        if self._replaying:
            return
        for evidence in (verdict.kept, env):
            if evidence is not None:
                events.append(Persist(evidence, Role.EVIDENCE))
        events.append(EquivocationDetected(env.sender, verdict.fork_seq, ids, verdict.reason))

    def _peer_durable(self, env: Envelope, now: int, events: list[Event]) -> None:
        """A peer's envelope is stored here: receipt it, act on it, tell the application."""
        h, peer = env.header, env.sender
        self.links[peer].owe_receipt(now)
        self.links[peer].gap_progress()
        quiet = self._replaying
        if h.kind in OPERATOR_KINDS:
            assert h.prec is not None
            assert h.mark is not None
            self._meta[(peer, env.seq)] = (h.kind, h.prec, h.mark)
            for_us = h.to is None or self.me in h.to
            if h.kind == Kind.NOTIFICATION:
                if for_us:
                    due = h.t + self.charter.ack_window_s[h.prec] * 1000
                    self.acks.expect(Owed(env.ref(), self.me, h.prec, h.mark, due))
                if not quiet:
                    events.append(NotificationReceived(env, for_us))
            elif h.kind == Kind.ACK:
                for ref in h.refs:
                    if ref.party == self.me:
                        self.acks.acknowledged(ref, peer)
                if not quiet:
                    events.append(AckReceived(env, for_us))
            elif not quiet:
                events.append(ReplyReceived(env, for_us))
        elif h.kind == Kind.CHARTER_PROPOSAL:
            if not quiet:
                events.append(CharterProposed(peer, self.charter))
        elif h.kind == Kind.CHARTER_ACCEPT:
            self.accepted_by[peer] = None
            if not quiet:
                events.append(CharterAccepted(peer))
            self._maybe_open(now, events)
        elif h.kind == Kind.LINK_TEST:
            link = self.links[peer]
            link.test_due = now + (self.charter.test_interval_s + self.charter.test_grace_s) * 1000
            link.test_overdue = False
        elif h.kind == Kind.CHECKPOINT:
            cp = decode_body(CheckpointBody, env.body, "checkpoint")
            self._cosigns_owed[(peer, cp.size)] = cp.root
        elif h.kind == Kind.COSIGN:
            cosign = decode_body(CosignBody, env.body, "cosign")
            if cosign.party == self.me and not quiet:
                events.append(CheckpointCosigned(peer, cosign.size, cosign.root))

    def _own_durable(self, env: Envelope, now: int, events: list[Event]) -> None:
        """Our envelope is stored: it may leave now; start the clocks that depend on it."""
        h = env.header
        if h.kind in OPERATOR_KINDS:
            assert h.prec is not None
            assert h.mark is not None
            self._meta[(self.me, env.seq)] = (h.kind, h.prec, h.mark)
            if h.kind == Kind.NOTIFICATION:
                due = h.t + self.charter.ack_window_s[h.prec] * 1000
                for peer in h.to or self.peers:
                    self.acks.expect(Owed(env.ref(), peer, h.prec, h.mark, due))
            elif h.kind == Kind.ACK:
                for ref in h.refs:
                    self.acks.acknowledged(ref, self.me)
        elif h.kind == Kind.CHARTER_ACCEPT:
            self.accepted_by[self.me] = None
            self._maybe_open(now, events)

    def _note_own(self, env: Envelope) -> None:
        """Bookkeeping of our own chain from its contents (sealing, and replay alike)."""
        h = env.header
        if h.kind == Kind.CHECKPOINT:
            cp = decode_body(CheckpointBody, env.body, "our checkpoint")
            self._own_roots[cp.size] = cp.root
            self._since_checkpoint = 0
            self._next_checkpoint = h.t + self.charter.checkpoint_interval_s * 1000
        elif h.kind == Kind.COSIGN:
            cosign = decode_body(CosignBody, env.body, "our countersignature")
            self._cosigns_owed.pop((cosign.party, cosign.size), None)
        else:
            self._since_checkpoint += 1
        if h.kind == Kind.LINK_TEST:
            number = decode_body(LinkTestBody, env.body, "our link test").number
            self._test_number = number
            if self._replaying:  # earlier tests were settled (or reported) before the restart
                self._tests.clear()
            due = h.t + self.charter.test_grace_s * 1000
            self._tests[number] = _TestRun(env.seq, due, list(self.peers))
            self._next_test = h.t + self.charter.test_interval_s * 1000

    def _maybe_open(self, now: int, events: list[Event]) -> None:
        if self.opened or len(self.accepted_by) < len(self.charter.parties):
            return
        self.opened = True
        if self._next_test is None:
            self._next_test = now + self.charter.test_interval_s * 1000
        due = now + (self.charter.test_interval_s + self.charter.test_grace_s) * 1000
        for link in self.links.values():
            if link.test_due is None:
                link.test_due = due
        if not self._replaying:
            events.append(ChannelOpened(tuple(self.charter.parties)))

    def _link_envelope(
        self, env: Envelope, body: Body | None, now: int, events: list[Event]
    ) -> None:
        peer, link = env.sender, self.links[env.sender]
        if isinstance(body, HeartbeatBody):
            if body.echo_t is not None and body.held_ms is not None:
                sample = skew_sample(body.echo_t, env.header.t, body.held_ms, now)
                if sample is not None:
                    link.skew.add(sample)
                    best = link.skew.best()
                    last = link.reported_skew
                    if best is not None and (
                        last is None
                        or abs(best.offset_ms - last.offset_ms) >= self.tuning.skew_report_ms
                    ):
                        link.reported_skew = best
                        events.append(ClockSkewMeasured(peer, best.offset_ms, best.rtt_ms))
            link.hb_t, link.hb_at = env.header.t, now
        elif isinstance(body, ResendRequest):
            link.request([(r.first, r.last) for r in body.ranges], now)

    # -- sealing our own envelopes ---------------------------------------------------------

    def _seal(
        self,
        kind: Kind,
        body: bytes,
        now: int,
        *,
        prec: Precedence | None = None,
        mark: Marking | None = None,
        to: list[str] | None = None,
        refs: Sequence[Ref] = (),
    ) -> Persist:
        header = make_header(
            channel=self.channel_id,
            sender=self.me,
            seq=self.own.tip + 1,
            prev=self.own.tip_id(),
            seen=self._seen(),
            now_ms=now,
            kind=kind,
            body=body,
            prec=prec,
            mark=mark,
            to=to,
            refs=list(refs),
        )
        env = seal(header, body, self.config.keys.node_key, self._key_id)
        self.own.append(env)
        self._note_own(env)
        self._pending[env.id] = (self.me, env.seq)
        self.stats.sealed += 1
        return Persist(env, Role.OWN)

    def _seal_accept(self, now: int) -> Persist:
        stmt = charter_accept_statement(self.channel_id)
        body = CharterAcceptBody(sig=self._sign(stmt))
        return self._seal(Kind.CHARTER_ACCEPT, encode_body(body), now)

    def _seal_link_test(self, now: int) -> Persist:
        body = LinkTestBody(number=self._test_number + 1)
        return self._seal(Kind.LINK_TEST, encode_body(body), now)

    def _seal_checkpoint(self, now: int) -> Persist:
        size, root = self.own.tip, self.own.frontier.root().hex()
        stmt = checkpoint_statement(self.channel_id, self.me, size, root)
        body = CheckpointBody(size=size, root=root, sig=self._sign(stmt))
        return self._seal(Kind.CHECKPOINT, encode_body(body), now)

    def _seal_cosign(self, party: str, size: int, root: str, now: int) -> Persist:
        stmt = cosign_statement(self.channel_id, party, size, root)
        body = CosignBody(party=party, size=size, root=root, sig=self._sign(stmt))
        return self._seal(Kind.COSIGN, encode_body(body), now)

    def _sign(self, statement: bytes) -> DualSignature:
        keys = self.config.keys
        return sign_statement(statement, keys.party_ed25519, keys.party_mldsa65)

    def _send_link(self, peer: str, kind: Kind, body: bytes, now: int, out: list[Outgoing]) -> None:
        header = make_header(
            channel=self.channel_id,
            sender=self.me,
            seq=0,
            prev=None,
            seen=self._seen(),
            now_ms=now,
            kind=kind,
            body=body,
            tip=self.own.durable_mark(),
        )
        env = seal(header, body, self.config.keys.node_key, self._key_id)
        self.stats.sealed += 1
        self._transmit(peer, env, out, resend=False)

    def _transmit(self, peer: str, env: Envelope, out: list[Outgoing], *, resend: bool) -> None:
        to = env.header.to
        raw = env.raw if to is None or peer in to else env.detached()  # the body: addressees only
        out.append(Outgoing(peer, raw))
        mark = env.header.seen.get(peer)
        link = self.links[peer]
        if mark is not None and mark.seq > link.told:
            link.told = mark.seq
        self.stats.sent += 1
        self.stats.resent += resend

    def _seen(self) -> dict[str, Mark]:
        seen: dict[str, Mark] = {}
        for peer, chain in self.chains.items():
            mark = chain.durable_mark()
            if mark is not None:
                seen[peer] = mark
        return seen

    # -- helpers ---------------------------------------------------------------------------

    def _may_chain(self) -> bool:
        """Protocol envelopes need our charter acceptance first in our chain."""
        return self.own.tip >= self._accept_seq(self.me)

    def _checkpoint_due(self) -> bool:
        return self._may_chain() and self._since_checkpoint >= self.charter.checkpoint_every

    def _silence_ms(self) -> int:
        return self.tuning.silence_heartbeats * self.charter.heartbeat_interval_s * 1000

    def _resolve(self, ref: Ref) -> None:
        """A reference must name an envelope we hold, by its exact id."""
        if ref.party == self.me:
            if not 1 <= ref.seq <= self.own.durable or self.own.ids[ref.seq - 1].hex() != ref.id:
                raise UnknownReferenceError(ref.party, ref.seq, "not in our stored chain")
            return
        chain = self.chains.get(ref.party)
        if chain is None or not chain.holds(ref.seq, bytes.fromhex(ref.id)):
            raise UnknownReferenceError(ref.party, ref.seq, "not stored here with that id")

    def _operator_message(self, ref: Ref) -> tuple[Kind, Precedence, Marking]:
        self._resolve(ref)
        meta = self._meta.get((ref.party, ref.seq))
        if meta is None:
            raise UnknownReferenceError(ref.party, ref.seq, "not an operator message")
        return meta

    def _replay(self, raw: bytes, now: int) -> None:
        env = open_stored(raw, self._directory)
        if env.sender == self.me:
            if not env.header.chained:
                return
            if env.seq != self.own.tip + 1 or env.header.prev != self.own.tip_id():
                raise LocalProtocolError(
                    f"our own seq {env.seq} does not follow our stored seq {self.own.tip}"
                )
            self.own.append(env)
            self._note_own(env)
            for durable in self.own.confirm(env.seq):
                self._own_durable(durable, now, [])
            return
        self._admission.check(env, trusted=True)
        self._take_receipt(env, now, [])
        if env.header.chained:  # stored link envelopes are receipts: only their seen counts
            self._place(env, now, [])


__all__ = ["Channel", "ChannelConfig", "ChannelStats", "LocalKeys", "PeerStatus", "Tuning"]
