"""Deterministic simulation: 2-4 parties run real Channels over a faulty simulated network.

One seed decides everything (`random.Random(seed)`): party clocks' skew, when operators send and
acknowledge, which messages are dropped, duplicated, reordered or delayed, when links are cut
and healed, when a node crashes (losing whatever its store had not committed) and restarts
from its store with `Channel.restore`, and whether one party equivocates (signs a second,
different envelope for one of its sequence numbers and sends it to some peers).

Time is simulated in ms and jumps from one scheduled action to the next. After the fault phase
every fault is healed and the run continues until the channel is quiescent: every honest party
holds every honest party's whole chain and has it receipted, nothing is in flight, and nothing
is due but the periodic timers. Then the invariants are checked:

- every notification an honest party committed for sending is durably stored, and delivered to
  the application, exactly once by each honest addressee (``lost`` and ``duplicated`` are 0);
- every honest party holds identical chains (same ids) for every honest sender;
- every honest party that saw both envelopes of the equivocation reported it;
- no honest party refused an honest party's envelope (a refusal would be a bug);
- every measured clock skew is within its own error bound (half the round trip).

`run_simulation(SimConfig(seed=N))` returns a `SimResult`; ``hotline sim --seed N`` prints it.
"""

from __future__ import annotations

import hashlib
import heapq
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import msgspec

from hotline.errors import HotlineError, RemoteProtocolError
from hotline.protocol.envelope import (
    Envelope,
    Kind,
    Ref,
    body_digest,
    envelope_id,
    parse_header,
    seal,
    split_frame,
)
from hotline.protocol.events import (
    AckOverdue,
    CharterProposed,
    EquivocationDetected,
    Event,
    LinkTestMissed,
    NotificationReceived,
    Role,
)
from hotline.protocol.types import Marking, Precedence
from hotline.testing.clock import FakeClock
from hotline.testing.driver import Driver
from hotline.testing.network import FAULTS, SimNetwork
from hotline.testing.parties import T0_MS, sample_configs

PARTY_NAMES = ("RU", "UA", "UN", "US")
# A charter with short intervals, so that a run of a few simulated minutes exercises heartbeats,
# link tests and checkpoints (the smallest values the charter allows).
SIM_CHARTER: dict[str, object] = {
    "name": "Simulated channel",
    "heartbeat_interval_s": 10,
    "test_interval_s": 60,
    "test_grace_s": 10,
    "checkpoint_every": 8,
    "checkpoint_interval_s": 300,
}
SETTLE_LIMIT_MS = 900_000  # after healing, quiescence must come within this (else: broken)


class SimulationError(HotlineError):
    """The simulation itself cannot go on (a machine that never advances its deadline)."""


@dataclass(frozen=True, slots=True)
class SimConfig:
    seed: int
    parties: int = 3
    messages: int = 20
    faults: frozenset[str] = frozenset(FAULTS)

    def __post_init__(self) -> None:
        if not 2 <= self.parties <= len(PARTY_NAMES):
            raise ValueError(f"parties must be 2..{len(PARTY_NAMES)}, got {self.parties}")
        if self.messages < 0:
            raise ValueError(f"messages must be >= 0, got {self.messages}")
        unknown = sorted(self.faults - set(FAULTS))
        if unknown:
            raise ValueError(f"unknown faults {unknown}; choose from {', '.join(FAULTS)}")


