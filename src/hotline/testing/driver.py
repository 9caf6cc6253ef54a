"""A minimal, honest driver for one Channel: what a node must do, with a list as its store.

It stores what `Persist` asks for (``store`` is the durable list, in storage order), confirms
OWN/PEER envelopes with `persisted`, and keeps every event for the test to read. A crash drops
whatever was staged but not committed and restarts the channel from ``store`` with
`Channel.restore`, exactly as a node restarting from its database would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from hotline.protocol.channel import Channel, ChannelConfig
from hotline.protocol.events import Event, Outgoing, Persist, Role

E = TypeVar("E", bound=Event)


class Driver:
    """One party's node, reduced to the protocol's contract."""

    def __init__(self, config: ChannelConfig, channel: Channel | None = None) -> None:
        self.config = config
        self.channel = channel or Channel(config)
        self.store: list[bytes] = []  # committed, in storage order
        self.roles: list[Role] = []  # the role of each stored envelope
        self.staged: list[Persist] = []  # asked for, not yet committed
        self.events: list[Event] = []  # everything the application saw, in order
        self.auto_commit = True  # commit staged writes at once (tests); the sim decides itself
        self.on_event: Callable[[Event], None] | None = None

    @property
    def party(self) -> str:
        return self.channel.me

    def handle(self, events: list[Event], now: int) -> list[Event]:
        """Take events from any channel call: stage stores, keep the rest, commit if automatic."""
        for event in events:
            if isinstance(event, Persist):
                self.staged.append(event)
            self.events.append(event)
            if self.on_event is not None:
                self.on_event(event)
        if self.auto_commit:
            self.commit(now)
        return events

    def commit(self, now: int) -> None:
        """The store commits everything staged (in order), then the channel is told."""
        while self.staged:
            batch, self.staged = self.staged, []
            self.store.extend(p.envelope.raw for p in batch)
            self.roles.extend(p.role for p in batch)
            confirm = [p.envelope.id for p in batch if p.role in (Role.OWN, Role.PEER)]
            if confirm:
                self.handle(self.channel.persisted(confirm, now), now)

    def crash(self, now: int) -> None:
        """Lose everything not committed; restart from the store."""
        self.staged = []
        self.channel = Channel.restore(self.config, self.store, now)

    def receive(self, raw: bytes, now: int) -> list[Event]:
        return self.handle(self.channel.receive(raw, now), now)

    def tick(self, now: int) -> list[Event]:
        return self.handle(self.channel.on_timer(now), now)

    def sent(self, persist: Persist | list[Persist], now: int) -> list[Event]:
        """Hand the Persist(s) returned by send/notify/propose/accept to the store."""
        return self.handle(list(persist) if isinstance(persist, list) else [persist], now)

    def outgoing(self, now: int) -> list[Outgoing]:
        return self.channel.data_to_send(now)

    def of_type(self, kind: type[E]) -> list[E]:
        """The events of one type seen so far, in order."""
        return [e for e in self.events if isinstance(e, kind)]


__all__ = ["Driver"]
