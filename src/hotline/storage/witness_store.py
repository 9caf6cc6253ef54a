"""Relay witnesses a node keeps as evidence: what a relay countersigned for it, kept for good.

Only witnesses already verified against the relay's key are written here (`transport.
relay_client` checks each one); a batch of them is one transaction, and a witness seen twice
(the same relay's same signature) is kept once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, select

from hotline.protocol.relay import Witness
from hotline.protocol.sealed import parse_routing
from hotline.storage import schema

__all__ = ["StoredWitness", "WitnessStore"]


@dataclass(frozen=True, slots=True)
class StoredWitness:
    n: int
    relay: str
    channel_id: str
    envelope_id: str
    routing: bytes  # the exact routing header bytes the relay signed
    deposited_ms: int
    forwarded_ms: int  # 0: a deposit witness ("held since deposited_ms")
    sig: bytes
    stored_ms: int

    @property
    def witness(self) -> Witness:
        return Witness(
            routing=self.routing,
            deposited_ms=self.deposited_ms,
            forwarded_ms=self.forwarded_ms,
            sig=self.sig,
        )


class WitnessStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, relay: str, witnesses: Sequence[Witness], now_ms: int) -> int:
        """Keep verified witnesses of `relay` in one transaction; returns how many were new."""
        if not witnesses:
            return 0
        t = schema.relay_witnesses
        rows = []
        seen: set[bytes] = set()
        for w in witnesses:
            if w.sig in seen:
                continue
            seen.add(w.sig)
            routing = parse_routing(w.routing)
            rows.append(
                {
                    "relay": relay,
                    "channel_id": routing.ch,
                    "envelope_id": routing.id,
                    "routing": w.routing,
                    "deposited_ms": w.deposited_ms,
                    "forwarded_ms": w.forwarded_ms,
                    "sig": w.sig,
                    "stored_ms": now_ms,
                }
            )
        with self.engine.begin() as conn:
            have = {
                bytes(s)
                for s in conn.execute(
                    select(t.c.sig).where(t.c.relay == relay, t.c.sig.in_(list(seen)))
                ).scalars()
            }
            new = [r for r in rows if r["sig"] not in have]
            if new:
                conn.execute(insert(t), new)
        return len(new)

    def for_channel(self, channel_id: str) -> list[StoredWitness]:
        """Every witness of one channel, in the order they were stored."""
        t = schema.relay_witnesses
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.channel_id == channel_id).order_by(t.c.n))
            return [
                StoredWitness(
                    n=int(r.n),
                    relay=str(r.relay),
                    channel_id=str(r.channel_id),
                    envelope_id=str(r.envelope_id),
                    routing=bytes(r.routing),
                    deposited_ms=int(r.deposited_ms),
                    forwarded_ms=int(r.forwarded_ms),
                    sig=bytes(r.sig),
                    stored_ms=int(r.stored_ms),
                )
                for r in rows
            ]

    def count(self) -> int:
        t = schema.relay_witnesses
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t)).scalar_one())