@dataclass(slots=True)
class SimResult:
    """The summary of one run. ``broken`` lists every invariant that failed (empty: all held)."""

    seed: int
    parties: int
    messages: int
    faults: list[str]
    sent: int = 0  # notifications committed for sending (all parties)
    expected: int = 0  # honest notifications x honest addressees
    delivered: int = 0
    lost: int = 0
    duplicated: int = 0
    envelopes: int = 0  # chained envelopes, all parties
    resends: int = 0
    acks: int = 0
    acks_overdue: int = 0
    link_tests_missed: int = 0
    crashes: int = 0
    network_messages: int = 0
    network_dropped: int = 0
    network_duplicated: int = 0
    network_delayed: int = 0
    partitions: int = 0
    equivocations_injected: int = 0
    equivocations_detected: int = 0
    equivocation_witnesses: int = 0  # honest parties that saw both envelopes
    equivocation_missed: int = 0  # of those, how many did not report it
    refused_honest: int = 0  # envelopes an honest party refused from an honest party
    refused_hostile: int = 0  # refusals involving the equivocating party (expected)
    chains_consistent: bool = True
    settled: bool = False
    skew_injected_max_ms: int = 0
    skew_measured_max_ms: int = 0
    skew_error_max_ms: int = 0
    skew_pairs_measured: int = 0
    skew_within_bound: bool = True
    simulated_s: float = 0.0
    wall_ms: float = 0.0
    broken: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken

    def to_json(self) -> dict[str, object]:
        """The JSON summary (same seed, same JSON, except ``wall_ms``)."""
        out: dict[str, object] = {name: getattr(self, name) for name in self.__slots__}
        out["ok"] = self.ok
        return out


@dataclass(slots=True)
class _Node:
    driver: Driver
    skew_ms: int
    up: bool = True
    incarnation: int = 0
    wake_at: int | None = None  # true time of the scheduled wake-up
    commit_at: int | None = None
    stuck: int = 0  # consecutive wake-ups that left the deadline in the past
    resent: int = 0  # resends counted by channels that have since crashed
    known_ids: set[bytes] = field(default_factory=set)  # the equivocator's ids at its forked seq


@dataclass(slots=True)
class _Equivocation:
    party: str
    seq: int
    victims: list[str]
    saw_both: set[str] = field(default_factory=set)


