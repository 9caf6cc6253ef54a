"""What the map draws: notified volumes from every channel's notifications (the catalogue's
``volumes()``, docs/decisions.md section 2), with tracks and alerts to be filled by the engine.
Only notifications in force are drawn: an amended one by its amendment, a cancelled one not at
all (``console.lineage``, the engine's own rules).

Each volume keeps its message's marking beside the GeoJSON Feature, so TEST and EXERCISE
volumes are never drawn as real ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from hotline.catalogue import Feature, InvalidNotificationError, decode_body, volumes
from hotline.console.lineage import lineage_of
from hotline.node.runtime import Node

if TYPE_CHECKING:
    from hotline.node.picture import Picture
from hotline.node.views import messages

__all__ = ["AlertOut", "MapLayers", "MapVolume", "TrackOut", "map_layers"]


class MapVolume(BaseModel):
    channel: str
    mark: str  # REAL | EXERCISE | TEST
    prec: str
    feature: Feature


class TrackOut(BaseModel):
    id: str
    party: str
    label: str
    coordinates: tuple[float, float]  # lon, lat
    alt_ft: float | None = None
    at: str  # ISO 8601 UTC


class AlertOut(BaseModel):
    id: str
    kind: str  # proximity | incursion | overlap
    text: str
    coordinates: tuple[tuple[float, float], ...]  # e.g. the two positions at closest approach
    mark: str = "REAL"


class MapLayers(BaseModel):
    volumes: list[MapVolume]
    tracks: list[TrackOut]
    alerts: list[AlertOut]


def map_layers(node: Node, lang: str = "en", picture: Picture | None = None) -> MapLayers:
    """Every notified volume this node holds (sent and received), and the picture's tracks and
    alerts. Blocking: run in a thread."""
    found: list[MapVolume] = []
    now = node.clock_ms()
    for cid, slot in list(node.slots.items()):
        held = messages(node.store, slot.channel, now, limit=100_000)
        lineage = lineage_of((m.sender, m.seq, m.body) for m in held)  # only what is in force
        for message in held:
            if message.body is None or not lineage.in_force(message.sender, message.seq):
                continue
            try:
                notification = decode_body(message.body.encode())
            except InvalidNotificationError:
                continue  # shown in the inbox as undecodable; nothing to draw
            message_id = f"{message.sender}-{message.seq:04d}"
            drawn = volumes(notification, message_id=message_id, party=message.sender, lang=lang)
            for feature in drawn:
                found.append(
                    MapVolume(channel=cid, mark=message.mark, prec=message.prec, feature=feature)
                )
    if picture is None:
        return MapLayers(volumes=found, tracks=[], alerts=[])
    from hotline.node.picture import alert_out  # picture builds on this module's types

    alerts = [alert_out(a, picture.mark_of(a)) for a in picture.alerts()]
    return MapLayers(volumes=found, tracks=picture.tracks(), alerts=alerts)
