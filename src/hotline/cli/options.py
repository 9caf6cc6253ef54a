"""Options every operator command shares, and how they print."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click
import msgspec
from rich.console import Console

from hotline.cli.setup import HOME

WIDE = 120
F = TypeVar("F", bound=Callable[..., Any])

API = click.option(
    "--api",
    envvar="HOTLINE_API",
    help="host:port of the node's operator API (default: from the running node, or node.json).",
)
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
WAIT = click.option(
    "--wait",
    "wait_s",
    type=click.FloatRange(0, 3600),
    default=0,
    show_default=True,
    help="Seconds to keep trying while the peer's side has not arrived yet.",
)


def operator_command(func: F) -> F:
    """--home, --api and --json, in that order in the help."""
    return HOME(API(JSON(func)))


def print_json(value: object) -> None:
    click.echo(msgspec.json.encode(value).decode())


def console() -> Console:
    """Rich output on stdout; plain (no colour codes) and 120 columns wide (unless COLUMNS
    says otherwise) when it is not a terminal."""
    out = Console(highlight=False, soft_wrap=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = WIDE
    return out