class Simulation:
    """One run. Build it, call `run()` once."""

    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.names = sorted(PARTY_NAMES[: config.parties])
        self.configs = sample_configs(self.names, settings=SIM_CHARTER)
        self.net = SimNetwork(self.rng, config.faults)
        self.clock = FakeClock(T0_MS)  # true time; each party's clock is skewed from it
        self._queue: list[tuple[int, int, Callable[[], None]]] = []
        self._counter = 0
        self._in_flight = 0
        self._ops_pending = 0
        self._healed_at: int | None = None
        self._sudden = 0  # crashes between a Persist and its commit
        self.result = SimResult(config.seed, config.parties, config.messages, sorted(config.faults))
        skew = "skew" in config.faults
        self.nodes: dict[str, _Node] = {}
        for name in self.names:
            offset = self.rng.randint(-5_000, 5_000) if skew else 0
            driver = Driver(self.configs[name])
            driver.auto_commit = False
            self.nodes[name] = _Node(driver, offset)
            driver.on_event = self._reaction(name)
        self.equivocator: str | None = None
        if "equivocate" in config.faults and config.messages:
            self.equivocator = self.rng.choice(self.names)
        self.honest = [p for p in self.names if p != self.equivocator]
        self._equivocation: _Equivocation | None = None
        self._equivocate_at = self.rng.randrange(config.messages) if self.equivocator else -1
        self._detected_by: set[str] = set()

    # -- scheduling -------------------------------------------------------------------------

    @property
    def now(self) -> int:
        return self.clock.now_ms

    def _at(self, t: int, action: Callable[[], None]) -> None:
        self._counter += 1
        heapq.heappush(self._queue, (t, self._counter, action))

    def _local(self, node: _Node) -> int:
        return self.now + node.skew_ms

    def run(self) -> SimResult:
        started = time.perf_counter()
        self._plan()
        while self._queue:
            t, _, action = heapq.heappop(self._queue)
            self.clock.jump_to(t)
            action()
            if self._healed_at is not None:
                if self._quiescent():
                    self.result.settled = True
                    break
                if self.now > self._healed_at + SETTLE_LIMIT_MS:
                    break
        self._check()
        self.result.simulated_s = round((self.now - T0_MS) / 1000, 3)
        self.result.wall_ms = round((time.perf_counter() - started) * 1000, 1)
        return self.result

    def _plan(self) -> None:
        """Operators' actions and the fault schedule, all drawn from the seed up front."""
        rng, cfg = self.rng, self.config
        proposer = self.configs[self.names[0]].keys.party
        for name in self.names:
            self._at(self.now, partial(self._start, name, name == proposer))
        span = max(1, cfg.messages) * 1_500
        times = sorted(self.now + 3_000 + rng.randrange(span) for _ in range(cfg.messages))
        for k, t in enumerate(times):
            self._ops_pending += 1
            sender = self.equivocator if k == self._equivocate_at else rng.choice(self.names)
            assert sender is not None
            self._at(t, partial(self._op_notify, sender, k))
        fault_end = self.now + 3_000 + span + 20_000
        if "partition" in cfg.faults:
            for _ in range(rng.randint(1, 2)):
                start = rng.randrange(self.now, fault_end)
                side = set(rng.sample(self.names, rng.randint(1, len(self.names) - 1)))
                links = [(a, b) for a in side for b in self.names if b not in side]
                self.result.partitions += 1
                self._at(start, partial(self._cut, links))
                self._at(start + rng.randrange(2_000, 30_000), partial(self._mend, links))
        if "crash" in cfg.faults:
            for _ in range(rng.randint(1, 2)):
                victim = rng.choice(self.names)
                self._at(rng.randrange(self.now, fault_end), partial(self._crash, victim))
        self._at(fault_end, self._heal)

    # -- actions ----------------------------------------------------------------------------

    def _start(self, name: str, propose: bool) -> None:
        node = self.nodes[name]
        if not node.up:
            return  # it proposes when it restarts
        if propose:
            node.driver.sent(node.driver.channel.propose(self._local(node)), self._local(node))
        self._after(node)

    def _cut(self, links: list[tuple[str, str]]) -> None:
        if self._healed_at is None:
            for a, b in links:
                self.net.cut(a, b)

    def _mend(self, links: list[tuple[str, str]]) -> None:
        for a, b in links:
            self.net.heal(a, b)

    def _heal(self) -> None:
        self.net.heal_all()
        self._healed_at = self.now
        for name, node in self.nodes.items():
            if not node.up:
                self._restart(name)

    def _crash(self, name: str) -> None:
        node = self.nodes[name]
        if not node.up or self._healed_at is not None:
            return
        node.up = False
        node.incarnation += 1
        node.driver.staged = []  # never committed: lost, as in any crash
        node.commit_at = node.wake_at = None
        self.result.crashes += 1
        self._at(self.now + self.rng.randrange(200, 10_000), partial(self._restart, name))

    def _restart(self, name: str) -> None:
        node = self.nodes[name]
        if node.up:
            return
        node.up = True
        node.resent += node.driver.channel.stats.resent
        node.driver.crash(self._local(node))  # restore from the committed store
        node.known_ids = self._stored_fork_ids(node)
        channel = node.driver.channel
        proposer = channel.charter.proposer
        if name == proposer and not channel.own.tip:  # the proposal never reached the store
            self._at(self.now + 100, partial(self._start, name, True))
        elif name != proposer and not channel.own.tip and channel.chains[proposer].durable:
            self._ops_pending += 1
            self._at(self.now + 100, partial(self._op_accept, name))
        for owed in channel.acks.pending():
            if owed.party == name:
                self._ops_pending += 1
                self._at(self.now + 500, partial(self._op_ack, name, owed.ref))
        self._after(node)

    def _deliver(self, src: str, dst: str, raw: bytes) -> None:
        self._in_flight -= 1
        node = self.nodes[dst]
        if not node.up:
            return
        try:
            node.driver.receive(raw, self._local(node))
        except RemoteProtocolError:
            if self.equivocator in (src, dst):
                self.result.refused_hostile += 1
            else:
                self.result.refused_honest += 1
        else:
            self._note_fork_witness(dst, node, src, raw)
        self._after(node)

    def _wake(self, name: str, incarnation: int, t: int) -> None:
        node = self.nodes[name]
        if not node.up or node.incarnation != incarnation or node.wake_at != t:
            return
        node.wake_at = None
        node.driver.tick(self._local(node))
        self._after(node)
        deadline = node.driver.channel.next_deadline()
        if deadline is not None and deadline <= self._local(node):
            node.stuck += 1
            if node.stuck > 1000:
                seed = self.config.seed
                raise SimulationError(f"{name}'s deadline does not advance (seed {seed})")
        else:
            node.stuck = 0

    def _commit(self, name: str, incarnation: int) -> None:
        node = self.nodes[name]
        if not node.up or node.incarnation != incarnation:
            return
        node.commit_at = None
        node.driver.commit(self._local(node))
        self._after(node)

    def _after(self, node: _Node) -> None:
        """After any call into a node: schedule its store commit, send its bytes, set its alarm."""
        name = node.driver.party
        if node.driver.staged and node.commit_at is None:
            if self.net.active("crash") and self._sudden < 2 and self.rng.random() < 0.01:
                self._sudden += 1
                self._crash(name)  # the worst moment: stored nothing of what it just did
                return
            node.commit_at = self.now + self.rng.randrange(1, 6)
            self._at(node.commit_at, partial(self._commit, name, node.incarnation))
        for out in node.driver.outgoing(self._local(node)):
            for at in self.net.arrivals(name, out.to, self.now):
                self._in_flight += 1
                self._at(at, partial(self._deliver, name, out.to, out.raw))
        deadline = node.driver.channel.next_deadline()
        if deadline is not None:
            wake = max(self.now, deadline - node.skew_ms)
            if node.wake_at is None or wake < node.wake_at:
                node.wake_at = wake
                self._at(wake, partial(self._wake, name, node.incarnation, wake))

    # -- operators --------------------------------------------------------------------------

    def _reaction(self, name: str) -> Callable[[Event], None]:
        def react(event: Event) -> None:
            if isinstance(event, CharterProposed):
                self._ops_pending += 1
                self._at(self.now + self.rng.randrange(100, 2_000), partial(self._op_accept, name))
            elif isinstance(event, NotificationReceived) and event.for_us:
                self._ops_pending += 1
                delay = self.rng.randrange(1_000, 20_000)
                self._at(self.now + delay, partial(self._op_ack, name, event.ref))
            elif isinstance(event, EquivocationDetected) and event.party == self.equivocator:
                self._detected_by.add(name)

        return react

    def _retry(self, action: Callable[[], None]) -> None:
        self._at(self.now + 1_000, action)

    def _op_accept(self, name: str) -> None:
        node = self.nodes[name]
        if not node.up:
            return self._retry(partial(self._op_accept, name))
        self._ops_pending -= 1
        if node.driver.channel.own.tip == 0:
            node.driver.sent(node.driver.channel.accept(self._local(node)), self._local(node))
            self._after(node)

    def _op_ack(self, name: str, ref: Ref) -> None:
        node = self.nodes[name]
        if not node.up or not node.driver.channel.opened:
            return self._retry(partial(self._op_ack, name, ref))
        self._ops_pending -= 1
        owed = [o for o in node.driver.channel.acks.pending() if o.party == name and o.ref == ref]
        if owed:
            local = self._local(node)
            node.driver.sent(node.driver.channel.acknowledge(ref, local), local)
            self.result.acks += 1
            self._after(node)

    def _op_notify(self, name: str, k: int) -> None:
        node = self.nodes[name]
        if not node.up or not node.driver.channel.opened:
            return self._retry(partial(self._op_notify, name, k))
        self._ops_pending -= 1
        rng, local = self.rng, self._local(node)
        prec = rng.choice(list(Precedence))
        mark = rng.choices(list(Marking), weights=(8, 1, 1))[0]
        peers = [p for p in self.names if p != name]
        to = None
        if len(peers) > 1 and rng.random() < 0.3:
            to = rng.sample(peers, rng.randint(1, len(peers) - 1))
        body = b'{"type":"free_text","n":%d,"from":"%s"}' % (k, name.encode())
        persist = node.driver.channel.notify(body, local, prec=prec, mark=mark, to=to)
        node.driver.sent(persist, local)
        if name == self.equivocator and k == self._equivocate_at:
            self._equivocate(name, persist.envelope)
        self._after(node)

    def _equivocate(self, name: str, env: Envelope) -> None:
        """Sign a second envelope with the same seq and prev, and send it to some peers."""
        keys = self.configs[name].keys
        body = (env.body or b"") + b" "
        header = msgspec.structs.replace(env.header, blen=len(body), bsha=body_digest(body))
        key_id = hashlib.sha256(keys.node_key.public_key().public_bytes_raw()).digest()
        other = seal(header, body, keys.node_key, key_id)
        peers = [p for p in self.honest if p != name]
        victims = sorted(self.rng.sample(peers, self.rng.randint(1, len(peers))))
        self._equivocation = _Equivocation(name, env.seq, victims)
        self.result.equivocations_injected += 1
        for victim in victims:
            self._in_flight += 1
            at = self.now + self.net.base_ms
            self._at(at, partial(self._deliver, name, victim, other.raw))

    # -- bookkeeping ------------------------------------------------------------------------

    def _note_fork_witness(self, dst: str, node: _Node, src: str, raw: bytes) -> None:
        eq = self._equivocation
        if eq is None or src != eq.party or dst == eq.party:
            return
        key_id, _, header_bytes, _ = split_frame(raw)
        header = parse_header(header_bytes)
        if header.chained and header.seq == eq.seq:
            node.known_ids.add(envelope_id(key_id, header_bytes))
            if len(node.known_ids) >= 2:
                eq.saw_both.add(dst)

    def _stored_fork_ids(self, node: _Node) -> set[bytes]:
        eq = self._equivocation
        if eq is None:
            return set()
        ids: set[bytes] = set()
        for raw in node.driver.store:
            key_id, _, header_bytes, _ = split_frame(raw)
            header = parse_header(header_bytes)
            if header.sender == eq.party and header.chained and header.seq == eq.seq:
                ids.add(envelope_id(key_id, header_bytes))
        return ids

    def _quiescent(self) -> bool:
        if self._in_flight or self._ops_pending:
            return False
        for name in self.honest:
            node = self.nodes[name]
            channel = node.driver.channel
            if not node.up or node.driver.staged or channel.awaiting_store:
                return False
            for peer in self.names:
                if peer == name:
                    continue
                status = channel.peer_status(peer)
                behind = status.durable < self.nodes[peer].driver.channel.own.durable
                if behind and status.fork is None:  # the equivocator's: all of it, or the fork
                    return False
                if peer in self.honest and (status.receipted < channel.own.durable or status.held):
                    return False
        return True

    def _check(self) -> None:
        r = self.result
        r.network_messages = self.net.stats.messages
        r.network_dropped = self.net.stats.dropped + self.net.stats.partitioned
        r.network_duplicated = self.net.stats.duplicated
        r.network_delayed = self.net.stats.delayed
        channels = {name: node.driver.channel for name, node in self.nodes.items()}
        for name, node in self.nodes.items():
            r.envelopes += channels[name].own.durable
            r.resends += channels[name].stats.resent + node.resent
            r.acks_overdue += len(node.driver.of_type(AckOverdue))
            r.link_tests_missed += len(node.driver.of_type(LinkTestMissed))
        self._check_delivery()
        for sender in self.honest:
            own = channels[sender].own
            for holder in self.honest:
                if holder != sender:
                    chain = channels[holder].chains[sender]
                    if chain.ids[: chain.durable] != own.ids[: own.durable]:
                        r.chains_consistent = False
        self._check_skew()
        eq = self._equivocation
        if eq is not None:
            r.equivocations_detected = int(bool(self._detected_by & set(self.honest)))
            r.equivocation_witnesses = len(eq.saw_both)
            r.equivocation_missed = len(eq.saw_both - self._detected_by)
        if r.lost:
            r.broken.append(f"lost {r.lost} notification deliveries")
        if r.duplicated:
            r.broken.append(f"duplicated {r.duplicated} notification deliveries")
        if not r.chains_consistent:
            r.broken.append("honest parties hold different chains for an honest sender")
        if r.equivocation_missed:
            r.broken.append(f"{r.equivocation_missed} party(ies) saw both envelopes, no alarm")
        if r.refused_honest:
            r.broken.append(f"{r.refused_honest} honest envelope(s) refused by honest parties")
        if not r.skew_within_bound:
            r.broken.append("a clock skew estimate is outside its own error bound")
        if not r.settled:
            r.broken.append("the channel did not become quiescent after every fault healed")

    def _check_delivery(self) -> None:
        r = self.result
        stored: dict[str, dict[bytes, int]] = {}
        for name, node in self.nodes.items():
            counts: dict[bytes, int] = {}
            for raw, role in zip(node.driver.store, node.driver.roles, strict=True):
                if role is Role.PEER:
                    key_id, _, header_bytes, _ = split_frame(raw)
                    eid = envelope_id(key_id, header_bytes)
                    counts[eid] = counts.get(eid, 0) + 1
            stored[name] = counts
        events: dict[str, dict[bytes, int]] = {}
        for name, node in self.nodes.items():
            seen: dict[bytes, int] = {}
            for event in node.driver.of_type(NotificationReceived):
                seen[event.envelope.id] = seen.get(event.envelope.id, 0) + 1
            events[name] = seen
        for sender, node in self.nodes.items():
            for raw, role in zip(node.driver.store, node.driver.roles, strict=True):
                if role is not Role.OWN:
                    continue
                key_id, _, header_bytes, _ = split_frame(raw)
                header = parse_header(header_bytes)
                if header.kind != Kind.NOTIFICATION:
                    continue
                r.sent += 1
                if sender not in self.honest:
                    continue
                eid = envelope_id(key_id, header_bytes)
                for recipient in header.to or [p for p in self.names if p != sender]:
                    if recipient not in self.honest:
                        continue
                    r.expected += 1
                    copies = max(stored[recipient].get(eid, 0), events[recipient].get(eid, 0))
                    if copies == 0:
                        r.lost += 1
                    elif copies > 1:
                        r.duplicated += 1
                    if copies:
                        r.delivered += 1

    def _check_skew(self) -> None:
        r = self.result
        for name in self.honest:
            node = self.nodes[name]
            for peer in self.honest:
                if peer == name:
                    continue
                status = node.driver.channel.peer_status(peer)
                if status.skew_ms is None or status.rtt_ms is None:
                    continue
                truth = self.nodes[peer].skew_ms - node.skew_ms
                error = abs(status.skew_ms - truth)
                r.skew_pairs_measured += 1
                r.skew_injected_max_ms = max(r.skew_injected_max_ms, abs(truth))
                r.skew_measured_max_ms = max(r.skew_measured_max_ms, abs(status.skew_ms))
                r.skew_error_max_ms = max(r.skew_error_max_ms, error)
                if error > status.rtt_ms // 2 + 1:
                    r.skew_within_bound = False


def run_simulation(config: SimConfig) -> SimResult:
    """Run one simulation to quiescence and check its invariants."""
    return Simulation(config).run()


__all__ = [
    "SIM_CHARTER",
    "SimConfig",
    "SimResult",
    "Simulation",
    "SimulationError",
    "run_simulation",
]
