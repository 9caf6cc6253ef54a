"""`hotline channel create|accept|list`, and how every command finds a channel: by its id, a
unique prefix of it, or its unique name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from hotline.cli.client import ChannelInfo, ClientError, NodeClient
from hotline.cli.options import WAIT, console, operator_command, print_json

MIN_PREFIX = 4


class UnknownChannelError(ClientError):
    """No channel, or more than one, matches what the operator typed."""


def find_channel(client: NodeClient, wanted: str) -> ChannelInfo:
    """The channel whose id is `wanted`, starts with it, or whose name is it (each unique)."""
    channels = client.call("GET", "/api/v1/channels", list[ChannelInfo])
    prefix = wanted.lower() if len(wanted) >= MIN_PREFIX else None
    rules: list[Callable[[ChannelInfo], bool]] = [
        lambda c: c.id == wanted,
        lambda c: prefix is not None and c.id.startswith(prefix),
        lambda c: c.name == wanted,
    ]
    for rule in rules:
        found = [c for c in channels if rule(c)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(f"{c.id[:12]} ({c.name})" for c in found)
            raise UnknownChannelError(
                f"{wanted!r} matches {len(found)} channels: {names}; give more"
            )
    raise UnknownChannelError(
        f"no channel {wanted!r} on this node (see `hotline channel list --home {client.home}`)"
    )


def channel_argument(client: NodeClient, wanted: str, wait_s: float) -> ChannelInfo:
    """`find_channel`, trying again for up to `wait_s` seconds (a proposal still on its way)."""
    last: list[UnknownChannelError] = []

    def attempt() -> ChannelInfo | None:
        try:
            return find_channel(client, wanted)
        except UnknownChannelError as exc:
            if wait_s == 0:
                raise
            last[:] = [exc]
            return None

    return client.wait(lambda: str(last[0]), wait_s, attempt)


@click.group("channel")
def channel() -> None:
    """Propose, accept and list channels."""


@channel.command("create")
@click.argument("name")
@operator_command
@click.option("--with", "parties", multiple=True, required=True, help="Another party (repeat).")
@click.option("--language", "languages", multiple=True, help="A language of the channel (repeat).")
@click.option(
    "--test-interval",
    "test_interval_s",
    type=int,
    default=3600,
    show_default=True,
    help="Seconds between scheduled link tests.",
)
@click.option(
    "--two-person-flash",
    is_flag=True,
    help="A FLASH is held until a second operator (a supervisor) releases it.",
)
def create(
    name: str,
    home: Path,
    api: str | None,
    as_json: bool,
    parties: tuple[str, ...],
    languages: tuple[str, ...],
    test_interval_s: int,
    two_person_flash: bool,
) -> None:
    """Propose channel NAME to the other parties; it opens when every party accepts."""
    body = {
        "name": name,
        "parties": list(parties),
        "languages": list(languages) or ["en"],
        "test_interval_s": test_interval_s,
        "two_person_flash": two_person_flash,
    }
    created = NodeClient(home, api).call("POST", "/api/v1/channels", ChannelInfo, body)
    if as_json:
        print_json(created)
        return
    click.echo(f"Proposed {created.name} ({created.id[:12]}) to {', '.join(parties)}.")
    click.echo(f"They accept with: hotline channel accept {created.id[:12]} --home DIR")


@channel.command("accept")
@click.argument("channel_id", metavar="CHANNEL")
@operator_command
@WAIT
def accept(channel_id: str, home: Path, api: str | None, as_json: bool, wait_s: float) -> None:
    """Accept a proposed channel (its id, a unique prefix, or its name)."""
    client = NodeClient(home, api)
    found = channel_argument(client, channel_id, wait_s)
    accepted = client.call("POST", f"/api/v1/channels/{found.id}/accept", ChannelInfo)
    if as_json:
        print_json(accepted)
        return
    state = "open" if accepted.opened else "accepted, waiting for the others"
    click.echo(f"Accepted {accepted.name} ({accepted.id[:12]}): {state}.")


@channel.command("list")
@operator_command
def list_channels(home: Path, api: str | None, as_json: bool) -> None:
    """Channels of this node: open, or proposed and waiting for acceptances."""
    channels = NodeClient(home, api).call("GET", "/api/v1/channels", list[ChannelInfo])
    if as_json:
        print_json(channels)
        return
    if not channels:
        click.echo("No channels yet: hotline channel create NAME --with PARTY")
        return
    from rich.table import Table

    table = Table("id", "name", "parties", "state", "languages")
    for c in channels:
        waiting = [p for p in c.parties if p not in c.accepted_by]
        state = "open" if c.opened else f"waiting for {', '.join(waiting)}"
        table.add_row(c.id[:12], c.name, ", ".join(c.parties), state, ", ".join(c.languages))
    console().print(table)


@click.command("export")
@click.argument("channel_id", metavar="CHANNEL")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Write the transcript (JSON Lines) here.",
)
@operator_command
def export(channel_id: str, out: Path, home: Path, api: str | None, as_json: bool) -> None:
    """Export a channel's transcript, signed by this node; check it with `hotline verify`."""
    client = NodeClient(home, api)
    found = find_channel(client, channel_id)
    data = client.fetch(f"/api/v1/channels/{found.id}/transcript")
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    lines = data.count(b"\n")
    if as_json:
        print_json({"channel": found.id, "file": str(out), "lines": lines, "bytes": len(data)})
        return
    click.echo(f"Transcript of {found.name} ({found.id[:12]}): {lines} lines in {out}.")
    click.echo(f"Check it anywhere with: hotline verify {out}")
