"""Entry point of the ``hotline`` command.

Each subcommand lives in its own module and is imported only when it runs, so that
``hotline --help`` is instant and a command's heavy dependencies (numpy, FastAPI, ...) load only
for that command. To add a command, add one line to ``COMMANDS``.
"""

from __future__ import annotations

import importlib
import sys

import click

from hotline import __version__
from hotline.errors import HotlineError

# name -> ("module", "attribute", "one-line help shown in `hotline --help`")
COMMANDS: dict[str, tuple[str, str, str]] = {
    "identity": ("hotline.cli.identity", "identity", "Party keys, identity cards, rotation."),
    "init": ("hotline.cli.setup", "init", "Create a node: keys, card, TLS, store, operator."),
    "peer": ("hotline.cli.setup", "peer", "Introduce peers (fingerprint checked) and list them."),
    "run": ("hotline.cli.run", "run", "Run this party's node: peer link, operator API."),
    "relay": ("hotline.cli.run", "relay", "Run a blind relay between parties."),
    "catalogue": ("hotline.cli.catalogue", "catalogue_group", "List and show notification types."),
    "render": ("hotline.cli.catalogue", "render_command", "Render a notification as text."),
    "validate": ("hotline.cli.catalogue", "validate_command", "Validate a notification file."),
    "sim": ("hotline.cli.sim", "sim", "Simulate a faulty channel from a seed; check invariants."),
    "login": ("hotline.cli.operator", "login", "Log in to the running node (saves a session)."),
    "logout": ("hotline.cli.operator", "logout", "End the saved session."),
    "operator": ("hotline.cli.operator", "operator", "Add and list operator accounts."),
    "channel": ("hotline.cli.channel", "channel", "Propose, accept and list channels."),
    "export": ("hotline.cli.channel", "export", "Export a channel's signed transcript."),
    "send": ("hotline.cli.messages", "send", "Send a notification (or many, from JSON Lines)."),
    "inbox": ("hotline.cli.messages", "inbox", "Messages with receipt, ack and reply apart."),
    "ack": ("hotline.cli.messages", "ack", "Acknowledge a message: read and understood."),
    "reply": ("hotline.cli.messages", "reply", "Answer a message."),
    "links": ("hotline.cli.messages", "links", "Link status of each peer's bearers."),
    "release": ("hotline.cli.release", "release", "FLASH held for a second operator: approve."),
    "verify": ("hotline.cli.transcript", "verify", "Verify a transcript file offline."),
    "prove": ("hotline.cli.transcript", "prove", "Prove one envelope of a transcript."),
    "verify-proof": ("hotline.cli.transcript", "verify_proof_command", "Check a proof."),
    "demo": ("hotline.cli.demo", "demo", "Run a whole two-party exercise here; Ctrl-C ends it."),
    "screen": (
        "hotline.cli.screen",
        "command",
        "Screen tracks for close approaches, incursions and overlaps.",
    ),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module_name, attr, _ = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module_name), attr)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hotline")
def cli() -> None:
    """hotline: a deconfliction hotline between parties who do not trust each other."""


def main() -> None:
    """Run the CLI; a HotlineError becomes one clear line on stderr and exit status 1."""
    try:
        status = cli.main(standalone_mode=False)
        if isinstance(status, int) and status:
            sys.exit(status)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except HotlineError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
