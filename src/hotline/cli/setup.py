"""`hotline init` and `hotline peer`: set up a node and introduce the parties to each other."""

from __future__ import annotations

import json
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

import click
import msgspec

from hotline.errors import HotlineError
from hotline.node.home import Home, PeerConfig, create_home, read_introduction, same_fingerprint
from hotline.storage.keyfiles import read_passphrase_file
from hotline.storage.operators import OperatorStore, Role
from hotline.storage.sqlite import open_sqlite_store
from hotline.storage.store import PeerRecord

HOME = click.option(
    "--home",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    envvar="HOTLINE_HOME",
    help="The node's home folder (or set HOTLINE_HOME).",
)


def _now_ms() -> int:
    return int(time.time() * 1000)


@click.command("init")
@click.argument("party")
@HOME
@click.option("--node", default="node-1", show_default=True, help="This node's name.")
@click.option(
    "--passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Seal the party keys with the passphrase in this file.",
)
@click.option(
    "--operator",
    default="supervisor",
    show_default=True,
    help="Name of the first operator (a supervisor).",
)
@click.option(
    "--operator-password-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Their password; without it one is generated and shown once.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
def init(
    party: str,
    home: Path,
    node: str,
    passphrase_file: Path | None,
    operator: str,
    operator_password_file: Path | None,
    as_json: bool,
) -> None:
    """Create a node for PARTY: keys, identity card, TLS certificate, store, first operator."""
    passphrase = read_passphrase_file(passphrase_file) if passphrase_file else None
    now = datetime.now(UTC).replace(microsecond=0)
    node_home = create_home(home, party, node, now=now, passphrase=passphrase)
    if operator_password_file:
        password = operator_password_file.read_text().strip()
    else:
        password = secrets.token_urlsafe(12)
    store = open_sqlite_store(node_home.store_file)
    OperatorStore(store.engine).add("init", operator, password, Role.SUPERVISOR, "en", _now_ms())
    card = node_home.card()
    summary = {
        "party": party,
        "node": node,
        "home": str(home),
        "fingerprint": str(card.fingerprint),
        "operator": operator,
        "password": None if operator_password_file else password,
    }
    if as_json:
        click.echo(json.dumps(summary))
        return
    click.echo(f"Node {party}/{node} created in {home}.")
    click.echo("Fingerprint (read it aloud at the key ceremony):")
    for line in card.fingerprint.lines():
        click.echo(f"    {line}")
    if not operator_password_file:
        click.echo(f"First operator: {operator}, password {password} (shown once; change it).")
    click.echo(f"Hand over: hotline identity export --home {home} --out {party}.intro")


@click.group("peer")
def peer() -> None:
    """Introduce and list the parties (and relays) this node talks to."""


@peer.command("add")
@click.argument("intro", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@HOME
@click.option(
    "--fingerprint",
    required=True,
    help="The fingerprint the other party read aloud; must match the card.",
)
@click.option("--address", help="host:port of the peer's node listener (direct bearer).")
@click.option("--via", "relays", multiple=True, help="Reach the peer through this relay party.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
def add(
    intro: Path,
    home: Path,
    fingerprint: str,
    address: str | None,
    relays: tuple[str, ...],
    as_json: bool,
) -> None:
    """Trust the party whose introduction (card + TLS certificate) is in INTRO."""
    node_home = Home(home)
    config = node_home.config()
    introduction = read_introduction(intro.read_bytes())
    card = introduction.card
    if not same_fingerprint(fingerprint, card):
        raise HotlineError(
            f"fingerprint mismatch for {card.party}: the card in {intro} has "
            f"{card.fingerprint}; do not add this peer, and check how the card reached you"
        )
    if card.party == config.party:
        raise HotlineError(f"{intro} is this node's own party ({card.party})")
    if not introduction.tls:
        raise HotlineError(f"{intro} holds no TLS certificate: export it with `identity export`")
    store = open_sqlite_store(node_home.store_file)
    store.put_peer(PeerRecord(card.party, str(card.fingerprint), introduction.data, _now_ms()))
    old = config.peers.get(card.party, PeerConfig())
    peers = dict(config.peers)
    peers[card.party] = PeerConfig(
        address=address or old.address, relays=sorted({*old.relays, *relays})
    )
    node_home.save_config(msgspec.structs.replace(config, peers=peers))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "party": card.party,
                    "fingerprint": str(card.fingerprint),
                    "address": peers[card.party].address,
                    "relays": peers[card.party].relays,
                }
            )
        )
    else:
        click.echo(f"Added {card.party} ({card.short_id}); fingerprints match.")


@peer.command("list")
@HOME
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_peers(home: Path, as_json: bool) -> None:
    """The peers this node trusts, with how to reach them."""
    node_home = Home(home)
    config = node_home.config()
    peers = [
        (p, config.peers.get(p.party, PeerConfig()))
        for p in open_sqlite_store(node_home.store_file).peers()
    ]
    if as_json:
        rows = [
            {
                "party": p.party,
                "fingerprint": p.fingerprint,
                "address": c.address,
                "relays": c.relays,
            }
            for p, c in peers
        ]
        click.echo(json.dumps(rows))
        return
    if not peers:
        click.echo("No peers yet: hotline peer add INTRO --fingerprint '...' --home DIR")
    for p, c in peers:
        click.echo(f"{p.party:<10} {c.address or '-':<22} via {','.join(c.relays) or '-'}")
