"""What parties and a relay say to each other (inside signed batches, see transport.batch).

- deposit: a party's batch of sealed items; the relay answers with one `Witness` per item
  (forwarded_ms = 0: "held since deposited_ms").
- collect: a party's batch with one `CollectRequest`; the relay answers with `Delivery`s, each a
  sealed item plus the relay's witness signature over its routing and times.

A witness is signed by the relay's node key over `sealed.witness_statement`: a neutral,
timestamped record that the item passed through the relay, which both parties keep as evidence.
"""

from __future__ import annotations

from typing import Annotated, TypeVar

import msgspec

from hotline.errors import RemoteProtocolError
from hotline.protocol.envelope import DECODE_ERRORS, WireStruct, canonical_json
from hotline.protocol.sealed import witness_statement
from hotline.protocol.signing import ed25519_valid

Ms = Annotated[int, msgspec.Meta(ge=0)]


class Witness(WireStruct, frozen=True):
    routing: bytes  # the exact routing header bytes of the item
    deposited_ms: Ms
    forwarded_ms: Ms
    sig: Annotated[bytes, msgspec.Meta(min_length=64, max_length=64)]

    def valid(self, relay_key: bytes) -> bool:
        stmt = witness_statement(self.routing, self.deposited_ms, self.forwarded_ms)
        return ed25519_valid(self.sig, stmt, relay_key)


class CollectRequest(WireStruct, frozen=True):
    after: Annotated[int, msgspec.Meta(ge=0)]
    limit: Annotated[int, msgspec.Meta(ge=1, le=5000)] = 1000


class Delivery(WireStruct, frozen=True):
    n: Annotated[int, msgspec.Meta(ge=1)]
    item: bytes
    witness: Witness


def encode(obj: WireStruct) -> bytes:
    return canonical_json(obj)


T = TypeVar("T", bound=WireStruct)


def decode(kind: type[T], data: bytes, what: str) -> T:
    try:
        return msgspec.json.decode(data, type=kind)
    except DECODE_ERRORS as exc:
        raise RemoteProtocolError(f"{what}: {exc}") from None
