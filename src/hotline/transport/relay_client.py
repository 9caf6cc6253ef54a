"""A party's side of a relay: deposit sealed items, collect the ones addressed to us.

Every answer is a batch signed by the relay's node key; every witness is checked against it.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import RemoteProtocolError
from hotline.protocol.envelope import KeyTable
from hotline.protocol.relay import CollectRequest, Delivery, Witness, decode, encode
from hotline.protocol.sealed import SealedItem, parse_item
from hotline.transport.batch import pack_batch, unpack_batch
from hotline.transport.link import LinkClient


class RelayError(RemoteProtocolError):
    """The relay answered with an error status or something that does not verify."""


class ForgedWitnessError(RelayError):
    """Some of the relay's witnesses for a deposit do not verify (forged, altered, or for
    another item): those are refused; `valid` holds the ones that do verify."""

    def __init__(self, relay: str, valid: list[Witness], refused: list[str]) -> None:
        self.relay, self.valid, self.refused = relay, valid, refused
        super().__init__(
            f"relay {relay}: {len(refused)} of {len(valid) + len(refused)} witnesses do not"
            f" verify with its key (first: {refused[0]}); they are refused, not kept"
        )


class RelayClient:
    def __init__(
        self,
        link: LinkClient,
        me: str,
        node_key: Ed25519PrivateKey,
        relay_name: str,
        relay_key: bytes,
    ) -> None:
        self._link = link
        self._me = me
        self._key = node_key
        self.relay_name = relay_name
        self._relay_key = relay_key
        self._relay = KeyTable()
        self._relay.add(relay_name, relay_key)

    async def deposit(self, items: list[SealedItem], now_ms: int) -> list[Witness]:
        """Hand items to the relay; returns its signed witness for each (held since ...)."""
        answers = await self._exchange("/v1/relay/deposit", [i.raw for i in items], now_ms)
        witnesses = [decode(Witness, a, "relay witness") for a in answers]
        if len(witnesses) != len(items):
            raise RelayError(f"relay witnessed {len(witnesses)} of {len(items)} items")
        valid: list[Witness] = []
        refused: list[str] = []
        for item, witness in zip(items, witnesses, strict=True):
            if witness.routing != item.routing_bytes:
                refused.append(f"witness for {item.routing.id[:12]} names another item")
            elif not witness.valid(self._relay_key):
                refused.append(f"witness for {item.routing.id[:12]} has a bad signature")
            else:
                valid.append(witness)
        if refused:
            raise ForgedWitnessError(self.relay_name, valid, refused)
        return witnesses

    async def collect(self, after: int, now_ms: int, limit: int = 1000) -> list[Delivery]:
        """Fetch items for us deposited after cursor `after`; each witness is verified."""
        request = encode(CollectRequest(after=after, limit=limit))
        answers = await self._exchange("/v1/relay/collect", [request], now_ms)
        deliveries = [decode(Delivery, a, "relay delivery") for a in answers]
        for d in deliveries:
            item = parse_item(d.item)
            if item.routing.to != self._me:
                raise RelayError(f"relay delivered an item for {item.routing.to} to {self._me}")
            if d.witness.routing != item.routing_bytes or not d.witness.valid(self._relay_key):
                raise RelayError(f"relay witness for delivery {d.n} does not verify")
        return deliveries

    async def _exchange(self, path: str, items: list[bytes], now_ms: int) -> list[bytes]:
        body = pack_batch(self._me, self.relay_name, now_ms, items, self._key)
        status, reply = await self._link.request("POST", path, body)
        if status != 200:
            raise RelayError(f"relay refused {path}: {status} {reply[:200]!r}")
        return unpack_batch(reply, self._relay, me=self._me).envelopes

    async def close(self) -> None:
        await self._link.close()
