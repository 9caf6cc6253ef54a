"""Bearers: the ways one node reaches one peer (a direct link, or a relay), with their status.

The channel state machine resends every envelope until the peer receipts it, so a bearer is
best-effort: it carries a batch, reports success or failure, and backs off after failures. The
peer link (`node.peer_link`) chooses among bearers, fails over, and, for FLASH traffic, uses
all of them at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import HotlineError, RemoteProtocolError
from hotline.protocol.envelope import SignerLookup, envelope_id, parse_header, split_frame
from hotline.protocol.relay import Witness
from hotline.protocol.sealed import seal_for
from hotline.transport.batch import pack_batch, unpack_batch
from hotline.transport.link import LinkClient
from hotline.transport.relay_client import ForgedWitnessError, RelayClient

log = logging.getLogger("hotline.node")
BACKOFF_START_S = 0.5
BACKOFF_MAX_S = 30.0


class BearerDown(HotlineError):  # noqa: N818 (a state, reported with its cause)
    """The bearer could not carry the batch; the message says why."""


@dataclass
class BearerStatus:
    """What the console shows for each bearer of each peer."""

    name: str  # "direct" or "relay:NAME"
    up: bool | None = None  # None: not tried yet
    last_ok_ms: int | None = None
    last_error: str | None = None
    last_error_ms: int | None = None
    failures: int = 0
    rtt_ms: float | None = None
    next_try_ms: int = 0
    sent: int = 0
    witnessed: int = 0  # witnesses verified and kept as evidence (relay bearers)
    refused: int = 0  # our envelopes the peer refused, in all
    last_refusal: str | None = None  # the peer's reason, bounded and printable
    last_refusal_ms: int | None = None

    def peer_refused(self, now_ms: int, count: int, reasons: tuple[str, ...]) -> str:
        """Note a peer's refusal; returns the line to log."""
        self.refused += count
        shown = reasons[0] if reasons else "no reason given"
        more = f" (+{count - 1} more)" if count > 1 else ""
        self.last_refusal, self.last_refusal_ms = shown + more, now_ms
        return "; ".join(reasons) or shown

    def succeeded(self, now_ms: int, rtt_ms: float) -> None:
        self.up, self.last_ok_ms, self.failures, self.rtt_ms = True, now_ms, 0, rtt_ms
        self.next_try_ms = 0

    def failed(self, now_ms: int, error: str) -> None:
        self.up, self.last_error, self.last_error_ms = False, error, now_ms
        self.failures += 1
        backoff = min(BACKOFF_START_S * 2 ** (self.failures - 1), BACKOFF_MAX_S)
        self.next_try_ms = now_ms + int(backoff * 1000)

    def ready(self, now_ms: int) -> bool:
        return now_ms >= self.next_try_ms


KeepWitnesses = Callable[[str, list[Witness]], Awaitable[None]]
"""Where a relay bearer hands the verified witnesses of each deposit (relay name, witnesses)."""


class Bearer(Protocol):
    status: BearerStatus

    async def carry(self, envelopes: list[bytes], now_ms: int) -> list[bytes]:
        """Deliver envelopes; return envelopes the peer answered with at once (receipts)."""
        ...

    async def close(self) -> None: ...


class DirectBearer:
    """POST a signed batch to the peer's listener; its answer is a signed batch too."""

    def __init__(
        self,
        me: str,
        peer: str,
        node_key: Ed25519PrivateKey,
        link: LinkClient,
        peer_keys: SignerLookup,
    ) -> None:
        self.me, self.peer = me, peer
        self._key, self._link, self._peer_keys = node_key, link, peer_keys
        self.status = BearerStatus("direct")

    async def carry(self, envelopes: list[bytes], now_ms: int) -> list[bytes]:
        body = pack_batch(self.me, self.peer, now_ms, envelopes, self._key)
        start = time.perf_counter()
        try:
            status, reply = await self._link.request("POST", "/v1/batch", body)
        except (OSError, TimeoutError) as exc:
            raise BearerDown(f"{self.peer} unreachable: {str(exc) or type(exc).__name__}") from None
        if status not in (200, 422):
            raise BearerDown(f"{self.peer} refused the batch: {status} {reply[:200]!r}")
        answer = unpack_batch(reply, self._peer_keys, me=self.me)
        if answer.refused:
            why = self.status.peer_refused(now_ms, answer.refused, answer.reasons)
            log.warning(
                "%s refused %d of %d envelopes: %s", self.peer, answer.refused, len(envelopes), why
            )
        if status == 422:
            raise BearerDown(f"{self.peer} refused every envelope: {self.status.last_refusal}")
        self.status.succeeded(now_ms, (time.perf_counter() - start) * 1000)
        return answer.envelopes

    async def close(self) -> None:
        await self._link.close()


class RelayBearer:
    """Deposit envelopes, sealed to the peer, with a relay; the relay witnesses each one."""

    def __init__(
        self,
        me: str,
        peer: str,
        relay: RelayClient,
        peer_hpke: hpke.MLKEM768X25519PublicKey,
        keep: KeepWitnesses | None = None,
    ) -> None:
        self.me, self.peer = me, peer
        self._relay, self._peer_hpke = relay, peer_hpke
        self._keep = keep
        self.status = BearerStatus(f"relay:{relay.relay_name}")

    async def carry(self, envelopes: list[bytes], now_ms: int) -> list[bytes]:
        items = []
        for raw in envelopes:
            key_id, _, header_bytes, _ = split_frame(raw)
            header = parse_header(header_bytes)
            items.append(
                seal_for(
                    raw,
                    envelope_id(key_id, header_bytes),
                    header.ch,
                    self.me,
                    self.peer,
                    self._peer_hpke,
                )
            )
        start = time.perf_counter()
        try:
            witnesses = await self._relay.deposit(items, now_ms)
        except (OSError, TimeoutError) as exc:
            raise BearerDown(
                f"relay {self._relay.relay_name} unreachable: {str(exc) or type(exc).__name__}"
            ) from None
        except ForgedWitnessError as exc:
            for reason in exc.refused:
                log.warning("refused a witness of relay %s: %s", exc.relay, reason)
            await self._kept(exc.valid)
            raise BearerDown(str(exc)) from None
        except RemoteProtocolError as exc:
            raise BearerDown(str(exc)) from None
        await self._kept(witnesses)
        self.status.succeeded(now_ms, (time.perf_counter() - start) * 1000)
        return []  # the peer's answers come back through the relay, collected separately

    async def _kept(self, witnesses: list[Witness]) -> None:
        if self._keep is not None:
            await self._keep(self._relay.relay_name, witnesses)
        self.status.witnessed += len(witnesses)

    async def close(self) -> None:
        await self._relay.close()
