"""Any interleaving of sends, losses, duplicates, reorderings, commits, crashes and time ends
the same way once the link heals: every notification stored exactly once by each addressee,
identical chains everywhere, and a restart from the store rebuilds the same durable state."""

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.protocol.channel import Channel
from hotline.protocol.envelope import Kind, open_envelope
from hotline.protocol.events import NotificationReceived, Role
from hotline.protocol.types import Precedence
from hotline.testing.clock import FakeClock
from hotline.testing.driver import Driver
from hotline.testing.parties import sample_configs

PARTIES = ("RU", "UA", "US")
CONFIGS = sample_configs(PARTIES, settings={"checkpoint_every": 5})


@dataclass
class World:
    clock: FakeClock = field(default_factory=FakeClock)
    drivers: dict[str, Driver] = field(default_factory=dict)
    wire: list[tuple[str, str, bytes]] = field(default_factory=list)  # (from, to, raw)

    def pump(self, name: str) -> None:
        for out in self.drivers[name].outgoing(self.clock.now_ms):
            self.wire.append((name, out.to, out.raw))

    def deliver(self, i: int, *, keep: bool = False) -> None:
        _src, dst, raw = self.wire[i] if keep else self.wire.pop(i)
        self.drivers[dst].receive(raw, self.clock.now_ms)  # honest bytes: never refused
        self.pump(dst)

    def tick(self, ms: int) -> None:
        self.clock.advance(ms)
        for name, d in self.drivers.items():
            deadline = d.channel.next_deadline()
            if deadline is not None and deadline <= self.clock.now_ms:
                d.tick(self.clock.now_ms)
            self.pump(name)


def opened_world() -> World:
    world = World()
    for name, config in CONFIGS.items():
        d = Driver(config)
        world.drivers[name] = d
        now = world.clock.now_ms
        d.sent(d.channel.propose(now) if name == "RU" else d.channel.accept(now), now)
        world.pump(name)
    heal(world)
    for d in world.drivers.values():
        d.auto_commit = False
    return world


def heal(world: World) -> None:
    """Commit everything, deliver everything, let time pass until nothing is in flight."""
    for _ in range(200):
        for name, d in world.drivers.items():
            d.commit(world.clock.now_ms)
            world.pump(name)
        while world.wire:
            world.deliver(0)
            for name, d in world.drivers.items():
                d.commit(world.clock.now_ms)
                world.pump(name)
        if all(settled(world, name) for name in world.drivers):
            return
        world.tick(1_000)
    raise AssertionError("did not settle")


def settled(world: World, name: str) -> bool:
    channel = world.drivers[name].channel
    return channel.settled() and all(
        channel.peer_status(p).durable == world.drivers[p].channel.own.durable
        for p in channel.peers
    )


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("notify"), st.sampled_from(PARTIES), st.sampled_from(list(Precedence))),
        st.tuples(st.just("deliver"), st.integers(0, 50), st.booleans()),
        st.tuples(st.just("drop"), st.integers(0, 50)),
        st.tuples(st.just("commit"), st.sampled_from(PARTIES)),
        st.tuples(st.just("crash"), st.sampled_from(PARTIES)),
        st.tuples(st.just("tick"), st.integers(0, 30_000)),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_any_interleaving_heals_to_exactly_once(ops: list[tuple[object, ...]]) -> None:
    world = opened_world()
    for op in ops:
        kind = op[0]
        if kind == "notify":
            d = world.drivers[str(op[1])]
            prec = op[2]
            assert isinstance(prec, Precedence)
            d.sent(d.channel.notify(b"n", world.clock.now_ms, prec=prec), world.clock.now_ms)
            world.pump(d.party)
        elif kind == "deliver" and world.wire:
            assert isinstance(op[1], int)
            world.deliver(op[1] % len(world.wire), keep=bool(op[2]))
        elif kind == "drop" and world.wire:
            assert isinstance(op[1], int)
            world.wire.pop(op[1] % len(world.wire))
        elif kind == "commit":
            world.drivers[str(op[1])].commit(world.clock.now_ms)
            world.pump(str(op[1]))
        elif kind == "crash":
            world.drivers[str(op[1])].crash(world.clock.now_ms)
            world.pump(str(op[1]))
        elif kind == "tick":
            assert isinstance(op[1], int)
            world.tick(op[1])
    heal(world)
    check_exactly_once(world)
    check_restore_rebuilds(world)


def check_exactly_once(world: World) -> None:
    for name, d in world.drivers.items():
        own = d.channel.own
        for peer, other in world.drivers.items():
            if peer != name:
                chain = other.channel.chains[name]
                assert chain.ids[: chain.durable] == own.ids[: own.durable]
        for raw, role in zip(d.store, d.roles, strict=True):
            if role is not Role.OWN:
                continue
            env = open_envelope(raw, d.config.members)
            if env.header.kind != Kind.NOTIFICATION:
                continue
            for peer in d.channel.peers:
                other = world.drivers[peer]
                stored = [r for r, ro in zip(other.store, other.roles, strict=True)
                          if ro is Role.PEER and r == raw]  # fmt: skip
                told = [e for e in other.of_type(NotificationReceived) if e.envelope.raw == raw]
                assert (len(stored), len(told)) == (1, 1), f"{name} seq {env.seq} at {peer}"


def check_restore_rebuilds(world: World) -> None:
    now = world.clock.now_ms
    for d in world.drivers.values():
        live = d.channel
        again = Channel.restore(d.config, d.store, now)
        assert again.own.ids == live.own.ids
        assert again.opened == live.opened
        for peer in live.peers:
            a, b = again.peer_status(peer), live.peer_status(peer)
            assert (a.durable, a.receipted, a.fork) == (b.durable, b.receipted, b.fork)
        assert [(o.ref, o.party) for o in again.acks.pending()] == [
            (o.ref, o.party) for o in live.acks.pending()
        ]
