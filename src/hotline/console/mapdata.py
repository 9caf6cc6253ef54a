"""What the map draws: notified volumes from every channel's notifications (the catalogue's
``volumes()``, docs/decisions.md section 2), with tracks and alerts to be filled by the engine.

Each volume keeps its message's marking beside the GeoJSON Feature, so TEST and EXERCISE
volumes are never drawn as real ones.

Only notifications still in force are drawn: one amended, superseded or cancelled leaves the
map (``console.lineage``, the same rules as the engine's feed).

Stored envelopes never change, so each message's volumes are decoded once: a
:class:`MapVolumeCache` keeps them per channel and language with the channel's lineage, and a
call reads only what was stored since the last one (docs/decisions.md section 19).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel

from hotline.catalogue import (
    Feature,
    InvalidNotificationError,
    decode_body,
    may_have_volumes,
    volumes,
)
from hotline.console.lineage import Lineage
from hotline.node.runtime import Node
from hotline.protocol.envelope import Kind, parse_header, split_frame
from hotline.storage.store import Role, StoredEnvelope

if TYPE_CHECKING:
    from hotline.node.picture import Picture

__all__ = ["AlertOut", "MapLayers", "MapVolume", "MapVolumeCache", "TrackOut", "map_layers"]

_DRAWN_KINDS = (Kind.NOTIFICATION, Kind.REPLY)  # what the inbox lists as operator messages
_DRAWN_ROLES = (Role.OWN, Role.PEER)


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


@dataclass(slots=True)
class _Drawn:
    """One channel's volumes in one language, up to the envelope stored as ``n``, each with its
    message (sender, seq), and the lineage of those messages."""

    n: int = 0
    volumes: list[tuple[str, int, MapVolume]] = field(default_factory=list)
    lineage: Lineage = field(default_factory=Lineage)


class MapVolumeCache:
    """Every channel's map volumes, decoded once per stored message. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._drawn: dict[tuple[str, str], _Drawn] = {}  # (channel, lang) -> volumes so far

    def volumes(self, node: Node, lang: str = "en") -> list[MapVolume]:
        """The volumes in force of every channel of ``node``, in channel then storage order."""
        found: list[MapVolume] = []
        with self._lock:
            for cid in list(node.slots):
                drawn = self._drawn.setdefault((cid, lang), _Drawn())
                fresh = [e for e in node.store.envelopes(cid, after_n=drawn.n) if _drawn(e)]
                drawn.lineage.extend((e.sender, e.seq, split_frame(e.raw)[3]) for e in fresh)
                for env in fresh:
                    drawn.volumes += [(env.sender, env.seq, v) for v in _volumes_of(cid, env, lang)]
                if fresh:
                    drawn.n = fresh[-1].n
                in_force = drawn.lineage.in_force
                found += [v for sender, seq, v in drawn.volumes if in_force(sender, seq)]
        return found


def _drawn(env: StoredEnvelope) -> bool:
    """An operator message (what the inbox lists): the only envelopes that draw or amend."""
    return env.kind in _DRAWN_KINDS and env.role in _DRAWN_ROLES


def _volumes_of(cid: str, env: StoredEnvelope, lang: str) -> list[MapVolume]:
    """The volumes one operator message draws: none unless its body is a catalogue
    notification with areas."""
    _, _, header_bytes, body = split_frame(env.raw)
    if not body or not may_have_volumes(body):
        return []
    try:
        body.decode("utf-8")
        notification = decode_body(body)
    except (UnicodeDecodeError, InvalidNotificationError):
        return []  # shown in the inbox as undecodable; nothing to draw
    header = parse_header(header_bytes)
    assert header.prec is not None  # operator messages carry both
    assert header.mark is not None
    message_id = f"{env.sender}-{env.seq:04d}"
    drawn = volumes(notification, message_id=message_id, party=env.sender, lang=lang)
    prec, mark = header.prec.value, header.mark.value
    return [MapVolume(channel=cid, mark=mark, prec=prec, feature=f) for f in drawn]


def map_layers(
    node: Node,
    lang: str = "en",
    picture: Picture | None = None,
    cache: MapVolumeCache | None = None,
) -> MapLayers:
    """Every notified volume this node holds (sent and received), and the picture's tracks and
    alerts. Without ``cache`` every message is decoded again. Blocking: run in a thread."""
    found = (cache or MapVolumeCache()).volumes(node, lang)
    if picture is None:
        return MapLayers(volumes=found, tracks=[], alerts=[])
    from hotline.node.picture import alert_out  # picture builds on this module's types

    alerts = [alert_out(a, picture.mark_of(a)) for a in picture.alerts()]
    return MapLayers(volumes=found, tracks=picture.tracks(), alerts=alerts)
