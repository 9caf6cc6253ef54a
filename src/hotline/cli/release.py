"""`hotline release list|approve|withdraw`: the second person of a FLASH's two-person release.

On a channel whose charter asks for it, `hotline send` of a FLASH holds it as a numbered draft;
a supervisor who did not write it approves it here (the node sends it exactly as composed), or
its author or a supervisor withdraws it with a reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from rich.table import Table

from hotline.cli.channel import channel_argument
from hotline.cli.client import DraftInfo, NodeClient, ReleasedInfo
from hotline.cli.options import console, operator_command, print_json


@click.group("release")
def release() -> None:
    """FLASH held for a second operator: list, approve (send) or withdraw."""


@release.command("list")
@click.argument("channel_id", metavar="[CHANNEL]", required=False)
@operator_command
@click.option("--full", is_flag=True, help="Also print each held text in every language.")
def list_held(
    channel_id: str | None, home: Path, api: str | None, as_json: bool, full: bool
) -> None:
    """FLASH drafts awaiting a second operator (of one channel, or all), oldest first."""
    client = NodeClient(home, api)
    path = "/api/v1/releases"
    if channel_id is not None:
        path = f"/api/v1/channels/{channel_argument(client, channel_id, 0).id}/releases"
    drafts = client.call("GET", path, list[DraftInfo])
    if as_json:
        print_json(drafts)
        return
    table = Table("draft", "channel", "prec", "mark", "composed by", "held at", "you may release")
    for d in drafts:
        held_at = datetime.fromtimestamp(d.held_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        may = "yes" if d.may_release else f"no: {d.why_not}"
        table.add_row(str(d.draft), d.channel[:12], d.prec, d.mark, d.author, held_at, may)
    if not drafts:
        table.add_row("", "", "", "", "nothing awaits release", "", "")
    console().print(table)
    if full:
        for d in drafts:
            for lang, text in d.previews.items():
                click.echo(f"\n--- draft {d.draft} [{lang}] ---\n{text}")


@release.command("approve")
@click.argument("draft", type=click.IntRange(min=1))
@operator_command
def approve(draft: int, home: Path, api: str | None, as_json: bool) -> None:
    """Release held draft DRAFT: the node sends it exactly as its author composed it."""
    done = NodeClient(home, api).call("POST", f"/api/v1/releases/{draft}/release", ReleasedInfo)
    if as_json:
        print_json(done)
        return
    click.echo(
        f"Released draft {draft} as {done.party}-{done.seq} "
        f"(composed by {done.composed_by}, released by {done.released_by})."
    )


@release.command("withdraw")
@click.argument("draft", type=click.IntRange(min=1))
@operator_command
@click.option("--reason", required=True, help="Why it is withdrawn (kept in the audit record).")
def withdraw(draft: int, home: Path, api: str | None, as_json: bool, reason: str) -> None:
    """Withdraw held draft DRAFT (its author, or a supervisor): it is never sent."""
    if not reason.strip():
        raise click.BadParameter("say why it is withdrawn", param_hint="--reason")
    path = f"/api/v1/releases/{draft}/withdraw"
    done = NodeClient(home, api).call("POST", path, DraftInfo, {"reason": reason.strip()})
    if as_json:
        print_json(done)
        return
    click.echo(f"Withdrew draft {draft} ({done.prec}, composed by {done.author}): {done.reason}")
