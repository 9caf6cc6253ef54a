"""`hotline send`, `inbox`, `ack`, `reply` and `links`: a watch officer's traffic, through the
running node's API.

Receipt (the peer's node stored it), acknowledgement (a peer's operator read it) and reply are
three separate columns of the inbox, never one "status": none of them means approval.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from hotline.catalogue import CATALOGUE
from hotline.cli.channel import channel_argument
from hotline.cli.client import (
    ApiError,
    ChannelInfo,
    ClientError,
    LinkInfo,
    MessageInfo,
    NodeClient,
    SendAnswer,
    SentRef,
)
from hotline.cli.options import WAIT, console, operator_command, print_json
from hotline.errors import HotlineError
from hotline.protocol.types import Marking, Precedence

PRECEDENCE_STYLE = {
    "FLASH": "bold white on red",
    "IMMEDIATE": "bold red",
    "PRIORITY": "bold yellow",
    "ROUTINE": "",
}
PRECEDENCES = [p.value for p in Precedence]
MARKINGS = [m.value for m in Marking]


def parse_number(text: str) -> tuple[str, int]:
    """`US-3` or `UN-OCHA-0042` -> (party, seq)."""
    party, _, seq = text.rpartition("-")
    if not party or not seq.isdigit() or int(seq) < 1:
        raise HotlineError(f"message number {text!r}: write it as PARTY-SEQ, e.g. US-3")
    return party, int(seq)


# -- send -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to send: a catalogue body (object) or free text (string), and its header."""

    body: object
    prec: str
    mark: str
    to: list[str] | None
    refs: list[tuple[str, int]]

    def request(self) -> dict[str, object]:
        return {
            "body": self.body,
            "prec": self.prec,
            "mark": self.mark,
            "to": self.to,
            "refs": [list(r) for r in self.refs],
        }


def default_precedence(body: object) -> str:
    """The catalogue's default for the body's type (stop/check fire: FLASH), else ROUTINE."""
    if isinstance(body, dict) and body.get("type") in CATALOGUE.names:
        return CATALOGUE.spec(str(body["type"])).default_precedence.value
    return Precedence.ROUTINE.value


Line = tuple[int, "Outgoing | HotlineError"]


def outgoing_lines(text: str, defaults: Outgoing) -> list[Line]:
    """A file's messages: one JSON body, or JSON Lines (a body, or {"body": ..., "prec": ...}
    per line). A line that cannot be read becomes its error, in its place."""
    try:
        whole = json.loads(text)
        if isinstance(whole, dict):
            return [(1, _outgoing(whole, defaults))]
    except ValueError:
        pass
    except HotlineError as exc:
        return [(1, exc)]
    out: list[Line] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise HotlineError("a JSON object is needed")
            out.append((number, _outgoing(item, defaults)))
        except ValueError as exc:
            out.append((number, HotlineError(f"not JSON ({exc})")))
        except HotlineError as exc:
            out.append((number, exc))
    return out


def _outgoing(item: dict[str, object], defaults: Outgoing) -> Outgoing:
    if "body" not in item:  # a bare notification body
        prec = defaults.prec or default_precedence(item)
        return Outgoing(item, prec, defaults.mark, defaults.to, defaults.refs)
    unknown = set(item) - {"body", "prec", "mark", "to", "refs"}
    if unknown:
        raise HotlineError(f"unknown keys {sorted(unknown)}: use body, prec, mark, to, refs")
    body = item["body"]
    prec = str(item.get("prec") or defaults.prec or default_precedence(body))
    to = item.get("to", defaults.to)
    refs = item.get("refs")
    return Outgoing(
        body,
        str(prec),
        str(item.get("mark") or defaults.mark),
        [str(p) for p in to] if isinstance(to, list) else None,
        [parse_number(str(r)) for r in refs] if isinstance(refs, list) else defaults.refs,
    )


