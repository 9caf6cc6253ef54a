"""Channel and message endpoints of the operator API, and the live event stream (SSE).

Each operator action is written to the audit record with who did it and to what.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from hotline.api.auth import require
from hotline.api.bodies import checked_body, rendered
from hotline.api.errors import NotFoundError
from hotline.api.releases import DraftOut
from hotline.catalogue import Finding
from hotline.node.releases import FlashReleases, ReleasedBy
from hotline.node.runtime import Node
from hotline.node.views import messages
from hotline.protocol.envelope import Ref, parse_header, split_frame
from hotline.protocol.sealed import parse_routing
from hotline.protocol.types import Marking, Precedence
from hotline.storage.operators import Operator

PARTY = r"^[A-Z][A-Z0-9-]{0,31}$"
SSE_HEARTBEAT_S = 15.0  # a comment line this often keeps proxies from closing a quiet stream
DISCONNECT_POLL_S = 1.0  # how often a quiet stream checks that its browser is still there


class NewChannel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    parties: list[str] = Field(min_length=1, max_length=15)
    languages: list[str] = Field(default=["en"], min_length=1, max_length=16)
    two_person_flash: bool = False
    test_interval_s: int = Field(default=3600, ge=60, le=86400)
    heartbeat_interval_s: int = Field(default=15, ge=1, le=3600)


class ChannelOut(BaseModel):
    id: str
    name: str
    proposer: str
    parties: list[str]
    accepted_by: list[str]
    opened: bool
    languages: list[str]
    ack_window_s: dict[str, int]
    two_person_flash: bool


class NewMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: dict[str, Any] | str = Field(
        description="A catalogue notification (JSON object) or free text"
    )
    prec: Precedence = Precedence.ROUTINE
    mark: Marking = Marking.REAL
    to: list[str] | None = None
    refs: list[tuple[str, int]] = Field(default_factory=list, max_length=64)


class NewReply(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: dict[str, Any] | str
    prec: Precedence | None = None


class RefOut(BaseModel):
    party: str
    seq: int
    id: str
    warnings: list[str] = Field(default_factory=list, description="Rules that warn, not block")

    @classmethod
    def of(cls, ref: Ref, warnings: list[Finding] | None = None) -> "RefOut":
        notes = [str(w) for w in warnings or []]
        return cls(party=ref.party, seq=ref.seq, id=ref.id, warnings=notes)


class WitnessOut(BaseModel):
    relay: str
    envelope_id: str
    sender: str
    to: str
    deposited_ms: int
    forwarded_ms: int = Field(description="0: a deposit witness (held since deposited_ms)")
    routing: str = Field(description="The exact routing header the relay signed (UTF-8 JSON)")
    sig: str = Field(description="The relay's Ed25519 signature, hex (sealed.witness_statement)")
    stored_ms: int


class PeerLinkOut(BaseModel):
    peer: str
    bearers: list[dict[str, Any]]
    channels: list[dict[str, Any]]


def channel_routes(
    node: Node,
    current: Callable[..., Coroutine[Any, Any, Operator]],
    releases: FlashReleases,
    heartbeat_s: float = SSE_HEARTBEAT_S,
) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["channels"])
    Reader = Annotated[Operator, require("read", current)]  # noqa: N806 (a type alias)
    Sender = Annotated[Operator, require("send", current)]  # noqa: N806
    Manager = Annotated[Operator, require("manage", current)]  # noqa: N806
    Auditor = Annotated[Operator, require("audit", current)]  # noqa: N806

    def audit(op: Operator, action: str, target: str, detail: str = "") -> None:
        node.operators.record(op.name, action, target, detail, node.clock_ms())

    def view(cid: str) -> ChannelOut:
        ch = node.channel(cid)
        return ChannelOut(
            id=ch.channel_id,
            name=ch.charter.name,
            proposer=ch.charter.proposer,
            parties=list(ch.charter.parties),
            accepted_by=sorted(ch.accepted_by),
            opened=ch.opened,
            languages=list(ch.charter.languages),
            ack_window_s={p.value: s for p, s in ch.charter.ack_window_s.items()},
            two_person_flash=ch.charter.two_person_flash,
        )

    @router.get("/channels")
    async def list_channels(_: Reader) -> list[ChannelOut]:
        return [view(cid) for cid in node.slots]

    @router.post("/channels", status_code=201)
    async def create_channel(body: NewChannel, op: Manager) -> ChannelOut:
        cid = await node.create_channel(
            body.name,
            body.parties,
            languages=body.languages,
            two_person_flash=body.two_person_flash,
            test_interval_s=body.test_interval_s,
            heartbeat_interval_s=body.heartbeat_interval_s,
        )
        audit(op, "channel.create", cid, f"{body.name} with {','.join(body.parties)}")
        return view(cid)

    @router.get("/channels/{cid}")
    async def get_channel(cid: str, _: Reader) -> ChannelOut:
        return view(cid)

    @router.post("/channels/{cid}/accept")
    async def accept_channel(cid: str, op: Manager) -> ChannelOut:
        await node.accept_channel(cid)
        audit(op, "channel.accept", cid)
        return view(cid)

    @router.get("/channels/{cid}/messages")
    async def list_messages(cid: str, op: Reader, after: int = 0) -> list[dict[str, Any]]:
        """Messages with their three states, each rendered in the caller's language and in the
        original language."""
        channel = node.channel(cid)

        def views() -> list[dict[str, Any]]:
            found = messages(node.store, channel, node.clock_ms(), after)
            released = releases.released_by(cid)
            return [
                asdict(m)
                | asdict(rendered(m, channel.charter, op.language))
                | _release_facts(released.get((m.sender, m.seq)))
                for m in found
            ]

        return await asyncio.to_thread(views)

    @router.post(
        "/channels/{cid}/messages",
        status_code=201,
        responses={202: {"model": DraftOut, "description": "FLASH held for a second operator"}},
    )
    async def send(cid: str, body: NewMessage, op: Sender, response: Response) -> RefOut | DraftOut:
        """Send a notification; it must decode with the catalogue and pass the charter's rules
        (422 with every problem and its field path otherwise). A FLASH on a channel whose
        charter asks for two-person release is held instead (202 with its draft number)."""
        charter = node.channel(cid).charter
        payload, warnings = checked_body(
            body.body, body.prec, charter, author_lang=op.language, now_ms=node.clock_ms()
        )
        refs = [_resolve(node, cid, party, seq) for party, seq in body.refs]
        if releases.applies(cid, body.prec):
            draft = await releases.hold(
                cid, payload, prec=body.prec, mark=body.mark, to=body.to, refs=refs, author=op.name
            )
            response.status_code = 202
            held = DraftOut.of(draft, op)
            held.warnings = [str(w) for w in warnings]
            return held
        ref = await node.notify(cid, payload, prec=body.prec, mark=body.mark, to=body.to, refs=refs)
        audit(
            op,
            "message.send",
            f"{cid[:12]} {ref.party}-{ref.seq}",
            f"{body.prec.value} {body.mark.value}",
        )
        return RefOut.of(ref, warnings)

    @router.post("/channels/{cid}/messages/{party}/{seq}/ack")
    async def acknowledge(cid: str, party: str, seq: int, op: Sender) -> RefOut:
        ref = await node.acknowledge(cid, _resolve(node, cid, party, seq))
        audit(op, "message.ack", f"{cid[:12]} {party}-{seq}")
        return RefOut.of(ref)

    @router.post("/channels/{cid}/messages/{party}/{seq}/reply", status_code=201)
    async def reply(cid: str, party: str, seq: int, body: NewReply, op: Sender) -> RefOut:
        """Reply to a message: checked like a new one, at its precedence unless given."""
        to = _resolve(node, cid, party, seq)
        prec = body.prec or _precedence_of(node, cid, party, seq)
        payload, warnings = checked_body(
            body.body,
            prec,
            node.channel(cid).charter,
            author_lang=op.language,
            now_ms=node.clock_ms(),
        )
        ref = await node.reply(cid, to, payload, prec)
        audit(op, "message.reply", f"{cid[:12]} {party}-{seq}")
        return RefOut.of(ref, warnings)

    @router.get("/channels/{cid}/transcript", tags=["audit"])
    async def transcript(cid: str, op: Auditor) -> StreamingResponse:
        """The channel's transcript as JSON Lines, signed by this node (`hotline verify`)."""
        lines = await asyncio.to_thread(node.export_transcript, cid)
        audit(op, "transcript.export", cid[:12], f"{len(lines)} lines")
        name = f"hotline-{cid[:12]}.jsonl"
        return StreamingResponse(
            iter(lines),
            media_type="application/x-ndjson",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    @router.get("/channels/{cid}/witnesses", tags=["audit"])
    async def witnesses(cid: str, op: Auditor) -> list[WitnessOut]:
        """What relays countersigned for this channel (verified before they were kept)."""
        channel_id = node.channel(cid).channel_id
        kept = await asyncio.to_thread(node.witnesses.for_channel, channel_id)
        audit(op, "witnesses.read", cid[:12], f"{len(kept)} witnesses")
        out = []
        for w in kept:
            routing = parse_routing(w.routing)
            out.append(
                WitnessOut(
                    relay=w.relay,
                    envelope_id=w.envelope_id,
                    sender=routing.sender,
                    to=routing.to,
                    deposited_ms=w.deposited_ms,
                    forwarded_ms=w.forwarded_ms,
                    routing=w.routing.decode(),
                    sig=w.sig.hex(),
                    stored_ms=w.stored_ms,
                )
            )
        return out

    @router.get("/links")
    async def links(_: Reader) -> list[PeerLinkOut]:
        out = []
        for peer in sorted(node.peers):
            link = node.links.get(peer)
            bearers = [asdict(s) for s in (link.statuses() if link else [])]
            channels = [
                asdict(slot.channel.peer_status(peer)) | {"channel": cid}
                for cid, slot in node.slots.items()
                if peer in slot.channel.peers
            ]
            out.append(PeerLinkOut(peer=peer, bearers=bearers, channels=_jsonable(channels)))
        return out

    @router.get("/events")
    async def events(request: Request, _: Reader) -> StreamingResponse:
        """Live events (server-sent). A quiet stream sends a comment every `heartbeat_s` and
        ends as soon as its browser is gone, so no listener outlives its browser."""

        async def stream() -> AsyncIterator[bytes]:
            loop = asyncio.get_running_loop()
            with node.subscription() as queue:
                yield b": connected\n\n"
                quiet_since = loop.time()
                while True:
                    try:
                        async with asyncio.timeout(min(DISCONNECT_POLL_S, heartbeat_s)):
                            event = await queue.get()
                    except TimeoutError:
                        if await request.is_disconnected():
                            return
                        if loop.time() - quiet_since >= heartbeat_s:
                            quiet_since = loop.time()
                            yield b": heartbeat\n\n"
                        continue
                    data = json.dumps(asdict(event), default=str)
                    quiet_since = loop.time()
                    yield f"event: {event.kind}\ndata: {data}\n\n".encode()

        return StreamingResponse(stream(), media_type="text/event-stream")

    return router


def _precedence_of(node: Node, cid: str, party: str, seq: int) -> Precedence:
    stored = node.store.chain_envelope(node.channel(cid).channel_id, party, seq)
    header = parse_header(split_frame(stored.raw)[2]) if stored is not None else None
    if header is None or header.prec is None:
        raise NotFoundError(f"{party}-{seq} is not an operator message: nothing to reply to")
    return header.prec


def _resolve(node: Node, cid: str, party: str, seq: int) -> Ref:
    channel = node.channel(cid)
    stored = node.store.chain_envelope(channel.channel_id, party, seq)
    if stored is None:
        raise NotFoundError(f"no message {party}-{seq} in channel {cid[:12]}")
    return Ref(party=party, seq=seq, id=stored.id.hex())


def _release_facts(by: ReleasedBy | None) -> dict[str, Any]:
    """Who composed and who released a FLASH held for two-person release (local knowledge)."""
    if by is None:
        return {}
    return {"composed_by": by.composed_by, "released_by": by.released_by}


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
