"""Two-person release of FLASH in the operator API: list held drafts, release, withdraw.

A FLASH sent on a channel whose charter has `two_person_flash` is answered 202 with its draft
number (see `api/channels.py`); a supervisor who did not write it releases it here, or the
author or a supervisor withdraws it with a reason.
"""

import asyncio
import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from hotline.api.auth import ALLOWED, require
from hotline.api.bodies import checked_body
from hotline.api.errors import ForbiddenError
from hotline.catalogue import LANGUAGES, InvalidNotificationError, RenderContext, decode_body
from hotline.catalogue import render as render_notification
from hotline.node.releases import FlashReleases
from hotline.node.runtime import Node
from hotline.protocol.charter import Charter
from hotline.protocol.types import Marking, Precedence
from hotline.storage.operators import Operator
from hotline.storage.releases import HeldDraft

__all__ = ["DraftOut", "draft_previews", "release_routes"]


class DraftOut(BaseModel):
    """A FLASH held for a second operator, and what became of it."""

    draft: int
    channel: str
    state: str = Field(description="held | releasing | released | withdrawn")
    prec: str
    mark: str
    to: list[str] | None
    refs: list[str] = Field(description="PARTY-SEQ of each message it refers to")
    author: str
    held_ms: int
    decided_by: str | None = None
    decided_ms: int | None = None
    reason: str = ""
    sent: str | None = Field(default=None, description="PARTY-SEQ once released")
    previews: dict[str, str] = Field(default_factory=dict, description="language -> rendering")
    may_release: bool = Field(default=False, description="May the caller release it?")
    why_not: str = Field(default="", description="Why the caller may not release it")
    warnings: list[str] = Field(default_factory=list)

    @classmethod
    def of(
        cls,
        draft: HeldDraft,
        caller: Operator | None = None,
        previews: dict[str, str] | None = None,
    ) -> "DraftOut":
        why_not = release_refusal(draft, caller) if caller is not None else ""
        return cls(
            draft=draft.n,
            channel=draft.channel_id,
            state=draft.state.value,
            prec=draft.prec,
            mark=draft.mark,
            to=draft.to,
            refs=[f"{p}-{s}" for p, s, _ in draft.refs],
            author=draft.author,
            held_ms=draft.held_ms,
            decided_by=draft.decided_by,
            decided_ms=draft.decided_ms,
            reason=draft.reason,
            sent=f"{draft.sent_party}-{draft.sent_seq}" if draft.sent_seq is not None else None,
            previews=previews or {},
            may_release=caller is not None and not why_not,
            why_not=why_not,
        )


class ReleasedOut(BaseModel):
    draft: int
    party: str
    seq: int
    id: str
    composed_by: str
    released_by: str


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000, description="Why it is withdrawn")


def release_refusal(draft: HeldDraft, op: Operator) -> str:
    """Why `op` may not release `draft` ("" if they may)."""
    if op.role not in ALLOWED["release_flash"]:
        return f"{op.role.value} may not release FLASH: a supervisor must"
    if op.name == draft.author:
        return f"{op.name} composed it: a second operator must release it"
    return ""


def may_withdraw(draft: HeldDraft, op: Operator) -> bool:
    return op.name == draft.author or op.role in ALLOWED["release_flash"]


def draft_previews(draft: HeldDraft, charter: Charter, party: str, reader: str) -> dict[str, str]:
    """The held body as the peers will read it, in the reader's and the channel's languages."""
    try:
        notification = decode_body(draft.body)
    except InvalidNotificationError as exc:
        return {"?": f"the held body does not decode: {exc}"}
    recipients = draft.to or [p for p in charter.parties if p != party]
    context = RenderContext(
        precedence=Precedence(draft.prec),
        marking=Marking(draft.mark),
        sender=party,
        recipients=tuple(recipients),
    )
    wanted = [reader, *charter.languages]
    return {
        lang: render_notification(notification, context, lang=lang)
        for lang in dict.fromkeys(wanted)
        if lang in LANGUAGES
    }


def recheck(node: Node) -> Callable[[HeldDraft], None]:
    """The catalogue's and the charter's release rules again, at the moment of release."""

    def check(draft: HeldDraft) -> None:
        charter = node.channel(draft.channel_id).charter
        body = json.loads(draft.body)
        checked_body(
            body, Precedence(draft.prec), charter, author_lang="en", now_ms=node.clock_ms()
        )

    return check


def release_routes(
    node: Node,
    releases: FlashReleases,
    current: Callable[..., Coroutine[Any, Any, Operator]],
) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["releases"])
    Reader = Annotated[Operator, require("read", current)]  # noqa: N806 (a type alias)
    Releaser = Annotated[Operator, require("release_flash", current)]  # noqa: N806

    def shown(drafts: list[HeldDraft], op: Operator) -> list[DraftOut]:
        out = []
        for d in drafts:
            charter = node.channel(d.channel_id).charter
            out.append(DraftOut.of(d, op, draft_previews(d, charter, node.party, op.language)))
        return out

    @router.get("/releases")
    async def pending(op: Reader) -> list[DraftOut]:
        """FLASH drafts awaiting a second operator, in every channel, oldest first."""
        return await asyncio.to_thread(lambda: shown(releases.pending(), op))

    @router.get("/channels/{cid}/releases")
    async def pending_in(cid: str, op: Reader) -> list[DraftOut]:
        """FLASH drafts of one channel awaiting a second operator, oldest first."""
        return await asyncio.to_thread(lambda: shown(releases.pending(cid), op))

    @router.get("/releases/{n}")
    async def one(n: int, op: Reader) -> DraftOut:
        """One draft, whatever became of it."""
        return (await asyncio.to_thread(lambda: shown([releases.store.get(n)], op)))[0]

    @router.post("/releases/{n}/release")
    async def release(n: int, op: Releaser) -> ReleasedOut:
        """Send held draft N exactly as composed; refused (403) to its author."""
        draft, ref = await releases.release(n, op.name, recheck(node))
        return ReleasedOut(
            draft=draft.n,
            party=ref.party,
            seq=ref.seq,
            id=ref.id,
            composed_by=draft.author,
            released_by=op.name,
        )

    @router.post("/releases/{n}/withdraw")
    async def withdraw(n: int, body: Withdrawal, op: Reader) -> DraftOut:
        """Withdraw held draft N (its author, or a supervisor): it is never sent."""
        draft = await asyncio.to_thread(releases.store.get, n)
        if not may_withdraw(draft, op):
            raise ForbiddenError(
                f"only {draft.author} (the author) or a supervisor may withdraw draft {n}"
            )
        return DraftOut.of(await releases.withdraw(n, op.name, body.reason), op)

    return router