@click.command("send")
@click.argument("channel_id", metavar="CHANNEL")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@operator_command
@click.option("--text", help="Free text to send instead of a FILE.")
@click.option("--prec", type=click.Choice(PRECEDENCES), help="Precedence (default: the type's).")
@click.option("--mark", type=click.Choice(MARKINGS), default="REAL", show_default=True)
@click.option("--to", "to", multiple=True, help="Only to this party (repeat).")
@click.option("--ref", "refs", multiple=True, help="Refers to message PARTY-SEQ (repeat).")
@WAIT
def send(
    channel_id: str,
    file: Path | None,
    home: Path,
    api: str | None,
    as_json: bool,
    text: str | None,
    prec: str | None,
    mark: str,
    to: tuple[str, ...],
    refs: tuple[str, ...],
    wait_s: float,
) -> None:
    """Send a notification: FILE (one JSON body, or JSON Lines: many) or --text."""
    if (file is None) == (text is None):
        raise HotlineError("give either a FILE or --text")
    defaults = Outgoing(None, prec or "", mark, list(to) or None, [parse_number(r) for r in refs])
    client = NodeClient(home, api)
    found = _open_channel(client, channel_id, wait_s)
    if text is not None:
        items: list[Line] = [
            (1, Outgoing(text, prec or Precedence.ROUTINE.value, mark, defaults.to, defaults.refs))
        ]
    else:
        assert file is not None
        try:
            items = outgoing_lines(file.read_text(encoding="utf-8"), defaults)
        except (OSError, UnicodeDecodeError) as exc:
            raise HotlineError(f"cannot read {file}: {exc}") from None
    if not items:
        raise HotlineError(f"{file} holds no message: one JSON body, or JSON Lines")
    if len(items) == 1:
        item = items[0][1]
        if isinstance(item, HotlineError):
            raise item
        sent = _send_one(client, found, item)
        if as_json:
            print_json(sent)
        elif sent.draft is not None:
            click.echo(f"{item.prec} held for release by a second operator (draft {sent.draft}).")
        else:
            click.echo(f"Sent {sent.party}-{sent.seq} ({item.prec}) in {found.name}.")
            for warning in sent.warnings:
                click.echo(f"  {warning}", err=True)
        return
    _send_many(client, found, items, as_json)


def _open_channel(client: NodeClient, wanted: str, wait_s: float) -> ChannelInfo:
    found = channel_argument(client, wanted, wait_s)
    if found.opened or wait_s == 0:
        return found

    def opened() -> ChannelInfo | None:
        again = channel_argument(client, found.id, 0)
        return again if again.opened else None

    waiting = ", ".join(p for p in found.parties if p not in found.accepted_by)
    return client.wait(f"channel {found.name} is not open: waiting for {waiting}", wait_s, opened)


def _send_one(client: NodeClient, channel: ChannelInfo, item: Outgoing) -> SendAnswer:
    path = f"/api/v1/channels/{channel.id}/messages"
    return client.call("POST", path, SendAnswer, item.request())


def _send_many(client: NodeClient, channel: ChannelInfo, items: list[Line], as_json: bool) -> None:
    """Every line is tried and reported; a refused line stops nothing."""
    from rich.progress import Progress

    results: list[dict[str, object]] = []
    err = console()
    err.stderr = True
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task(f"sending to {channel.name}", total=len(items))
        for number, item in items:
            try:
                if isinstance(item, HotlineError):
                    raise item
                sent = _send_one(client, channel, item)
                if sent.draft is not None:
                    results.append({"line": number, "held": sent.draft, "warnings": sent.warnings})
                    line = f"line {number}: held for release by a second operator (draft "
                    line += f"{sent.draft})"
                else:
                    sent_as = f"{sent.party}-{sent.seq}"
                    results.append({"line": number, "sent": sent_as, "warnings": sent.warnings})
                    line = f"line {number}: sent {sent_as} ({item.prec})"
            except (ApiError, HotlineError) as exc:
                if isinstance(exc, ClientError) and not isinstance(exc, ApiError):
                    raise  # the node is gone or the session is: stopping is the only answer
                results.append({"line": number, "error": str(exc)})
                line = f"line {number}: refused: {exc}"
            if not as_json:
                progress.console.print(line, markup=False)
            progress.advance(task)
    sent_count = sum(1 for r in results if "sent" in r)
    held = sum(1 for r in results if "held" in r)
    refused = len(results) - sent_count - held
    if as_json:
        print_json({"sent": sent_count, "held": held, "refused": refused, "lines": results})
    else:
        held_note = f", {held} held for release" if held else ""
        click.echo(f"{len(results)} lines: {sent_count} sent{held_note}, {refused} refused.")
    if refused:
        raise SystemExit(1)


