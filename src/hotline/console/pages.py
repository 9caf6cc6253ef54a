"""The operator console: server-rendered pages (Jinja2) updated with htmx and server-sent events.

Everything it loads comes from this node (templates, ``static/``, and the vendored htmx,
Leaflet and Natural Earth files that scripts/setup copies into ``static/vendor``). Pages use the
same session as the API (the HttpOnly ``hotline_session`` cookie, SameSite=Strict) and the same
role checks. Forms are posted URL-encoded and parsed here, size-bounded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from hotline.api.auth import ALLOWED, COOKIE
from hotline.catalogue import CATALOGUE, LANGUAGES, FreeText, OriginalText, dtg, encode_body
from hotline.catalogue.examples import examples
from hotline.catalogue.i18n import language
from hotline.console.cards import Card, card_of
from hotline.console.drafts import Draft, check_form, chosen_recipients, preview_languages
from hotline.console.forms import (
    Template,
    fields_of,
    form_entries,
    form_values,
    with_field_added,
    with_field_removed,
    with_row_added,
    with_row_removed,
)
from hotline.console.lineage import Lineage, lineage_of
from hotline.console.references import (
    INTENTS,
    NotReferableError,
    Referenced,
    amendment_object,
    referenced,
)
from hotline.console.releases import console_release_routes
from hotline.console.texts import chrome
from hotline.errors import HotlineError
from hotline.node.releases import FlashReleases
from hotline.node.runtime import Node
from hotline.node.views import messages
from hotline.protocol.envelope import Kind, Ref
from hotline.protocol.types import Marking, Precedence
from hotline.storage.operators import AuthError, Operator
from hotline.storage.store import Role

__all__ = ["STATIC_DIR", "console_routes"]

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
MAX_FORM_BYTES = 64 * 1024
SHOWN = 200  # newest messages of a channel on the screen; the transcript has them all

Current = Callable[..., Coroutine[Any, Any, Operator]]


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["utc"] = _utc
    env.filters["dtg"] = lambda ms: dtg(datetime.fromtimestamp(ms / 1000, UTC))
    return env


def _utc(ms: int | None) -> str:
    if not ms:
        return ""
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


async def _form(request: Request) -> dict[str, str]:
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        raise HotlineError(f"form is {len(raw)} bytes, over {MAX_FORM_BYTES}: shorten it")
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


@dataclass(frozen=True)
class LinkRow:
    peer: str
    bearers: list[Any]
    channel: str
    last_heard_ms: int
    skew_ms: int | None
    rtt_ms: int | None
    receipted: int
    last_test_ms: int | None
    test_overdue: bool


def console_routes(
    node: Node, current: Current, releases: FlashReleases | None = None
) -> APIRouter:
    """The console's pages and fragments, under /console (and / redirecting to it)."""
    router = APIRouter(include_in_schema=False)
    env = _environment()
    releases = releases or FlashReleases(node)
    router.include_router(console_release_routes(node, releases, env, current))

    async def who(request: Request) -> Operator | None:
        try:
            return await current(request)
        except AuthError:
            return None

    def markings() -> list[str]:
        found = {
            env_.mark
            for cid in node.slots
            for env_ in node.store.envelopes(cid)
            if env_.mark in (Marking.TEST, Marking.EXERCISE)
        }
        return sorted(str(m) for m in found)

    def overdue() -> list[str]:
        """Acknowledgements overdue in any channel, ours and the peers': on every screen."""
        now = node.clock_ms()
        return [
            f"{m.prec} {m.sender}-{m.seq:04d}"
            for slot in list(node.slots.values())
            for m in messages(node.store, slot.channel, now, limit=100_000)
            if m.overdue
        ]

    async def page(name: str, op: Operator | None, lang: str, **values: Any) -> HTMLResponse:
        marks = await asyncio.to_thread(markings) if op is not None else []
        late = await asyncio.to_thread(overdue) if op is not None else []
        now_ms = node.clock_ms()
        html = env.get_template(name).render(
            t=chrome(lang),
            lang=lang,
            op=op,
            party=node.party,
            markings=marks,
            late=late,
            now_ms=now_ms,
            **values,
        )
        return HTMLResponse(html)

    def to_login(request: Request) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/console/login"})
        return RedirectResponse("/console/login", status_code=303)

    def channel_or_first(cid: str | None) -> str | None:
        if cid and cid in node.slots:
            return cid
        return next(iter(node.slots), None)

    def channel_names() -> list[tuple[str, str]]:
        return [(cid, slot.channel.charter.name) for cid, slot in node.slots.items()]

    # -- session ---------------------------------------------------------------------------

    @router.get("/")
    async def root() -> Response:
        return RedirectResponse("/console/", status_code=303)

    @router.get("/console/login")
    async def login_page(request: Request, failed: int = 0, lang: str = "en") -> Response:
        return await page("login.html", None, lang, failed=bool(failed))

    @router.post("/console/login")
    async def log_in(request: Request) -> Response:
        form = await _form(request)
        name, password = form.get("name", ""), form.get("password", "")
        try:
            token = await asyncio.to_thread(node.operators.log_in, name, password, node.clock_ms())
        except HotlineError:
            return RedirectResponse("/console/login?failed=1", status_code=303)
        response = RedirectResponse("/console/", status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=12 * 3600)
        return response

    @router.post("/console/logout")
    async def log_out(request: Request) -> Response:
        token = request.cookies.get(COOKIE)
        if token:
            await asyncio.to_thread(node.operators.log_out, token, node.clock_ms())
        response = RedirectResponse("/console/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    # -- messages --------------------------------------------------------------------------

    def cards(op: Operator, cid: str) -> tuple[list[Card], Lineage]:
        channel = node.channel(cid)
        views = messages(node.store, channel, node.clock_ms(), limit=1_000_000)
        lineage = lineage_of((v.sender, v.seq, v.body) for v in views)
        languages = list(channel.charter.languages)
        found = [card_of(v, node.party, op.language, languages) for v in views[-SHOWN:]]
        return list(reversed(found)), lineage  # newest first

    async def message_list(op: Operator, cid: str) -> HTMLResponse:
        found, lineage = await asyncio.to_thread(cards, op, cid)
        released = await asyncio.to_thread(releases.released_by, cid)
        html = env.get_template("messages.html").render(
            t=chrome(op.language),
            cards=found,
            lineage=lineage,
            released={f"{p}-{s:04d}": by for (p, s), by in released.items()},
            cid=cid,
            party=node.party,
            can_send=op.role in ALLOWED["send"],
            now_ms=node.clock_ms(),
        )
        return HTMLResponse(html)

    @router.get("/console/")
    async def inbox(request: Request, channel: str | None = None) -> Response:
        op = await who(request)
        if op is None:
            return to_login(request)
        cid = channel_or_first(channel)
        return await page(
            "inbox.html", op, op.language, cid=cid, channels=channel_names(), active="inbox"
        )

    @router.get("/console/messages")
    async def message_fragment(request: Request, channel: str) -> Response:
        op = await who(request)
        if op is None:
            return to_login(request)
        return await message_list(op, node.channel(channel).channel_id)

    def resolve(cid: str, party: str, seq: int) -> Ref:
        stored = node.store.chain_envelope(cid, party, seq)
        if stored is None:
            raise HotlineError(f"no message {party}-{seq} in channel {cid[:12]}")
        return Ref(party=party, seq=seq, id=stored.id.hex())

    def audit(op: Operator, action: str, target: str, detail: str = "") -> None:
        node.operators.record(op.name, action, target, detail, node.clock_ms())

    @router.post("/console/ack/{cid}/{party}/{seq}")
    async def acknowledge(request: Request, cid: str, party: str, seq: int) -> Response:
        op = await who(request)
        if op is None:
            return to_login(request)
        if op.role not in ALLOWED["send"]:
            return Response(f"{op.role.value} may not acknowledge", status_code=403)
        cid = node.channel(cid).channel_id
        await node.acknowledge(cid, resolve(cid, party, seq))
        audit(op, "message.ack", f"{cid[:12]} {party}-{seq}", "console")
        return await message_list(op, cid)

    @router.post("/console/reply/{cid}/{party}/{seq}")
    async def reply(request: Request, cid: str, party: str, seq: int) -> Response:
        op = await who(request)
        if op is None:
            return to_login(request)
        if op.role not in ALLOWED["send"]:
            return Response(f"{op.role.value} may not reply", status_code=403)
        text = (await _form(request)).get("text", "").strip()
        cid = node.channel(cid).channel_id
        if text:
            lang = op.language if op.language in ("en", "ru", "uk") else "en"
            body = encode_body(FreeText(text=OriginalText(lang=lang, text=text)))
            await node.reply(cid, resolve(cid, party, seq), body)
            audit(op, "message.reply", f"{cid[:12]} {party}-{seq}", "console")
        return await message_list(op, cid)

    # -- compose ---------------------------------------------------------------------------

    type_names = [spec.name for spec in CATALOGUE if spec.name in examples()]

    def catalogue_texts(lang: str) -> Mapping[str, str]:
        return language(lang if lang in LANGUAGES else "en").texts

    def group_names(lang: str) -> dict[str, str]:
        """The catalogue's name of each top-level field, for the form's labels."""
        texts = catalogue_texts(lang)
        return {k.removeprefix("field."): v for k, v in texts.items() if k.startswith("field.")}

    def type_titles(lang: str) -> dict[str, str]:
        texts = catalogue_texts(lang)
        return {name: texts.get(f"type.{name}", name) for name in type_names}

    def compose_values(
        type_name: str,
        values: dict[str, str] | None,
        draft: Draft | None,
        op: Operator,
        form: dict[str, str],
        reference: Referenced | None = None,
        cid: str | None = None,
    ) -> dict[str, Any]:
        template = reference.template if reference else None
        sent_type = "amendment" if reference and reference.intent == "amend" else type_name
        spec = CATALOGUE.spec(sent_type)
        t = chrome(op.language)
        others = recipients_of(cid) if cid else []
        chosen = chosen_recipients(form, others) if form else others
        return {
            "type_name": type_name,
            "fields": draft.fields if draft else fields_of(type_name, values, template),
            "entries": form_entries(type_name, values, template),
            "field_issues": draft.field_issues if draft else {},
            "general": draft.general if draft else [],
            "warnings": draft.warnings if draft else [],
            "previews": draft.previews if draft and draft.notification else {},
            "precedences": [p.value for p in spec.precedences],
            "prec": form.get("prec") or spec.default_precedence.value,
            "mark": form.get("mark") or Marking.EXERCISE.value,
            "mark_choices": [m.value for m in Marking],
            "group_of": group_names(op.language),
            "wording": catalogue_texts(op.language),  # enum values and yes/no, for lists
            "t": t,
            "reference": reference,
            "reference_line": reference.line(verbs(t)) if reference else "",
            "locked": reference.locked if reference else "",
            "reason": form.get("reason", ""),
            # recipients are chosen on channels of more than two parties; replies go to all
            "recipients": others if len(others) > 1 and not is_reply(reference) else [],
            "chosen": chosen,
        }

    def verbs(t: Mapping[str, str]) -> dict[str, str]:
        return {intent: t[f"ref.verb.{intent}"] for intent in INTENTS}

    def is_reply(reference: Referenced | None) -> bool:
        return reference is not None and reference.intent == "reply"

    def recipients_of(cid: str) -> list[str]:
        return [p for p in node.channel(cid).charter.parties if p != node.party]

    def find_reference(op: Operator, cid: str, intent: str, party: str, seq: int) -> Referenced:
        """The reference of a compose page, from the store (blocking)."""
        message_id = f"{party}-{seq:04d}"
        if intent not in INTENTS:
            raise NotReferableError(message_id, intent, "unknown action: amend, cancel or reply")
        channel = node.channel(cid)
        views = messages(node.store, channel, node.clock_ms(), limit=1_000_000)
        view = next((v for v in views if v.sender == party and v.seq == seq), None)
        if view is None:
            raise NotReferableError(message_id, intent, "no such message in this channel")
        lineage = lineage_of((v.sender, v.seq, v.body) for v in views)
        return referenced(
            intent,
            view,
            node.party,
            in_force=lineage.in_force(party, seq),
            titles=type_titles_all(op.language),
            lang=op.language if op.language in LANGUAGES else "en",
        )

    def type_titles_all(lang: str) -> dict[str, str]:
        texts = catalogue_texts(lang)
        return {spec.name: texts.get(f"type.{spec.name}", spec.name) for spec in CATALOGUE}

    @router.get("/console/compose")
    async def compose(
        request: Request,
        channel: str | None = None,
        type: str = "flight_notice",
        intent: str | None = None,
        party: str | None = None,
        seq: int | None = None,
    ) -> Response:
        op = await who(request)
        if op is None:
            return to_login(request)
        type_name = type if type in type_names else "flight_notice"
        cid = channel_or_first(channel)
        reference: Referenced | None = None
        if cid and intent and party and seq:
            try:
                reference = await asyncio.to_thread(find_reference, op, cid, intent, party, seq)
            except NotReferableError as exc:
                return HTMLResponse(str(exc), status_code=409)
            type_name = reference.type_name
        values = compose_values(type_name, None, None, op, {}, reference, cid)
        return await page(
            "compose.html",
            op,
            op.language,
            cid=cid,
            channels=channel_names(),
            type_names=type_names,
            type_titles=type_titles(op.language),
            active="compose",
            **{k: v for k, v in values.items() if k != "t"},
        )

    @router.get("/console/compose/form")
    async def compose_form(request: Request, type: str, channel: str | None = None) -> Response:
        op = await who(request)
        if op is None:
            return to_login(request)
        type_name = type if type in type_names else "flight_notice"
        values = compose_values(type_name, None, None, op, {}, None, channel_or_first(channel))
        return HTMLResponse(env.get_template("compose_form.html").render(**values))

    @router.post("/console/compose")
    async def compose_post(request: Request) -> Response:
        op = await who(request)
        if op is None:
            return to_login(request)
        form = await _form(request)
        channel = node.channel(form.get("channel", ""))
        cid = channel.channel_id
        reference: Referenced | None = None
        if form.get("intent"):
            try:
                seq = int(form.get("ref_seq", ""))
                reference = await asyncio.to_thread(
                    find_reference, op, cid, form["intent"], form.get("ref_party", ""), seq
                )
            except ValueError:
                return HTMLResponse("the reference's message number is not a number", 422)
            except NotReferableError as exc:
                return HTMLResponse(str(exc), status_code=409)
        type_name = reference.type_name if reference else form.get("type", "")
        if type_name not in type_names:
            return HTMLResponse(f"unknown notification type {type_name!r}", status_code=422)
        template: Template | None = reference.template if reference else None
        values = {k[2:]: v for k, v in form.items() if k.startswith("f:")}
        if reference and reference.locked:
            # the reference comes from the store, whatever the form says
            values = {k: v for k, v in values.items() if not k.startswith(reference.locked)}
            values |= {
                k: v
                for k, v in form_values(reference.template).items()
                if k.startswith(reference.locked + ".")
            }
        try:
            prec, mark = Precedence(form.get("prec", "")), Marking(form.get("mark", ""))
        except ValueError:
            return HTMLResponse("precedence or marking not recognised", status_code=422)
        action = form.get("action", "")
        if action.startswith(("add:", "remove:", "include:", "omit:")):
            # a repeated group changes size or an optional field comes or goes: show the
            # form again, check nothing yet
            kind, _, path = action.partition(":")
            if kind == "add":
                values = with_row_added(type_name, values, path, template)
            elif kind == "remove":
                values = with_row_removed(type_name, values, path)
            elif kind == "include":
                lang = op.language if op.language in LANGUAGES else "en"
                values = with_field_added(type_name, values, path, template, lang)
            else:
                values = with_field_removed(values, path)
            context = compose_values(type_name, values, None, op, form, reference, cid)
            return HTMLResponse(env.get_template("compose_form.html").render(**context))
        others = recipients_of(cid)
        to = chosen_recipients(form, others)
        amending = reference is not None and reference.intent == "amend"
        wrap = None
        if reference is not None and amending:
            lang = op.language if op.language in LANGUAGES else "en"
            reason = form.get("reason", "")
            wrap = partial(amendment_object, reference, reason=reason, reason_lang=lang)
        draft = await asyncio.to_thread(
            check_form,
            type_name,
            values,
            template=template,
            wrap=wrap,
            prec=prec,
            mark=mark,
            sender=node.party,
            recipients=to,
            languages=preview_languages(list(channel.charter.languages), op.language),
            now_ms=node.clock_ms(),
            references=[reference.message_ref] if reference else [],
        )
        t = chrome(op.language)
        if amending and any(g.startswith("changed") for g in draft.general):
            others_general = [g for g in draft.general if not g.startswith("changed")]
            draft.general = [t["ref.nothing_changed"], *others_general]
        context = compose_values(type_name, values, draft, op, form, reference, cid)
        context["second_person"] = releases.applies(cid, prec)
        if form.get("action") == "release" and draft.notification is not None:
            if op.role not in ALLOWED["send"]:
                return HTMLResponse(f"{op.role.value} may not send", status_code=403)
            body = encode_body(draft.notification)
            refs = [reference.ref] if reference else []
            named = to if set(to) != set(others) else None  # None: every member
            if is_reply(reference) and reference is not None:
                ref = await node.reply(cid, reference.ref, body, prec)
                audit(op, "message.reply", f"{cid[:12]} {reference.message_id}", "console")
            elif releases.applies(cid, prec):
                draft_held = await releases.hold(
                    cid, body, prec=prec, mark=mark, to=named, refs=refs, author=op.name
                )
                context["held"] = draft_held.n
                return HTMLResponse(env.get_template("compose_form.html").render(**context))
            else:
                ref = await node.notify(cid, body, prec=prec, mark=mark, to=named, refs=refs)
                audit(
                    op,
                    "message.send",
                    f"{cid[:12]} {ref.party}-{ref.seq}",
                    f"{prec.value} {mark.value} console",
                )
            context["sent"] = f"{ref.party}-{ref.seq:04d}"
            context["sent_url"] = "/console/?channel=" + quote(cid)
        return HTMLResponse(env.get_template("compose_form.html").render(**context))

    # -- map, links, transcript ---------------------------------------------------------------

    @router.get("/console/map")
    async def map_page(request: Request) -> Response:
        op = await who(request)
        if op is None:
            return to_login(request)
        return await page("map.html", op, op.language, active="map")

    def link_rows() -> list[LinkRow]:
        rows = []
        for peer in sorted(node.peers):
            link = node.links.get(peer)
            bearers = list(link.statuses()) if link else []
            for cid, slot in node.slots.items():
                if peer not in slot.channel.peers:
                    continue
                status = slot.channel.peer_status(peer)
                tests = [
                    e.stored_ms
                    for e in node.store.envelopes(cid)
                    if e.kind == Kind.LINK_TEST and e.sender == peer
                ]
                state = slot.channel.links.get(peer)
                rows.append(
                    LinkRow(
                        peer=peer,
                        bearers=bearers,
                        channel=slot.channel.charter.name,
                        last_heard_ms=status.last_heard_ms,
                        skew_ms=status.skew_ms,
                        rtt_ms=status.rtt_ms,
                        receipted=status.receipted,
                        last_test_ms=max(tests) if tests else None,
                        test_overdue=bool(getattr(state, "test_overdue", False)),
                    )
                )
            if not any(r.peer == peer for r in rows):
                rows.append(LinkRow(peer, bearers, "", 0, None, None, 0, None, False))
        return rows

    @router.get("/console/links")
    async def links_page(request: Request) -> Response:
        op = await who(request)
        if op is None:
            return to_login(request)
        rows = await asyncio.to_thread(link_rows)
        return await page("links.html", op, op.language, rows=rows, active="links")

    @router.get("/console/transcript")
    async def transcript_page(request: Request, channel: str | None = None) -> Response:
        op = await who(request)
        if op is None:
            return to_login(request)
        cid = channel_or_first(channel)
        rows = await asyncio.to_thread(lambda: list(node.store.envelopes(cid)) if cid else [])
        last: dict[str, int] = {}
        gaps: list[str] = []
        chained = [r for r in rows if r.role in (Role.OWN, Role.PEER)]
        evidence = [r for r in rows if r.role is Role.EVIDENCE]
        for row in sorted(chained, key=lambda r: (r.sender, r.seq)):
            if row.seq != last.get(row.sender, 0) + 1:
                gaps.append(f"{row.sender} {last.get(row.sender, 0)} -> {row.seq}")
            last[row.sender] = row.seq
        return await page(
            "transcript.html",
            op,
            op.language,
            cid=cid,
            channels=channel_names(),
            rows=rows,
            gaps=gaps,
            evidence=evidence,
            heads=sorted(last.items()),
            active="transcript",
        )

    # -- files -----------------------------------------------------------------------------

    @router.get("/console/static/{path:path}")
    async def static(path: str) -> Response:
        target = (STATIC_DIR / path).resolve()
        if not target.is_relative_to(STATIC_DIR.resolve()) or not target.is_file():
            return Response("not found", status_code=404)
        return FileResponse(target, headers={"Cache-Control": "no-cache"})

    return router
