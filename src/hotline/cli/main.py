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
