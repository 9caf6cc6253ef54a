"""The SQL store: one implementation over SQLAlchemy Core, for SQLite and (later) PostgreSQL.

Only portable Core constructs are used; dialect differences live in the engine factories
(`storage.sqlite`) and in `_insert_ignore` below.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Connection, Engine, Executable, Table, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from hotline.storage import schema
from hotline.storage.store import (
    ChainConflictError,
    ChannelRecord,
    ChannelState,
    NewEnvelope,
    PeerRecord,
    Role,
    StoredEnvelope,
    StoreError,
)


class SqlStore:
    """A `Store` over a SQLAlchemy engine whose schema is at the latest migration."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # channels ------------------------------------------------------------------------------

    def add_channel(self, record: ChannelRecord) -> None:
        with self.engine.begin() as conn:
            existing = conn.execute(
                select(schema.channels.c.charter).where(schema.channels.c.id == record.id)
            ).first()
            if existing is not None:
                if existing.charter != record.charter:  # impossible unless SHA-256 broke
                    raise StoreError(f"channel {record.id[:12]} exists with another charter")
                return
            conn.execute(
                insert(schema.channels).values(
                    id=record.id,
                    name=record.name,
                    charter=record.charter,
                    my_party=record.my_party,
                    state=record.state.value,
                    created_ms=record.created_ms,
                )
            )

    def set_channel_state(self, channel_id: str, state: ChannelState) -> None:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(schema.channels)
                .where(schema.channels.c.id == channel_id)
                .values(state=state.value)
            )
            if result.rowcount != 1:
                raise StoreError(f"no channel {channel_id[:12]} to set to {state}")

    def channel(self, channel_id: str) -> ChannelRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.channels).where(schema.channels.c.id == channel_id)
            ).first()
        return _channel(row) if row is not None else None

    def channels(self) -> list[ChannelRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.channels).order_by(schema.channels.c.created_ms))
            return [_channel(r) for r in rows]

    # envelopes -----------------------------------------------------------------------------

    def append(self, channel_id: str, items: Sequence[NewEnvelope], now_ms: int) -> list[bool]:
        if not items:
            return []
        with self.engine.begin() as conn:
            known = self._known_ids(conn, channel_id, [i.id for i in items])
            fresh: list[bool] = []
            new: list[NewEnvelope] = []
            for item in items:
                fresh.append(item.id not in known)
                if item.id not in known:
                    known.add(item.id)
                    new.append(item)
            if new:
                self._insert(conn, channel_id, new, now_ms)
            return fresh

    def _known_ids(self, conn: Connection, channel_id: str, ids: list[bytes]) -> set[bytes]:
        t = schema.envelopes
        found: set[bytes] = set()
        for start in range(0, len(ids), 500):  # stay under bound-parameter limits
            chunk = ids[start : start + 500]
            rows = conn.execute(
                select(t.c.id).where(t.c.channel_id == channel_id, t.c.id.in_(chunk))
            )
            found.update(bytes(r.id) for r in rows)
        return found

    def _insert(
        self, conn: Connection, channel_id: str, items: list[NewEnvelope], now_ms: int
    ) -> None:
        """One multi-row INSERT for the batch (not one statement per envelope: that was most
        of a receiving node's time), its new row numbers returned in order for the refs."""
        t = schema.envelopes
        rows = [
            {
                "channel_id": channel_id, "id": i.id, "sender": i.sender, "seq": i.seq,
                "kind": i.kind, "role": i.role.value, "prec": i.prec, "mark": i.mark,
                "sender_ms": i.sender_ms, "stored_ms": now_ms, "raw": i.raw,
            }
            for i in items
        ]  # fmt: skip
        try:
            result = conn.execute(insert(t).returning(t.c.n, sort_by_parameter_order=True), rows)
            numbers = [int(r.n) for r in result]
        except IntegrityError:
            raise self._conflict(conn, channel_id, items) from None
        refs = [
            {"envelope_n": n, "channel_id": channel_id, "party": p, "seq": s}
            for n, item in zip(numbers, items, strict=True)
            for p, s in item.refs
        ]
        if refs:
            conn.execute(insert(schema.envelope_refs), refs)

    def _conflict(
        self, conn: Connection, channel_id: str, items: list[NewEnvelope]
    ) -> ChainConflictError:
        """Which envelope of a refused batch takes a (sender, seq) that is already taken."""
        t = schema.envelopes
        taken: dict[tuple[str, int], bytes] = {}
        for item in items:
            if item.seq <= 0 or item.role is Role.EVIDENCE:
                continue
            held = taken.get((item.sender, item.seq))
            if held is None:
                held = conn.execute(
                    select(t.c.id).where(
                        t.c.channel_id == channel_id,
                        t.c.sender == item.sender,
                        t.c.seq == item.seq,
                        t.c.role != Role.EVIDENCE.value,
                    )
                ).scalar_one_or_none()
            if held is not None and bytes(held) != item.id:
                return ChainConflictError(channel_id, item.sender, item.seq)
            taken[(item.sender, item.seq)] = item.id
        return ChainConflictError(channel_id, items[0].sender, items[0].seq)

    def envelopes(self, channel_id: str, after_n: int = 0) -> Iterator[StoredEnvelope]:
        t = schema.envelopes
        batch = 2000
        while True:  # keyset pagination: constant memory for 10^6-envelope channels
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(t)
                    .where(t.c.channel_id == channel_id, t.c.n > after_n)
                    .order_by(t.c.n)
                    .limit(batch)
                ).all()
            for row in rows:
                yield _envelope(row)
            if len(rows) < batch:
                return
            after_n = rows[-1].n

    def chain_envelope(self, channel_id: str, sender: str, seq: int) -> StoredEnvelope | None:
        t = schema.envelopes
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t).where(
                    t.c.channel_id == channel_id,
                    t.c.sender == sender,
                    t.c.seq == seq,
                    t.c.role != Role.EVIDENCE.value,
                    t.c.seq > 0,
                )
            ).first()
        return _envelope(row) if row is not None else None

    def count(self, channel_id: str) -> int:
        t = schema.envelopes
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(t).where(t.c.channel_id == channel_id)
                ).scalar_one()
            )

    def referencing(self, channel_id: str, party: str, seq: int) -> list[StoredEnvelope]:
        t, r = schema.envelopes, schema.envelope_refs
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t)
                .join(r, r.c.envelope_n == t.c.n)
                .where(r.c.channel_id == channel_id, r.c.party == party, r.c.seq == seq)
                .order_by(t.c.n)
            )
            return [_envelope(row) for row in rows]

    # peers and meta -------------------------------------------------------------------------

    def put_peer(self, record: PeerRecord) -> None:
        values = {
            "party": record.party,
            "fingerprint": record.fingerprint,
            "card": record.card,
            "added_ms": record.added_ms,
        }
        with self.engine.begin() as conn:
            conn.execute(_upsert(self.engine, schema.peers, values, ["party"]))

    def peers(self) -> list[PeerRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.peers).order_by(schema.peers.c.party))
            return [PeerRecord(r.party, r.fingerprint, bytes(r.card), r.added_ms) for r in rows]

    def get_meta(self, key: str) -> bytes | None:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == key)
            ).scalar_one_or_none()
        return bytes(value) if value is not None else None

    def put_meta(self, key: str, value: bytes) -> None:
        with self.engine.begin() as conn:
            conn.execute(_upsert(self.engine, schema.meta, {"key": key, "value": value}, ["key"]))

    def close(self) -> None:
        self.engine.dispose()


