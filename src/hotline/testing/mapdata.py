"""The map's volumes computed the slow, obvious way: the reference the cached map endpoint is
tested and benchmarked against."""

from __future__ import annotations

from hotline.catalogue import InvalidNotificationError, decode_body, volumes
from hotline.console.lineage import lineage_of
from hotline.console.mapdata import MapVolume
from hotline.node.runtime import Node
from hotline.node.views import messages

__all__ = ["decoding_every_message"]


def decoding_every_message(node: Node, lang: str) -> list[MapVolume]:
    """The map's volumes as the node computed them before the cache: every message of every
    channel decoded on each call, those no longer in force left out."""
    found: list[MapVolume] = []
    now = node.clock_ms()
    for cid, slot in list(node.slots.items()):
        held = messages(node.store, slot.channel, now, limit=100_000)
        lineage = lineage_of((m.sender, m.seq, m.body) for m in held)
        for message in held:
            if message.body is None or not lineage.in_force(message.sender, message.seq):
                continue
            try:
                notification = decode_body(message.body.encode())
            except InvalidNotificationError:
                continue
            message_id = f"{message.sender}-{message.seq:04d}"
            drawn = volumes(notification, message_id=message_id, party=message.sender, lang=lang)
            for feature in drawn:
                found.append(
                    MapVolume(channel=cid, mark=message.mark, prec=message.prec, feature=feature)
                )
    return found