# -- inbox ----------------------------------------------------------------------------------


@click.command("inbox")
@click.argument("channel_id", metavar="[CHANNEL]", required=False)
@operator_command
@click.option(
    "--full", is_flag=True, help="Also print each message in your language and the original."
)
@WAIT
def inbox(
    channel_id: str | None, home: Path, api: str | None, as_json: bool, full: bool, wait_s: float
) -> None:
    """Messages of one channel (or all), with receipt, acknowledgement and reply apart.

    With --wait, wait until a message awaits your acknowledgement."""
    client = NodeClient(home, api)

    def gather() -> list[tuple[ChannelInfo, list[MessageInfo]]] | None:
        if channel_id is not None:
            channels = [channel_argument(client, channel_id, 0)]
        else:
            channels = client.call("GET", "/api/v1/channels", list[ChannelInfo])
        found = [
            (c, client.call("GET", f"/api/v1/channels/{c.id}/messages", list[MessageInfo]))
            for c in channels
        ]
        if wait_s and not any(_awaits_us(m) for _, ms in found for m in ms):
            return None
        return found

    found = client.wait("no message awaits your acknowledgement", wait_s, gather)
    if as_json:
        print_json([m for _, ms in found for m in ms])
        return
    out = console()
    now_ms = time.time_ns() // 1_000_000
    for channel, views in found:
        out.print(inbox_table(channel, views, now_ms))
        if full:
            for view in views:
                _print_renderings(view)


def _awaits_us(view: MessageInfo) -> bool:
    return view.direction == "in" and bool(view.awaiting_ack_from) and view.kind == "notification"


def inbox_table(channel: ChannelInfo, views: list[MessageInfo], now_ms: int) -> Table:
    table = Table(title=f"{channel.name} ({channel.id[:12]})", title_justify="left")
    for column in ("prec", "from", "no."):
        table.add_column(column, no_wrap=True)
    table.add_column("subject", overflow="fold", ratio=1)
    for column in ("receipt", "ack", "reply", "due"):
        table.add_column(column)
    for v in views:
        prec = Text(v.prec, style=PRECEDENCE_STYLE.get(v.prec, ""))
        if v.mark != "REAL":
            prec.append(f" {v.mark}", style="bold magenta")
        table.add_row(prec, v.sender, v.number, v.subject or v.problem or "", *_states(v, now_ms))
    if not views:
        table.add_row("", "", "", "no messages yet", "", "", "", "")
    return table


def _states(v: MessageInfo, now_ms: int) -> tuple[str, str, str, Text]:
    """Receipt, acknowledgement, reply, deadline: four separate facts."""
    if v.direction == "out":
        receipt = "stored by " + ", ".join(v.receipted_by) if v.receipted_by else "not yet"
        ack = ", ".join(a.party for a in v.acks) or ""
        if v.awaiting_ack_from:
            ack = (ack + "; " if ack else "") + "awaiting " + ", ".join(v.awaiting_ack_from)
    else:
        receipt = "stored here"
        ack = "awaiting you" if v.awaiting_ack_from else "acknowledged"
    reply = ", ".join(f"{a.party}-{a.seq}" for a in v.replies)
    due = Text("")
    if v.awaiting_ack_from and v.kind == "notification":
        left_s = (v.ack_due_ms - now_ms) // 1000
        if v.overdue or left_s < 0:
            due = Text(f"OVERDUE {_duration(-left_s)}", style="bold red")
        else:
            due = Text(f"in {_duration(left_s)}")
    return receipt, ack, reply, due


def _duration(seconds: int) -> str:
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def _print_renderings(view: MessageInfo) -> None:
    click.echo(f"\n--- {view.number} ---")
    if view.problem:
        click.echo(f"({view.problem})")
    for lang, text in view.renderings.items():
        label = "original" if lang == view.original_lang else "your language"
        click.echo(f"[{lang}, {label}]\n{text}")