def _upsert(engine: Engine, table: Table, values: dict[str, object], keys: list[str]) -> Executable:
    """INSERT ... ON CONFLICT (keys) DO UPDATE, in the engine's dialect."""
    factory = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    stmt = factory(table).values(**values)
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={k: v for k, v in values.items() if k not in keys}
    )


def _channel(row: Row[tuple[object, ...]]) -> ChannelRecord:
    m = row._mapping
    return ChannelRecord(
        id=str(m["id"]),
        name=str(m["name"]),
        charter=bytes(m["charter"]),
        my_party=str(m["my_party"]),
        state=ChannelState(m["state"]),
        created_ms=int(m["created_ms"]),
    )


def _envelope(row: Row[tuple[object, ...]]) -> StoredEnvelope:
    m = row._mapping
    return StoredEnvelope(
        n=int(m["n"]),
        channel_id=str(m["channel_id"]),
        id=bytes(m["id"]),
        sender=str(m["sender"]),
        seq=int(m["seq"]),
        kind=str(m["kind"]),
        role=Role(m["role"]),
        prec=None if m["prec"] is None else str(m["prec"]),
        mark=None if m["mark"] is None else str(m["mark"]),
        sender_ms=int(m["sender_ms"]),
        stored_ms=int(m["stored_ms"]),
        raw=bytes(m["raw"]),
    )
