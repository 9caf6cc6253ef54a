"""The engine's volumes from the channels' notifications: what is notified, as amended.

Every notification stored in an open channel (sent or received) whose body has areas
(``hotline.catalogue.volumes``) gives the screener its volumes, with their altitude bands and
time windows. An amendment or a supersession replaces the volumes of the notification it
references (and of whatever had already replaced that one); a cancellation removes them (an
amendment sent after a cancellation puts the activity back, as amended: screening errs on the
side of a volume too many). A
reference is honoured only when it names a notification of the same sender: no party can
withdraw another party's notified areas from this node's picture.

Markings: TEST notifications never feed the engine (they check the link, they notify nothing);
EXERCISE ones do, and every alert they cause is marked EXERCISE (:meth:`NotifiedVolumes.mark_of`).
See docs/decisions.md section 15.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from hotline.catalogue import (
    Amendment,
    Cancellation,
    InvalidNotificationError,
    MessageRef,
    Notification,
    Supersession,
    decode_body,
    may_have_volumes,
    volumes,
)
from hotline.engine import Volume, VolumeFormatError, volume_from_json
from hotline.storage.picture_store import MessageKey, NotifiedMessage

__all__ = ["NotifiedMessage", "NotifiedVolumes", "VolumeChange", "volume_id"]

log = logging.getLogger("hotline.picture")


def volume_id(channel: str, message_id: str) -> str:
    """The engine's id of a notification's volumes: the message id and the channel's first
    eight hex digits (message numbers repeat across channels)."""
    return f"{message_id}@{channel[:8]}"


@dataclass(slots=True)
class VolumeChange:
    """What one batch of notifications changes in the screener's volumes."""

    added: list[Volume] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


class NotifiedVolumes:
    """The volumes in force, by notification, with the lineage of amendments and cancellations.

    Not thread-safe: the picture calls it from one thread at a time.
    """

    def __init__(self) -> None:
        self._volumes: dict[str, list[Volume]] = {}  # volume id -> the message's volumes
        self._marks: dict[str, str] = {}  # volume id -> REAL | EXERCISE
        self._successor: dict[MessageKey, MessageKey] = {}  # replaced or cancelled -> by whom

    def __len__(self) -> int:
        return sum(len(v) for v in self._volumes.values())

    def volumes(self) -> list[Volume]:
        return [v for found in self._volumes.values() for v in found]

    def mark_of(self, volume: str) -> str:
        """The marking of the notification behind a volume id (REAL if unknown)."""
        return self._marks.get(volume, "REAL")

    def apply(self, messages: Iterable[NotifiedMessage]) -> VolumeChange:
        """Take notifications in storage order; returns the volumes added and the ids removed
        (an id both removed and added again is in both: remove first, then add)."""
        change = VolumeChange()
        added: dict[str, list[Volume]] = {}
        for message in messages:
            if message.mark == "TEST" or not may_have_volumes(message.body):
                continue  # (most traffic is free text, RFIs, replies: not decoded at all)
            notification = _decode(message)
            if notification is None:
                continue
            target = _target(notification, message.sender)
            if target is not None:
                gone = self._replace((message.channel, str(target)), message.key)
                if gone is not None:
                    change.removed.add(gone)
                    added.pop(gone, None)
            if message.key in self._successor or isinstance(notification, Cancellation):
                continue
            found = _volumes_of(notification, message)
            if found:
                vid = found[0].id
                self._volumes[vid] = found
                self._marks[vid] = message.mark
                added[vid] = found
        change.added = [v for found in added.values() for v in found]
        return change

    def expire(self, now_s: float) -> set[str]:
        """Forget the volumes whose every time window has ended by ``now_s``; returns their ids.

        (The engine already ignores a volume outside its window; this keeps the index small.)
        """
        ended = {
            vid for vid, found in self._volumes.items() if all(v.end_s <= now_s for v in found)
        }
        for vid in ended:
            del self._volumes[vid]
        return ended

    def _replace(self, target: MessageKey, by: MessageKey) -> str | None:
        """Record that ``by`` replaces ``target`` (or what already replaced it); return the
        volume id that leaves the screener, if any."""
        seen = {target}
        while target in self._successor:
            target = self._successor[target]
            if target in seen or target == by:
                return None  # a loop of references: ignore it
            seen.add(target)
        self._successor[target] = by
        gone = volume_id(*target)
        if self._volumes.pop(gone, None) is None:
            return None
        return gone


def _decode(message: NotifiedMessage) -> Notification | None:
    try:
        return decode_body(message.body)
    except InvalidNotificationError:
        return None  # the inbox shows it as undecodable; nothing to screen


def _target(notification: Notification, sender: str) -> MessageRef | None:
    """The notification this one amends, supersedes or cancels, if it is the sender's own."""
    if isinstance(notification, Amendment):
        ref = notification.amends
    elif isinstance(notification, Supersession):
        ref = notification.supersedes
    elif isinstance(notification, Cancellation):
        ref = notification.cancels
    else:
        return None
    if ref.party != sender:
        log.warning("%s refers to %s, not its own: not applied to the picture", sender, ref)
        return None
    return ref


def _volumes_of(notification: Notification, message: NotifiedMessage) -> list[Volume]:
    vid = volume_id(message.channel, message.message_id)
    found: list[Volume] = []
    for feature in volumes(notification, message_id=vid, party=message.sender):
        if feature.geometry.type == "Point" and not feature.properties.radius_m:
            continue  # a bare position (an incident's place): nothing can enter it
        try:
            found.append(volume_from_json(feature.model_dump(mode="json")))
        except VolumeFormatError as exc:
            log.warning("volume of %s not screened: %s", vid, exc)
    return found