# -- ack, reply -----------------------------------------------------------------------------


def _until_found(
    client: NodeClient,
    what: str,
    wait_s: float,
    call: type[SentRef],
    path: str,
    body: object = None,
) -> SentRef:
    """POST, and while the message has not arrived (404), try again for up to `wait_s`."""
    last: list[str] = [f"no message {what}"]

    def attempt() -> SentRef | None:
        try:
            return client.call("POST", path, call, body)
        except ApiError as exc:
            if exc.status != 404 or wait_s == 0:
                raise
            last[0] = str(exc)
            return None

    return client.wait(lambda: last[0], wait_s, attempt)


@click.command("ack")
@click.argument("channel_id", metavar="CHANNEL")
@click.argument("number", metavar="PARTY-SEQ")
@operator_command
@WAIT
def ack(
    channel_id: str, number: str, home: Path, api: str | None, as_json: bool, wait_s: float
) -> None:
    """Acknowledge message PARTY-SEQ: you have read and understood it (not: approved it)."""
    party, seq = parse_number(number)
    client = NodeClient(home, api)
    found = channel_argument(client, channel_id, wait_s)
    path = f"/api/v1/channels/{found.id}/messages/{party}/{seq}/ack"
    sent = _until_found(client, number, wait_s, SentRef, path)
    if as_json:
        print_json(sent)
    else:
        click.echo(f"Acknowledged {party}-{seq} (as {sent.party}-{sent.seq}).")


@click.command("reply")
@click.argument("channel_id", metavar="CHANNEL")
@click.argument("number", metavar="PARTY-SEQ")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@operator_command
@click.option("--text", help="Free text to answer with instead of a FILE.")
@click.option("--prec", type=click.Choice(PRECEDENCES), help="Default: the message's.")
@WAIT
def reply(
    channel_id: str,
    number: str,
    file: Path | None,
    home: Path,
    api: str | None,
    as_json: bool,
    text: str | None,
    prec: str | None,
    wait_s: float,
) -> None:
    """Answer message PARTY-SEQ with --text or a FILE holding one JSON body."""
    if (file is None) == (text is None):
        raise HotlineError("give either a FILE or --text")
    party, seq = parse_number(number)
    body: object = text
    if file is not None:
        try:
            body = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise HotlineError(f"cannot read a JSON body from {file}: {exc}") from None
    client = NodeClient(home, api)
    found = channel_argument(client, channel_id, wait_s)
    path = f"/api/v1/channels/{found.id}/messages/{party}/{seq}/reply"
    sent = _until_found(client, number, wait_s, SentRef, path, {"body": body, "prec": prec})
    if as_json:
        print_json(sent)
    else:
        click.echo(f"Replied to {party}-{seq} with {sent.party}-{sent.seq}.")


# -- links ----------------------------------------------------------------------------------


@click.command("links")
@operator_command
def links(home: Path, api: str | None, as_json: bool) -> None:
    """Each peer's bearers (direct, relays): up or down, round trip, last error."""
    found = NodeClient(home, api).call("GET", "/api/v1/links", list[LinkInfo])
    if as_json:
        print_json(found)
        return
    table = Table("peer", "bearer", "state", "rtt", "sent", "failures", "refused", "last error")
    now_ms = time.time_ns() // 1_000_000
    for link in found:
        for b in link.bearers:
            if b.up is None:
                state = Text("not tried")
            else:
                state = Text("up", style="green") if b.up else Text("DOWN", style="bold red")
            if b.up and b.last_ok_ms:
                state.append(f" ({_duration((now_ms - b.last_ok_ms) // 1000)} ago)")
            rtt = f"{b.rtt_ms:.1f} ms" if b.rtt_ms is not None else ""
            # the peer's own reason for refusing our envelopes says more than a transport error
            last = b.last_refusal if b.refused and b.last_refusal else b.last_error
            table.add_row(
                link.peer,
                b.name,
                state,
                rtt,
                str(b.sent),
                str(b.failures),
                str(b.refused),
                last or "",
            )
        if not link.bearers:
            table.add_row(link.peer, "none", Text("no bearer configured", style="bold red"))
    console().print(table)
