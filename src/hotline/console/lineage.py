"""Which notifications of a channel are still in force, and what amended, superseded or
cancelled the others.

The same rules as the engine's feed (``hotline.node.volume_feed``, docs/decisions.md
section 15), so the cards, the map and the picture agree: a reference counts only when it names
the sender's own notification; a message that references one already replaced replaces the
newest one in its line (a chain of amendments all naming the original works); a loop of
references is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from hotline.catalogue import (
    Amendment,
    Cancellation,
    InvalidNotificationError,
    MessageRef,
    Notification,
    Supersession,
    decode_body,
)

__all__ = ["Lineage", "Successor", "lineage_of", "target_of"]

Change = Literal["amended", "superseded", "cancelled"]
Key = tuple[str, int]  # (party, message number)
_REFERENCING = (b'"amends":', b'"supersedes":', b'"cancels":')


@dataclass(frozen=True)
class Successor:
    """What replaced a notification: ``change`` by the message ``party``-``seq``."""

    change: Change
    party: str
    seq: int

    @property
    def message_id(self) -> str:
        return f"{self.party}-{self.seq:04d}"


@dataclass
class Lineage:
    successor: dict[Key, Successor] = field(default_factory=dict)

    def in_force(self, party: str, seq: int) -> bool:
        return (party, seq) not in self.successor

    def replaced_by(self, party: str, seq: int) -> Successor | None:
        return self.successor.get((party, seq))

    def extend(self, messages: Iterable[tuple[str, int, str | bytes | None]]) -> None:
        """Take more of the channel's messages ``(sender, seq, body)``, in storage order. Only
        bodies that can reference (amendments, supersessions, cancellations) are decoded."""
        for sender, seq, body in messages:
            raw = body.encode() if isinstance(body, str) else body
            if raw is None or not any(word in raw for word in _REFERENCING):
                continue
            try:
                found = target_of(decode_body(raw))
            except InvalidNotificationError:
                continue
            if found is None or found[1].party != sender:
                continue  # nobody withdraws another party's notification
            self._replace(found[0], (found[1].party, found[1].number), (sender, seq))

    def _replace(self, change: Change, target: Key, by: Key) -> None:
        """``by`` replaces ``target``, or the newest one in its line (a loop is ignored)."""
        seen = {target}
        while target in self.successor:
            after = self.successor[target]
            target = (after.party, after.seq)
            if target in seen or target == by:
                return
            seen.add(target)
        if target != by:
            self.successor[target] = Successor(change, *by)


def target_of(notification: Notification) -> tuple[Change, MessageRef] | None:
    """The notification this one amends, supersedes or cancels, and how."""
    if isinstance(notification, Amendment):
        return "amended", notification.amends
    if isinstance(notification, Supersession):
        return "superseded", notification.supersedes
    if isinstance(notification, Cancellation):
        return "cancelled", notification.cancels
    return None


def lineage_of(messages: Iterable[tuple[str, int, str | bytes | None]]) -> Lineage:
    """The lineage of a channel's messages ``(sender, seq, body)``, in storage order."""
    lineage = Lineage()
    lineage.extend(messages)
    return lineage
