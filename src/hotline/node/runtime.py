"""The node: the composition root that drives the sans-IO channels with the real clock.

It owns the store, the channels (one `protocol.Channel` each, rebuilt from the store at start),
the peer links (bearers) and the node-to-node listener, and it honours what the channels ask:

- `Persist` events are written in one transaction (`store.append`), and only then reported back
  with `channel.persisted(...)`: so our envelopes leave, and peers' are receipted, only once they
  are durable (kill -9 at any point loses nothing receipted or accepted for sending);
- after every call, `channel.data_to_send(now)` goes to the peer links; the receipts for a
  peer's batch go back in the answer to that very request, which keeps receipt latency low;
- a timer task wakes at the earliest `next_deadline()` of all channels.

Everything from the network goes through `open_envelope` inside the channel (or the batch and
relay checks before it); a `RemoteProtocolError` is counted, logged and answered, never raised
further, and changes neither the channels nor the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hotline.errors import HotlineError, LocalProtocolError, RemoteProtocolError
from hotline.node.bearers import DirectBearer, RelayBearer
from hotline.node.home import Home, Introduction, read_introduction
from hotline.node.observability import NodeMetrics
from hotline.node.peer_link import PeerLink
from hotline.node.relay import RelayService
from hotline.protocol.channel import Channel, ChannelConfig, LocalKeys
from hotline.protocol.charter import Charter, CharterMember, channel_id
from hotline.protocol.envelope import Envelope, Kind, Ref, open_envelope, parse_header, split_frame
from hotline.protocol.events import (
    AckOverdue,
    AckReceived,
    ChannelOpened,
    ClockSkewMeasured,
    EquivocationDetected,
    Event,
    NotificationReceived,
    Persist,
    ReceiptReceived,
    ReplyReceived,
    Role,
)
from hotline.protocol.link import Tuning
from hotline.protocol.members import MemberDirectory, MemberKeys, members_from_cards
from hotline.protocol.relay import Witness
from hotline.protocol.sealed import open_item, parse_item
from hotline.protocol.transcript_export import export_lines
from hotline.protocol.types import Marking, Precedence
from hotline.storage.operators import OperatorStore
from hotline.storage.relay_store import RelayStore
from hotline.storage.sqlite import open_sqlite_store
from hotline.storage.store import ChannelRecord, ChannelState, NewEnvelope
from hotline.storage.witness_store import WitnessStore
from hotline.transport.batch import pack_batch, unpack_batch
from hotline.transport.link import LinkClient, LinkServer, Reply, error_reply
from hotline.transport.relay_client import RelayClient
from hotline.transport.tls import client_context, server_context

log = logging.getLogger("hotline.node")

# A node answers quickly: receipts ride on the answer to each batch, so coalescing them over
# 100 ms (the machine's default, good for a simulation) would only add latency. A window of
# 1,024 envelopes (one batch) spreads each round trip's fsync and batch signature over four
# times as many envelopes as the default 256: +22% sustained throughput (bench/RESULTS.md).
NODE_TUNING = Tuning(receipt_gap_ms=1, window=1024)
RELAY_POLL_S = 0.5


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class NodeEvent:
    """What the node tells its operators (SSE, logs): an event of one channel, as plain data."""

    channel: str
    kind: str
    data: dict[str, Any]
    at_ms: int


@dataclass
class _Slot:
    channel: Channel
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Node:
    """One running node of one party. Build with `Node.open(home)`, then `await start()`."""

    def __init__(
        self,
        home: Home,
        *,
        passphrase: bytes | None = None,
        clock_ms: Callable[[], int] = wall_clock_ms,
        metrics: NodeMetrics | None = None,
    ) -> None:
        self.home = home
        self.config = home.config()
        self.party = self.config.party
        self.clock_ms = clock_ms
        self.metrics = metrics or NodeMetrics()
        self.card = home.card()
        party_keys = home.party_keys(passphrase)
        self.node_key = home.node_key()
        self._hpke = party_keys.hpke_private_key()
        self.keys = LocalKeys(
            party=self.party,
            node_key=self.node_key.ed25519,
            party_ed25519=party_keys.ed25519,
            party_mldsa65=party_keys.mldsa65,
        )
        self.store = open_sqlite_store(home.store_file)
        self.operators = OperatorStore(self.store.engine)
        self.relay_store = RelayStore(self.store.engine)
        self.witnesses = WitnessStore(self.store.engine)
        self.peers: dict[str, Introduction] = {
            p.party: read_introduction(p.card) for p in self.store.peers()
        }
        self.directory = MemberDirectory(
            {party: MemberKeys.from_card(i.card) for party, i in self.peers.items()}
        )
        self.slots: dict[str, _Slot] = {}
        self.links: dict[str, PeerLink] = {}
        self._subscribers: set[asyncio.Queue[NodeEvent]] = set()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        # Set when one of the node's own tasks (timers, relay collectors) died of an error: its
        # channels may no longer match the store, so the node must stop; a restart recovers
        # everything from the store, as after kill -9 (`hotline run` exits non-zero).
        self.failed = asyncio.Event()
        self.failure: BaseException | None = None
        self._server: LinkServer | None = None
        self.listen_address: tuple[str, int] | None = None
        self.relay_service: RelayService | None = None
        now = self.clock_ms()
        for record in self.store.channels():
            self.slots[record.id] = _Slot(self._restore(record, now))

    # -- start and stop ----------------------------------------------------------------------

    async def start(self, listen: str | None = None, *, relay: bool = False) -> tuple[str, int]:
        """Listen for peers and start links, relay collectors and timers."""
        cert_file, key_file = self.home.tls_files()
        peer_certs = [pem for i in self.peers.values() for pem in i.tls.values()]
        context = server_context(cert_file, key_file, peer_certs) if peer_certs else None
        if context is None:
            raise HotlineError("no peers yet: add one with `hotline peer add` before running")
        if relay:
            self.relay_service = RelayService(
                self.party, self.node_key.ed25519, self.directory, self.relay_store, self.clock_ms
            )
        self._server = LinkServer(self._handle, ssl_context=context)
        host, port = (listen or self.config.listen).rsplit(":", 1)
        self.listen_address = await self._server.start(host.strip("[]"), int(port))
        if not relay:
            self._build_links()
            loop = asyncio.get_running_loop()
            self._tasks.append(loop.create_task(self._timers(), name="timers"))
            for relay_party in self._relays_used():
                task = loop.create_task(self._collect(relay_party), name=f"relay {relay_party}")
                self._tasks.append(task)
            for task in self._tasks:
                task.add_done_callback(self._task_ended)
            for cid in list(self.slots):
                await self._flush(cid)
        log.info("node %s listening on %s:%d", self.party, *self.listen_address)
        return self.listen_address

    async def stop(self) -> None:
        """Stop in the order that lets nothing new start: the listener first (no more incoming
        batches), then timers and collectors, then the links, then the store."""
        if self._server is not None:
            await self._server.close()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        for link in self.links.values():
            await link.close()
        self.store.close()

    def _task_ended(self, task: asyncio.Task[None]) -> None:
        exc = None if task.cancelled() else task.exception()
        if exc is not None:
            self._fail(f"node task {task.get_name()}", exc)

    def _fail(self, what: str, exc: BaseException) -> None:
        """Something the channels rely on broke (the store, a node task): stop the node."""
        if self.failure is None:
            self.failure = exc
            log.critical(
                "%s failed: %s; the node must stop (a restart recovers from the store)",
                what,
                exc,
                exc_info=exc,
            )
        self.failed.set()

    def _client(self, party: str) -> LinkClient:
        peer = self.config.peers.get(party)
        intro = self.peers.get(party)
        if peer is None or peer.address is None or intro is None or not intro.tls:
            raise HotlineError(f"no address or TLS certificate for {party}: see `hotline peer add`")
        cert_file, key_file = self.home.tls_files()
        host, port = peer.address.rsplit(":", 1)
        pem = next(iter(intro.tls.values()))
        return LinkClient(host.strip("[]"), int(port), client_context(cert_file, key_file, pem))

    def _build_links(self) -> None:
        for party, intro in self.peers.items():
            peer = self.config.peers.get(party)
            if peer is None or party in self._relays_used():
                continue
            bearers: list[DirectBearer | RelayBearer] = []
            if peer.address:
                bearers.append(
                    DirectBearer(
                        self.party,
                        party,
                        self.node_key.ed25519,
                        self._client(party),
                        self.directory,
                    )
                )
            for relay_party in peer.relays:
                relay_client = self._relay_client(relay_party)
                bearers.append(
                    RelayBearer(
                        self.party,
                        party,
                        relay_client,
                        intro.card.keys.hpke.to_hpke(),
                        keep=self._keep_witnesses,
                    )
                )
            if bearers:
                self.links[party] = PeerLink(party, bearers, self._answers, self.clock_ms)

    async def _keep_witnesses(self, relay: str, witnesses: list[Witness]) -> None:
        """Keep a relay's verified witnesses as evidence: one transaction per batch."""
        if witnesses:
            await asyncio.to_thread(self.witnesses.add, relay, witnesses, self.clock_ms())

    def relay_cards(self) -> dict[str, bytes]:
        """The cards of the relays this node uses, from its directory (for transcripts)."""
        return {r: self.peers[r].card.to_bytes() for r in self._relays_used() if r in self.peers}

    def _relays_used(self) -> set[str]:
        return {r for p in self.config.peers.values() for r in p.relays}

    def _relay_client(self, relay_party: str) -> RelayClient:
        relay_key = self.directory[relay_party].node_keys[0]
        return RelayClient(
            self._client(relay_party), self.party, self.node_key.ed25519, relay_party, relay_key
        )

    # -- channels ----------------------------------------------------------------------------

    def _members(self, charter: Charter) -> MemberDirectory:
        """Member keys from the charter's cards, each of which must be a card we trust."""
        keys = members_from_cards(charter)  # verified cards, matching parties and fingerprints
        for party, member_keys in keys.items():
            if party == self.party:
                trusted = self.card
            elif party in self.peers:
                trusted = self.peers[party].card
            else:
                raise RemoteProtocolError(
                    f"the charter names {party}, whom this node has not been introduced to:"
                    " add them with `hotline peer add` first"
                )
            if member_keys != MemberKeys.from_card(trusted):
                raise RemoteProtocolError(
                    f"the charter carries a card for {party} with other keys than the card this"
                    " node trusts (compare fingerprints; a rotated card must be added first)"
                )
        return MemberDirectory(keys)

    def _config(self, charter_bytes: bytes) -> ChannelConfig:
        charter = Charter.from_bytes(charter_bytes)
        return ChannelConfig(charter_bytes, self.keys, self._members(charter), NODE_TUNING)

    def _restore(self, record: ChannelRecord, now: int) -> Channel:
        raws = (e.raw for e in self.store.envelopes(record.id))
        return Channel.restore(self._config(record.charter), raws, now)

    async def create_channel(
        self,
        name: str,
        parties: Iterable[str],
        *,
        languages: Iterable[str] = ("en",),
        ack_window_s: dict[Precedence, int] | None = None,
        test_interval_s: int = 3600,
        heartbeat_interval_s: int = 15,
        two_person_flash: bool = False,
    ) -> str:
        """Propose a channel to `parties` (introduced peers); returns its id."""
        others = sorted(set(parties) - {self.party})
        unknown = [p for p in others if p not in self.peers]
        if unknown or not others:
            raise LocalProtocolError(
                f"a channel needs introduced peers; unknown: {unknown or 'none given'}"
            )
        cards = {self.party: self.card, **{p: self.peers[p].card for p in others}}
        members = [
            CharterMember(party=p, fingerprint=str(cards[p].fingerprint), card=cards[p].to_bytes())
            for p in sorted(cards)
        ]
        extra: dict[str, Any] = {"ack_window_s": ack_window_s} if ack_window_s else {}
        charter = Charter(
            name=name,
            proposer=self.party,
            created_ms=self.clock_ms(),
            members=members,
            languages=sorted(set(languages)),
            test_interval_s=test_interval_s,
            heartbeat_interval_s=heartbeat_interval_s,
            two_person_flash=two_person_flash,
            **extra,
        )
        charter_bytes = charter.to_bytes()
        cid = channel_id(charter_bytes)
        self.store.add_channel(
            ChannelRecord(
                cid, name, charter_bytes, self.party, ChannelState.PROPOSED, self.clock_ms()
            )
        )
        slot = self.slots[cid] = _Slot(Channel(self._config(charter_bytes)))
        async with slot.lock:
            events: list[Event] = list(slot.channel.propose(self.clock_ms()))
            await self._settle(cid, events)
        await self._flush(cid)
        return cid

    async def accept_channel(self, cid: str) -> None:
        slot = self._slot(cid)
        async with slot.lock:
            await self._settle(cid, [slot.channel.accept(self.clock_ms())])
        await self._flush(cid)

    def _slot(self, cid: str) -> _Slot:
        matches = [c for c in self.slots if c.startswith(cid)] if len(cid) >= 8 else []
        if cid in self.slots:
            return self.slots[cid]
        if len(matches) == 1:
            return self.slots[matches[0]]
        raise LocalProtocolError(f"no channel {cid} on this node (see `hotline channel list`)")

    def channel(self, cid: str) -> Channel:
        return self._slot(cid).channel

    # -- operator traffic --------------------------------------------------------------------

    async def notify(
        self,
        cid: str,
        body: bytes,
        *,
        prec: Precedence,
        mark: Marking = Marking.REAL,
        to: list[str] | None = None,
        refs: list[Ref] | None = None,
    ) -> Ref:
        slot = self._slot(cid)
        async with slot.lock:
            persist = slot.channel.notify(
                body, self.clock_ms(), prec=prec, mark=mark, to=to, refs=refs or []
            )
            await self._settle(slot.channel.channel_id, [persist])
        await self._flush(slot.channel.channel_id)
        return persist.envelope.ref()

    async def notify_many(
        self, cid: str, bodies: Iterable[bytes], *, prec: Precedence, mark: Marking = Marking.REAL
    ) -> list[Ref]:
        """Many notifications to every member in one store transaction (one fsync), in order.

        For bulk submission (a JSON Lines file, a benchmark): each is as durable as with
        `notify` once this returns, at a fraction of the cost per notification.
        """
        slot = self._slot(cid)
        async with slot.lock:
            now = self.clock_ms()
            persists = [slot.channel.notify(b, now, prec=prec, mark=mark) for b in bodies]
            await self._settle(slot.channel.channel_id, list(persists))
        await self._flush(slot.channel.channel_id)
        return [p.envelope.ref() for p in persists]

    async def acknowledge(self, cid: str, ref: Ref) -> Ref:
        slot = self._slot(cid)
        async with slot.lock:
            persist = slot.channel.acknowledge(ref, self.clock_ms())
            await self._settle(slot.channel.channel_id, [persist])
        await self._flush(slot.channel.channel_id)
        return persist.envelope.ref()

    async def reply(self, cid: str, ref: Ref, body: bytes, prec: Precedence | None = None) -> Ref:
        slot = self._slot(cid)
        async with slot.lock:
            persist = slot.channel.reply(ref, body, self.clock_ms(), prec=prec)
            await self._settle(slot.channel.channel_id, [persist])
        await self._flush(slot.channel.channel_id)
        return persist.envelope.ref()

    def export_transcript(self, cid: str) -> list[bytes]:
        """The channel's transcript (JSON Lines, see docs/protocol.md), signed by this node.

        Every stored envelope is opened again (signature included): an export never vouches
        for bytes it has not checked.
        """
        channel = self.channel(cid)
        channel_id = channel.channel_id
        chained: list[Envelope] = []
        evidence: list[Envelope] = []
        for stored in self.store.envelopes(channel.channel_id):
            env = open_envelope(stored.raw, channel.config.members)
            (evidence if stored.role is Role.EVIDENCE else chained).append(env)
        return list(
            export_lines(
                channel.config.charter_bytes,
                chained,
                exported_by=self.party,
                exported_at_ms=self.clock_ms(),
                node_key=self.node_key.ed25519,
                evidence=evidence,
                relay_cards=self.relay_cards(),
                witnesses=[(w.relay, w.witness) for w in self.witnesses.for_channel(channel_id)],
            )
        )

    # -- the machine's events ----------------------------------------------------------------

    async def _settle(self, cid: str, events: list[Event]) -> None:
        """Store what must be stored, report it, and publish the rest, until nothing is left.

        Called with the channel's lock held.
        """
        channel = self.slots[cid].channel
        while events:
            persists = [e for e in events if isinstance(e, Persist)]
            for event in events:
                if not isinstance(event, Persist):
                    self._observe(cid, event)
            if not persists:
                return
            items = [_new_envelope(p) for p in persists]
            now = self.clock_ms()
            try:
                await asyncio.to_thread(self.store.append, cid, items, now)  # durable on return
            except Exception as exc:
                # the channel now holds envelopes the store does not: nothing more may be sent
                # or receipted from this state; stop, and restart from the store
                self._fail(f"storing {len(items)} envelopes of channel {cid[:12]}", exc)
                raise
            events = channel.persisted([p.envelope.id for p in persists], self.clock_ms())

    def _observe(self, cid: str, event: Event) -> None:
        now = self.clock_ms()
        kind = type(event).__name__
        data: dict[str, Any] = {}
        if isinstance(event, NotificationReceived | AckReceived | ReplyReceived):
            h = event.envelope.header
            data = {
                "from": event.sender,
                "seq": event.envelope.seq,
                "prec": h.prec,
                "mark": h.mark,
                "refs": [[r.party, r.seq] for r in h.refs],
            }
            self.metrics.envelopes_in.labels(event.sender, h.kind.value).inc()
            if isinstance(event, AckReceived):
                for ref in h.refs:
                    own = self.store.chain_envelope(cid, ref.party, ref.seq)
                    if own is not None and own.role.value == "own" and h.prec:
                        self.metrics.ack_latency.labels(h.prec.value).observe(
                            max(0.0, (now - own.stored_ms) / 1000)
                        )
        elif isinstance(event, ReceiptReceived):
            data = {"peer": event.peer, "upto": event.upto}
            self.metrics.receipts_in.labels(event.peer).inc()
        elif isinstance(event, AckOverdue):
            data = {
                "ref": [event.ref.party, event.ref.seq],
                "party": event.party,
                "prec": event.prec,
                "mark": event.mark,
                "due_ms": event.due_ms,
            }
            log.warning("acknowledgement overdue: %s", data)
        elif isinstance(event, EquivocationDetected):
            data = {"party": event.party, "seq": event.seq, "reason": event.reason}
            log.error("EQUIVOCATION by %s at seq %d: %s", event.party, event.seq, event.reason)
        elif isinstance(event, ClockSkewMeasured):
            data = {"peer": event.peer, "offset_ms": event.offset_ms, "rtt_ms": event.rtt_ms}
            self.metrics.clock_skew.labels(event.peer).set(event.offset_ms / 1000)
        elif isinstance(event, ChannelOpened):
            data = {"parties": list(event.parties)}
            self.store.set_channel_state(cid, ChannelState.ACTIVE)
        else:
            data = {k: _plain(getattr(event, k)) for k in getattr(event, "__slots__", ())}
        self.announce(NodeEvent(cid, kind, data, now))

    def announce(self, event: NodeEvent) -> None:
        """Tell every live stream (SSE) of the operators; also what the node did for them
        outside the channel machine (a FLASH held for release, say)."""
        for queue in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(event)
        self._wake.set()

    @contextlib.contextmanager
    def subscription(self) -> Iterator[asyncio.Queue[NodeEvent]]:
        """A queue of live events for one listener, for as long as the `with` block lasts."""
        queue: asyncio.Queue[NodeEvent] = asyncio.Queue(maxsize=1000)
        self._subscribers.add(queue)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    async def events(self) -> AsyncIterator[NodeEvent]:
        """Live events for the operators (server-sent events in the API)."""
        with self.subscription() as queue:
            while True:
                yield await queue.get()

    # -- the wire ----------------------------------------------------------------------------

    async def _flush(self, cid: str, answer_to: str | None = None) -> list[bytes]:
        """Hand what the channel wants sent to the links; return what is for `answer_to`."""
        slot = self.slots[cid]
        async with slot.lock:
            out = slot.channel.data_to_send(self.clock_ms())
        answer: list[bytes] = []
        by_peer: dict[str, list[bytes]] = defaultdict(list)
        urgent: set[str] = set()
        for item in out:
            if item.to == answer_to:
                answer.append(item.raw)
                continue
            by_peer[item.to].append(item.raw)
        for peer, raws in by_peer.items():
            link = self.links.get(peer)
            if link is not None:
                if _has_flash(raws):
                    urgent.add(peer)
                link.submit(raws, urgent=peer in urgent)
        self._wake.set()
        return answer

    async def _handle(self, method: str, path: str, body: bytes, _peer: bytes | None) -> Reply:
        if self.relay_service is not None:
            return await self.relay_service.handle(method, path, body, _peer)
        if (method, path) == ("GET", "/v1/health"):
            return Reply(200, b'{"status":"ok"}', "application/json")
        if (method, path) != ("POST", "/v1/batch"):
            return error_reply(404, f"no such endpoint: {method} {path}")
        try:
            batch = unpack_batch(body, self.directory, me=self.party)
        except RemoteProtocolError as exc:
            self.metrics.envelopes_rejected.labels("?", "batch").inc()
            log.warning("refused a batch: %s", exc)
            return error_reply(
                403 if "signature" in str(exc) or "unknown" in str(exc) else 400, str(exc)
            )
        answers, problems = await self._incoming(batch.sender, batch.envelopes)
        reply = pack_batch(
            self.party,
            batch.sender,
            self.clock_ms(),
            answers,
            self.node_key.ed25519,
            refused=problems,
        )
        if problems and not answers:
            return Reply(422, reply)  # every envelope refused: say so and why, still signed
        return Reply(200, reply)

    async def _answers(self, peer: str, raws: list[bytes]) -> None:
        """Envelopes a peer returned in answer to our batch (its receipts, mostly), or that a
        relay delivered from it.

        What they free up for that peer (our next window) is sent at once: the channel marks
        it sent when it hands it over, so dropping it here would leave it to the resend timer.
        """
        answers, _ = await self._incoming(peer, raws)
        link = self.links.get(peer)
        if answers and link is not None:
            link.submit(answers, urgent=_has_flash(answers))

    async def _incoming(self, peer: str, raws: list[bytes]) -> tuple[list[bytes], list[str]]:
        """Feed a peer's envelopes to their channels; return what to answer and the problems.

        A batch's envelopes for one channel are received under one lock and stored in one
        transaction (one fsync for the batch, not one per envelope); receipts follow the commit.
        """
        problems: list[str] = []
        by_channel: dict[str, list[bytes]] = {}
        joined: list[str] = []
        for raw in raws:
            try:
                cid, is_new = await self._route(peer, raw)
            except RemoteProtocolError as exc:
                self._refused(peer, exc, problems)
                continue
            if is_new:
                joined.append(cid)
            else:
                by_channel.setdefault(cid, []).append(raw)
        for cid, group in by_channel.items():
            slot = self.slots[cid]
            async with slot.lock:
                events: list[Event] = []
                for raw in group:
                    try:
                        events += slot.channel.receive(raw, self.clock_ms())
                    except RemoteProtocolError as exc:
                        self._refused(peer, exc, problems)
                await self._settle(cid, events)
        answers: list[bytes] = []
        for cid in [*joined, *by_channel]:
            answers += await self._flush(cid, answer_to=peer)
        return answers, problems

    def _refused(self, peer: str, exc: RemoteProtocolError, problems: list[str]) -> None:
        problems.append(str(exc))
        self.metrics.envelopes_rejected.labels(peer, type(exc).__name__).inc()
        log.warning("refused an envelope from %s: %s", peer, exc)

    async def _route(self, peer: str, raw: bytes) -> tuple[str, bool]:
        """The channel an envelope is for, and whether it is a new one (a proposal, joined)."""
        _key_id, _, header_bytes, _ = split_frame(raw)
        header = parse_header(header_bytes)  # routing only; the channel verifies everything
        if header.sender != peer:
            raise RemoteProtocolError(f"{peer} relayed an envelope of {header.sender} directly")
        if header.ch in self.slots:
            return header.ch, False
        if header.kind != Kind.CHARTER_PROPOSAL:
            raise RemoteProtocolError(f"unknown channel {header.ch[:12]}")
        await self._join(raw)
        return header.ch, True

    async def _join(self, raw: bytes) -> None:
        """A proposal for a new channel: check every member is someone we trust, then hold it
        for our operator to accept."""
        _key_id, _, header_bytes, body = split_frame(raw)
        charter_bytes = body
        if channel_id(charter_bytes) != parse_header(header_bytes).ch:
            raise RemoteProtocolError("the proposal's channel id is not the hash of its charter")
        charter = Charter.from_bytes(charter_bytes)
        if self.party not in charter.parties:
            raise RemoteProtocolError(f"proposal for a channel without {self.party}")
        members = self._members(charter)
        channel, events = Channel.from_proposal(
            raw, self.keys, members, self.clock_ms(), NODE_TUNING
        )
        cid = channel.channel_id
        self.store.add_channel(
            ChannelRecord(
                cid, charter.name, charter_bytes, self.party, ChannelState.PROPOSED, self.clock_ms()
            )
        )
        slot = self.slots[cid] = _Slot(channel)
        async with slot.lock:
            await self._settle(cid, events)

    async def _timers(self) -> None:
        while True:
            deadlines = [s.channel.next_deadline() for s in self.slots.values()]
            due = min((d for d in deadlines if d is not None), default=None)
            timeout = 1.0 if due is None else max(0.0, (due - self.clock_ms()) / 1000)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(timeout, 1.0)):  # not wait_for: see transport.link
                    await self._wake.wait()
            now = self.clock_ms()
            for cid, slot in list(self.slots.items()):
                deadline = slot.channel.next_deadline()
                if deadline is None or deadline > now:
                    continue
                try:
                    async with slot.lock:
                        await self._settle(cid, slot.channel.on_timer(now))
                    await self._flush(cid)
                except HotlineError:
                    log.exception("timers of channel %s", cid[:12])

    async def _collect(self, relay_party: str) -> None:
        """Fetch what a relay holds for us, open it, and feed it to the channels."""
        client = self._relay_client(relay_party)
        key = f"relay_cursor:{relay_party}"
        cursor = int(self.store.get_meta(key) or b"0")
        while True:
            try:
                deliveries = await client.collect(cursor, self.clock_ms())
            except (OSError, TimeoutError, RemoteProtocolError) as exc:
                log.info("relay %s: %s", relay_party, exc)
                await asyncio.sleep(RELAY_POLL_S * 4)
                continue
            opened: dict[str, list[bytes]] = {}  # by sender, in delivery order
            for delivery in deliveries:
                try:
                    item = parse_item(delivery.item)
                    raw = open_item(item, self._hpke, self.party)
                    opened.setdefault(item.routing.sender, []).append(raw)
                except RemoteProtocolError as exc:
                    log.warning("relay %s delivered a bad item: %s", relay_party, exc)
                cursor = delivery.n
            for sender, raws in opened.items():
                # one store transaction per sender, and what it frees up (receipts) goes back
                # at once, as for a direct peer's answer, not on the resend timer
                await self._answers(sender, raws)
            if deliveries:
                await self._keep_witnesses(relay_party, [d.witness for d in deliveries])
                await asyncio.to_thread(self.store.put_meta, key, str(cursor).encode())
            else:
                await asyncio.sleep(RELAY_POLL_S)


def _new_envelope(p: Persist) -> NewEnvelope:
    h = p.envelope.header
    return NewEnvelope(
        raw=p.envelope.raw,
        id=p.envelope.id,
        sender=h.sender,
        seq=h.seq,
        kind=h.kind.value,
        role=p.role,
        sender_ms=h.t,
        prec=h.prec.value if h.prec else None,
        mark=h.mark.value if h.mark else None,
        refs=tuple((r.party, r.seq) for r in h.refs),
    )


def _has_flash(raws: list[bytes]) -> bool:
    for raw in raws:
        _, _, header_bytes, _ = split_frame(raw)
        if b'"prec":"FLASH"' in header_bytes:
            return True
    return False


def _plain(value: object) -> object:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return str(value)
