"""What a relay keeps: sealed items by addressee, in deposit order, each stored once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select

from hotline.storage import schema


@dataclass(frozen=True, slots=True)
class HeldItem:
    n: int
    to_party: str
    from_party: str
    channel_id: str
    envelope_id: str
    item: bytes
    deposited_ms: int


class RelayStore:
    """Durable holdings of a relay (same engine settings as the node store)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def deposit(self, items: Sequence[HeldItem], now_ms: int) -> list[int]:
        """Store items durably in one transaction; returns each item's deposit time (ms).

        An item already held (same addressee and envelope id) keeps its first deposit time.
        """
        t = schema.relay_items
        times: list[int] = []
        with self.engine.begin() as conn:
            for item in items:
                held = conn.execute(
                    select(t.c.deposited_ms).where(
                        t.c.to_party == item.to_party, t.c.envelope_id == item.envelope_id
                    )
                ).scalar_one_or_none()
                if held is not None:
                    times.append(int(held))
                    continue
                conn.execute(
                    insert(t).values(
                        to_party=item.to_party,
                        from_party=item.from_party,
                        channel_id=item.channel_id,
                        envelope_id=item.envelope_id,
                        item=item.item,
                        deposited_ms=now_ms,
                    )
                )
                times.append(now_ms)
        return times

    def pending(self, to_party: str, after_n: int, limit: int) -> list[HeldItem]:
        t = schema.relay_items
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t)
                .where(t.c.to_party == to_party, t.c.n > after_n)
                .order_by(t.c.n)
                .limit(limit)
            ).all()
        return [
            HeldItem(
                n=int(r.n),
                to_party=str(r.to_party),
                from_party=str(r.from_party),
                channel_id=str(r.channel_id),
                envelope_id=str(r.envelope_id),
                item=bytes(r.item),
                deposited_ms=int(r.deposited_ms),
            )
            for r in rows
        ]
