"""`hotline login`, `hotline logout` and `hotline operator`: sessions and accounts, through the
running node's API."""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from hotline.cli.client import (
    LoggedIn,
    NodeClient,
    NodeNotRunningError,
    OperatorInfo,
    Session,
)
from hotline.cli.options import WAIT, operator_command, print_json
from hotline.errors import HotlineError

ROLES = ("watch_officer", "supervisor", "auditor")
PASSWORD_FILE = click.Path(path_type=Path, dir_okay=False, exists=True)


def _read_password(path: Path | None, prompt: str) -> str:
    if path is None:
        return str(click.prompt(prompt, hide_input=True))
    password = path.read_text(encoding="utf-8").strip()
    if not password:
        raise HotlineError(f"{path} is empty: put the password on its first line")
    return password


@click.command("login")
@operator_command
@click.option("--name", prompt="Operator name", help="Your operator name.")
@click.option("--password-file", type=PASSWORD_FILE, help="File holding your password.")
@WAIT
def login(
    home: Path,
    api: str | None,
    as_json: bool,
    name: str,
    password_file: Path | None,
    wait_s: float,
) -> None:
    """Log in to the node running from HOME; the session is kept in HOME/operator.token."""
    password = _read_password(password_file, "Password")
    client = NodeClient(home, api)

    def attempt() -> LoggedIn | None:
        try:
            body = {"name": name, "password": password}
            return client.call("POST", "/api/v1/session", LoggedIn, body, auth=False)
        except NodeNotRunningError:
            if wait_s == 0:
                raise
            client.api = NodeClient(home, api).api  # a node starting on port 0 writes node.run
            return None

    session = client.wait(f"no node answers at {client.api}", wait_s, attempt)
    client.save_session(Session(token=session.token, operator=session.operator.name))
    if as_json:
        print_json({"api": client.api, "operator": session.operator})
        return
    op = session.operator
    click.echo(f"Logged in at {client.api} as {op.name} ({op.role}, language {op.language}).")


@click.command("logout")
@operator_command
def logout(home: Path, api: str | None, as_json: bool) -> None:
    """End the session saved in HOME/operator.token."""
    client = NodeClient(home, api)
    client.session()  # not logged in: say so
    try:
        client.call("DELETE", "/api/v1/session", type(None))
        note = "session ended"
    except NodeNotRunningError:
        note = "the node did not answer: the session is forgotten here and expires there"
    client.forget_session()
    if as_json:
        print_json({"logged_out": True, "note": note})
    else:
        click.echo(f"Logged out ({note}).")


@click.group("operator")
def operator() -> None:
    """Operator accounts of the node (supervisors only)."""


@operator.command("add")
@click.argument("name")
@operator_command
@click.option("--role", type=click.Choice(ROLES), required=True, help="What they may do.")
@click.option("--language", default="en", show_default=True, help="Their reading language.")
@click.option("--password-file", type=PASSWORD_FILE, help="Their password; else one is made.")
def add(
    name: str,
    home: Path,
    api: str | None,
    as_json: bool,
    role: str,
    language: str,
    password_file: Path | None,
) -> None:
    """Create operator NAME with a role (watch_officer, supervisor, auditor)."""
    password = (
        password_file.read_text(encoding="utf-8").strip()
        if password_file
        else secrets.token_urlsafe(12)
    )
    body = {"name": name, "password": password, "role": role, "language": language}
    created = NodeClient(home, api).call("POST", "/api/v1/operators", OperatorInfo, body)
    shown = None if password_file else password
    if as_json:
        print_json({"operator": created, "password": shown})
        return
    click.echo(f"Operator {created.name} added ({created.role}, language {created.language}).")
    if shown:
        click.echo(f"Password: {shown} (shown once; hand it over in person)")


@operator.command("list")
@operator_command
def list_operators(home: Path, api: str | None, as_json: bool) -> None:
    """The node's operators and their roles."""
    found = NodeClient(home, api).call("GET", "/api/v1/operators", list[OperatorInfo])
    if as_json:
        print_json(found)
        return
    for op in found:
        click.echo(f"{op.name:<20} {op.role:<14} {op.language}")
