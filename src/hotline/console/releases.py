"""The console's "FLASH awaiting release" list: on every screen of every operator of the node,
with the held text in both languages and Release / Withdraw buttons.

Release is shown disabled, with the reason, to the author and to roles that may not release;
the node refuses them all the same (the API's rule, not the page's, is what holds).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment

from hotline.api.auth import ALLOWED
from hotline.api.releases import draft_previews, may_withdraw, recheck
from hotline.console.texts import chrome
from hotline.errors import HotlineError
from hotline.node.releases import FlashReleases
from hotline.node.runtime import Node
from hotline.storage.operators import AuthError, Operator
from hotline.storage.releases import HeldDraft

__all__ = ["HeldRow", "console_release_routes"]

MAX_REASON_BYTES = 8 * 1024


@dataclass(frozen=True)
class HeldRow:
    draft: HeldDraft
    channel_name: str
    previews: dict[str, str]
    why_not: str  # why this operator may not release it, in their language ("" if they may)
    may_withdraw: bool


def console_release_routes(
    node: Node,
    releases: FlashReleases,
    env: Environment,
    current: Callable[..., Coroutine[Any, Any, Operator]],
) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def rows(op: Operator) -> list[HeldRow]:
        t = chrome(op.language)
        out = []
        for d in releases.pending():
            channel = node.channel(d.channel_id)
            if op.role not in ALLOWED["release_flash"]:
                why_not = t["release.not_role"]
            elif op.name == d.author:
                why_not = t["release.not_author"]
            else:
                why_not = ""
            out.append(
                HeldRow(
                    d,
                    channel.charter.name,
                    draft_previews(d, channel.charter, node.party, op.language),
                    why_not,
                    may_withdraw(d, op),
                )
            )
        return out

    async def fragment(op: Operator, done: str = "", error: str = "") -> HTMLResponse:
        found = await asyncio.to_thread(rows, op)
        html = env.get_template("releases.html").render(
            t=chrome(op.language), rows=found, done=done, error=error
        )
        return HTMLResponse(html)

    async def who(request: Request) -> Operator | None:
        try:
            return await current(request)
        except AuthError:
            return None

    def to_login() -> Response:
        return Response(status_code=401, headers={"HX-Redirect": "/console/login"})

    @router.get("/console/releases")
    async def pending(request: Request) -> Response:
        op = await who(request)
        return to_login() if op is None else await fragment(op)

    @router.post("/console/releases/{n}/release")
    async def release(request: Request, n: int) -> Response:
        op = await who(request)
        if op is None:
            return to_login()
        t = chrome(op.language)
        if op.role not in ALLOWED["release_flash"]:
            return await fragment(op, error=t["release.not_role"])
        try:
            _, ref = await releases.release(n, op.name, recheck(node))
        except HotlineError as exc:
            return await fragment(op, error=str(exc))
        return await fragment(op, done=f"{t['compose.sent']} {ref.party}-{ref.seq:04d}")

    @router.post("/console/releases/{n}/withdraw")
    async def withdraw(request: Request, n: int) -> Response:
        op = await who(request)
        if op is None:
            return to_login()
        t = chrome(op.language)
        raw = await request.body()
        form = dict(parse_qsl(raw[:MAX_REASON_BYTES].decode("utf-8", "replace")))
        reason = form.get("reason", "").strip()
        if not reason:
            return await fragment(op, error=t["release.reason_needed"])
        try:
            draft = await asyncio.to_thread(releases.store.get, n)
            if not may_withdraw(draft, op):
                return await fragment(op, error=t["release.not_withdraw"])
            await releases.withdraw(n, op.name, reason[:2000])
        except HotlineError as exc:
            return await fragment(op, error=str(exc))
        return await fragment(op, done=f"{t['release.withdrawn']} ({t['release.draft']} {n})")

    return router
