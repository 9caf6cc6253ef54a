"""A blind relay: stores and forwards sealed items between parties, and witnesses what it did.

It holds no party's HPKE keys, so it reads nothing but routing; it verifies who deposits (each
batch is signed by a party's node key it knows), refuses items whose routing claims another
sender, stores each item once and durably before answering, and signs a witness for every item
it holds and every item it hands over.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import RemoteProtocolError
from hotline.protocol.envelope import SignerLookup
from hotline.protocol.relay import CollectRequest, Delivery, Witness, decode, encode
from hotline.protocol.sealed import parse_item, witness_statement
from hotline.storage.relay_store import HeldItem, RelayStore
from hotline.transport.batch import pack_batch, unpack_batch
from hotline.transport.link import Reply, error_reply

log = logging.getLogger("hotline.relay")


class RelayService:
    """The relay's request handler, for a `transport.link.LinkServer`."""

    def __init__(
        self,
        name: str,
        node_key: Ed25519PrivateKey,
        parties: SignerLookup,
        store: RelayStore,
        clock_ms: Callable[[], int],
    ) -> None:
        self.name = name
        self._key = node_key
        self._parties = parties
        self._store = store
        self._clock_ms = clock_ms

    async def handle(self, method: str, path: str, body: bytes, _peer: bytes | None) -> Reply:
        if (method, path) == ("GET", "/v1/health"):
            return Reply(200, b'{"status":"ok","role":"relay"}', "application/json")
        if method != "POST" or path not in ("/v1/relay/deposit", "/v1/relay/collect"):
            return error_reply(404, f"no such endpoint: {method} {path}")
        try:
            batch = unpack_batch(body, self._parties, me=self.name)
            if path == "/v1/relay/deposit":
                answers = await self._deposit(batch.sender, batch.envelopes)
            else:
                answers = await self._collect(batch.sender, batch.envelopes)
        except RemoteProtocolError as exc:
            log.warning("relay: refused %s: %s", path, exc)
            return error_reply(400, str(exc))
        return Reply(200, pack_batch(self.name, batch.sender, self._clock_ms(), answers, self._key))

    async def _deposit(self, sender: str, raws: list[bytes]) -> list[bytes]:
        items = [parse_item(raw) for raw in raws]
        held = []
        for item in items:
            if item.routing.sender != sender:
                raise RemoteProtocolError(
                    f"{sender} deposited an item whose routing claims sender {item.routing.sender}"
                )
            held.append(
                HeldItem(0, item.routing.to, sender, item.routing.ch, item.routing.id, item.raw, 0)
            )
        now = self._clock_ms()
        times = await asyncio.to_thread(self._store.deposit, held, now)  # durable before reply
        return [
            encode(self._witness(item.routing_bytes, deposited, 0))
            for item, deposited in zip(items, times, strict=True)
        ]

    async def _collect(self, sender: str, raws: list[bytes]) -> list[bytes]:
        if len(raws) != 1:
            raise RemoteProtocolError("a collect batch holds exactly one request")
        request = decode(CollectRequest, raws[0], "collect request")
        pending = await asyncio.to_thread(self._store.pending, sender, request.after, request.limit)
        now = self._clock_ms()
        out = []
        for held in pending:
            routing = parse_item(held.item).routing_bytes
            witness = self._witness(routing, held.deposited_ms, now)
            out.append(encode(Delivery(n=held.n, item=held.item, witness=witness)))
        return out

    def _witness(self, routing: bytes, deposited_ms: int, forwarded_ms: int) -> Witness:
        sig = self._key.sign(witness_statement(routing, deposited_ms, forwarded_ms))
        return Witness(
            routing=routing, deposited_ms=deposited_ms, forwarded_ms=forwarded_ms, sig=sig
        )
