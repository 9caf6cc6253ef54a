"""The node's picture in its store: the latest state of each track, and the engine's alerts.

Written in batches by the picture's keeper (one upsert per chunk of rows, a few thousand rows
per transaction so that envelope appends are never held behind a long write), read once at
start. Alerts are kept whole as their JSON (pydantic, the engine's own model) beside the
columns a query needs; cleared alerts stay, with their status, as the record of what was seen.

Also reads the notifications to screen (``notifications_after``): one query over every open
channel, by storage order, so the picture follows new traffic with one cheap query a tick.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Engine, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hotline.engine import Alert, Domain, TrackState
from hotline.protocol.envelope import split_frame
from hotline.storage import schema

__all__ = ["MessageKey", "NotifiedMessage", "PictureStore"]

log = logging.getLogger("hotline.picture")

CHUNK_ROWS = 5_000

MessageKey = tuple[str, str]  # (channel id, message id such as "US-0042")


@dataclass(frozen=True, slots=True)
class NotifiedMessage:
    """A stored notification as the feed needs it: where it is, who sent it, its marking and
    its body (catalogue JSON bytes, not yet decoded)."""

    channel: str
    sender: str
    seq: int
    mark: str  # REAL | EXERCISE | TEST
    body: bytes

    @property
    def message_id(self) -> str:
        return f"{self.sender}-{self.seq:04d}"

    @property
    def key(self) -> MessageKey:
        return self.channel, self.message_id


class PictureStore:
    """Tracks and alerts of the picture, on the node's store engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save_tracks(self, states: Sequence[TrackState]) -> None:
        rows = [
            {
                "id": s.id,
                "party": s.party,
                "time_s": s.time_s,
                "lon": s.lon,
                "lat": s.lat,
                "alt_ft": s.alt_ft,
                "speed_kt": s.speed_kt,
                "course_deg": s.course_deg,
                "vrate_fpm": s.vrate_fpm,
                "domain": s.domain.value,
                "callsign": s.callsign,
                "source": s.source,
            }
            for s in states
        ]
        self._upsert(schema.picture_tracks, rows)

    def save_alerts(self, alerts: Sequence[Alert]) -> None:
        rows = [
            {
                "id": a.id,
                "kind": a.kind.value,
                "status": a.status.value,
                "raised_ms": int(a.raised_at.timestamp() * 1000),
                "updated_ms": int(a.updated_at.timestamp() * 1000),
                "alert": a.model_dump_json(),
            }
            for a in alerts
        ]
        self._upsert(schema.picture_alerts, rows)

    def tracks(self) -> list[TrackState]:
        t = schema.picture_tracks
        with self.engine.connect() as conn:
            rows = conn.execute(select(t)).all()
        return [
            TrackState(
                id=r.id,
                party=r.party,
                time_s=r.time_s,
                lon=r.lon,
                lat=r.lat,
                alt_ft=r.alt_ft,
                speed_kt=r.speed_kt,
                course_deg=r.course_deg,
                vrate_fpm=r.vrate_fpm,
                domain=Domain(r.domain),
                callsign=r.callsign,
                source=r.source,
            )
            for r in rows
        ]

    def alerts(self, *, active_only: bool = False) -> list[Alert]:
        """Stored alerts, oldest first."""
        t = schema.picture_alerts
        query = select(t.c.alert).order_by(t.c.raised_ms, t.c.id)
        if active_only:
            query = query.where(t.c.status == "active")
        with self.engine.connect() as conn:
            texts = conn.execute(query).scalars().all()
        found = []
        for text in texts:
            try:
                found.append(Alert.model_validate_json(text))
            except ValidationError as exc:  # one unreadable row must not cost the others
                log.error("a stored alert could not be read back and is left out: %s", exc)
        return found

    def notifications_after(
        self, after_n: int, limit: int = 2_000
    ) -> list[tuple[int, NotifiedMessage]]:
        """Notifications (sent and received) of active channels stored after ``after_n``, in
        storage order, each with its ``n``."""
        e, c = schema.envelopes, schema.channels
        query = (
            select(e.c.n, e.c.channel_id, e.c.sender, e.c.seq, e.c.mark, e.c.raw)
            .join(c, c.c.id == e.c.channel_id)
            .where(
                e.c.n > after_n,
                e.c.kind == "notification",
                e.c.role.in_(("own", "peer")),
                c.c.state == "active",
            )
            .order_by(e.c.n)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            (
                int(r.n),
                NotifiedMessage(
                    channel=r.channel_id,
                    sender=r.sender,
                    seq=int(r.seq),
                    mark=r.mark or "REAL",
                    body=split_frame(bytes(r.raw))[3],
                ),
            )
            for r in rows
        ]

    def all_notifications(self) -> Iterator[NotifiedMessage]:
        cursor = 0
        while True:
            found = self.notifications_after(cursor)
            for n, message in found:
                cursor = n
                yield message
            if not found:
                return

    def _upsert(self, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
        if not rows:
            return
        factory = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        stmt = factory(table)
        keys = {col.name for col in table.primary_key.columns}
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys),
            set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys},
        )
        for start in range(0, len(rows), CHUNK_ROWS):
            with self.engine.begin() as conn:
                conn.execute(stmt, list(rows[start : start + CHUNK_ROWS]))
