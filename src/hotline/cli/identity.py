"""``hotline identity``: make, show, rotate and revoke a party's keys.

A home directory (``--home DIR``, mode 0700) holds one party's keys::

    DIR/party.key            the party's private keys (mode 0600, sealed if a passphrase is given)
    DIR/node-NAME.key        a node's private key (mode 0600, clear: a node starts unattended)
    DIR/PARTY.card           the public identity card to hand over at the key ceremony
    DIR/PARTY.rotation-TIME  rotation statements, to send to every peer
    DIR/PARTY.revocation-TIME  revocation statements, to send to every peer
    DIR/retired/             party keys replaced by a rotation
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

import click

from hotline.node.home import HomeError, create_identity
from hotline.protocol.fingerprint import short_key_id
from hotline.protocol.identity import (
    CARD_TYPE,
    MAX_ROTATION_BYTES,
    REVOCATION_TYPE,
    ROTATION_TYPE,
    IdentityCard,
    NodeCertificate,
    Revocation,
    RevocationReason,
    RevocationSubject,
    Rotation,
    issue_card,
    issue_node_certificate,
    issue_revocation,
    issue_rotation,
)
from hotline.protocol.keys import PartySecretKeys, check_node_name, check_party_id
from hotline.protocol.statement import format_utc, parse_utc, split_statement
from hotline.storage.keyfiles import (
    make_private_directory,
    read_party_keys,
    read_passphrase_file,
    write_party_keys,
    write_public,
)

P = ParamSpec("P")
R = TypeVar("R")


def _os_errors_as_one_line(command: Callable[P, R]) -> Callable[P, R]:
    """A file that cannot be read or written is a user's problem: one line, no traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None

    return wrapper


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _passphrase(path: Path | None) -> bytes | None:
    return None if path is None else read_passphrase_file(path)


def _read_public(path: Path) -> bytes:
    with path.open("rb") as file:
        data = file.read(MAX_ROTATION_BYTES + 1)
    return data


def _party_of_home(home: Path, passphrase: bytes | None) -> tuple[PartySecretKeys, IdentityCard]:
    keys = read_party_keys(home / "party.key", passphrase=passphrase)
    card = IdentityCard.from_bytes(_read_public(home / f"{keys.party}.card"))
    if not keys.public_keys().same_keys(card.keys):
        raise click.ClickException(
            f"{home / 'party.key'} does not hold the keys of {home / (keys.party + '.card')}"
        )
    return keys, card


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _card_summary(card: IdentityCard) -> dict[str, object]:
    return {
        "type": "identity-card",
        "party": card.party,
        "created": format_utc(card.created),
        "fingerprint": str(card.fingerprint),
        "key_id": card.key_id.hex(),
        "short_id": card.short_id,
        "digest": card.digest.hex(),
        "nodes": [_node_summary(cert) for cert in card.nodes],
    }


def _node_summary(cert: NodeCertificate) -> dict[str, object]:
    return {
        "node": cert.node,
        "key_id": cert.key_id.hex(),
        "short_id": short_key_id(cert.key_id),
        "valid_from": format_utc(cert.valid_from),
        "valid_until": format_utc(cert.valid_until),
    }


def _echo_card(card: IdentityCard, title: str = "Identity card") -> None:
    click.echo(f"{title} of {card.party} (verified: both self-signatures and every certificate)")
    click.echo(f"  created      {format_utc(card.created)}")
    click.echo(f"  party key    {card.short_id}")
    click.echo("  fingerprint  (read aloud and compare at the key ceremony)")
    for line in card.fingerprint.lines():
        click.echo(f"      {line}")
    for cert in card.nodes:
        click.echo(
            f"  node {cert.node}  key {short_key_id(cert.key_id)}  valid "
            f"{format_utc(cert.valid_from)} .. {format_utc(cert.valid_until)}"
        )


@click.group("identity")
def identity() -> None:
    """Party identities: keys, identity cards, fingerprints, rotation, revocation."""


@identity.command("new")
@click.argument("party")
@click.option("--home", type=click.Path(path_type=Path), required=True, help="Key directory.")
@click.option("--node", "node_name", default="node-1", show_default=True, help="First node.")
@click.option("--valid-days", type=click.IntRange(1, 3660), default=365, show_default=True)
@click.option(
    "--passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Seal the party key with the passphrase in this file (mode 0600).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@_os_errors_as_one_line
def new(
    party: str,
    home: Path,
    node_name: str,
    valid_days: int,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Make the keys and identity card of PARTY under --home."""
    try:
        check_party_id(party)
        check_node_name(node_name)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    try:
        card = create_identity(
            home, party, node_name, now=_now(), valid_days=valid_days,
            passphrase=_passphrase(passphrase_file),
        )  # fmt: skip
    except HomeError as exc:
        raise click.ClickException(str(exc)) from None
    card_path = home / f"{party}.card"
    if as_json:
        click.echo(json.dumps({**_card_summary(card), "card_file": str(card_path)}))
        return
    _echo_card(card, "New identity card")
    click.echo(f"Card written to {card_path}; hand it over and compare the fingerprint aloud.")


@identity.command("show")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--card",
    "trusted_card",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The trusted card a rotation or revocation is checked against.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_os_errors_as_one_line
def show(file: Path, trusted_card: Path | None, as_json: bool) -> None:
    """Verify and show an identity card, a rotation or a revocation."""
    data = _read_public(file)
    kind = split_statement(data.partition(b"\n")[0], what=str(file), max_bytes=len(data)).type
    if kind == CARD_TYPE:
        card = IdentityCard.from_bytes(data)
        if as_json:
            click.echo(json.dumps(_card_summary(card)))
        else:
            _echo_card(card)
        return
    if kind not in (ROTATION_TYPE, REVOCATION_TYPE):
        raise click.ClickException(f"{file}: not a card, rotation or revocation ({kind!r})")
    if trusted_card is None:
        raise click.ClickException("a rotation or revocation needs --card TRUSTED_CARD to check it")
    old = IdentityCard.from_bytes(_read_public(trusted_card))
    if kind == ROTATION_TYPE:
        rotation = Rotation.from_bytes(data, old)
        if as_json:
            summary = {
                "type": "rotation",
                "party": old.party,
                "issued": format_utc(rotation.issued),
                "old_key_id": old.key_id.hex(),
                "new_card": _card_summary(rotation.new_card),
            }
            click.echo(json.dumps(summary))
            return
        click.echo(
            f"Rotation of {old.party} issued {format_utc(rotation.issued)}: signed by the old "
            f"keys {old.short_id} and the new keys {rotation.new_card.short_id}"
        )
        _echo_card(rotation.new_card, "New identity card")
        return
    revocation = Revocation.from_bytes(data, [old])
    if as_json:
        summary = {
            "type": "revocation",
            "party": revocation.party,
            "subject": revocation.subject.value,
            "key_id": revocation.key_id.hex(),
            "reason": revocation.reason.value,
            "issued": format_utc(revocation.issued),
            "effective": format_utc(revocation.effective),
        }
        click.echo(json.dumps(summary))
        return
    click.echo(
        f"Revocation by {revocation.party} (verified): {revocation.subject.value} key "
        f"{short_key_id(revocation.key_id)} {revocation.reason.value}, invalid from "
        f"{format_utc(revocation.effective)} (issued {format_utc(revocation.issued)})"
    )


@identity.command("rotate")
@click.option("--home", type=click.Path(path_type=Path, file_okay=False), required=True)
@click.option("--valid-days", type=click.IntRange(1, 3660), default=365, show_default=True)
@click.option(
    "--passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Passphrase of the current party key (also seals the new one).",
)
@click.option(
    "--new-passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Seal the new party key with this passphrase instead.",
)
@_os_errors_as_one_line
def rotate(
    home: Path, valid_days: int, passphrase_file: Path | None, new_passphrase_file: Path | None
) -> None:
    """Replace the party keys: the rotation is signed by the old and the new keys.

    Node keys stay; their certificates are issued again by the new party key.
    """
    passphrase = _passphrase(passphrase_file)
    new_passphrase = passphrase if new_passphrase_file is None else _passphrase(new_passphrase_file)
    old_keys, old_card = _party_of_home(home, passphrase)
    now = _now()
    new_keys = PartySecretKeys.generate(old_keys.party)
    certs = [
        issue_node_certificate(
            new_keys, cert.node, cert.public_key, now, now + timedelta(days=valid_days)
        )
        for cert in old_card.nodes
    ]
    new_card = issue_card(new_keys, certs, now)
    rotation = issue_rotation(old_keys, old_card, new_keys, new_card, now)
    party = old_keys.party
    retired = home / "retired"
    make_private_directory(retired)
    # Order: keep the old key, then the statement (it carries the new card), then switch.
    write_party_keys(
        retired / f"party-{old_card.key_id.hex()[:16]}.key", old_keys, passphrase=passphrase
    )
    rotation_path = home / f"{party}.rotation-{_stamp(now)}"
    write_public(rotation_path, rotation.to_bytes(), overwrite=False)
    write_party_keys(home / "party.key", new_keys, passphrase=new_passphrase, overwrite=True)
    write_public(home / f"{party}.card", new_card.to_bytes(), overwrite=True)
    _echo_card(new_card, "New identity card")
    click.echo(f"Rotation written to {rotation_path}: send it to every peer.")


@identity.command("revoke")
@click.option("--home", type=click.Path(path_type=Path, file_okay=False), required=True)
@click.option("--node", "node_name", help="Revoke this node's key (and drop it from the card).")
@click.option("--party", "party_key", is_flag=True, help="Revoke the party key itself.")
@click.option(
    "--reason",
    type=click.Choice([r.value for r in RevocationReason]),
    default=RevocationReason.COMPROMISED.value,
    show_default=True,
)
@click.option(
    "--effective",
    help="Invalid from this UTC time (e.g. 2026-01-31T23:59:59Z); default now. "
    "For a compromise, the earliest time it may have happened.",
)
@click.option("--passphrase-file", type=click.Path(path_type=Path, dir_okay=False))
@_os_errors_as_one_line
def revoke(
    home: Path,
    node_name: str | None,
    party_key: bool,
    reason: str,
    effective: str | None,
    passphrase_file: Path | None,
) -> None:
    """Sign a revocation of a node key (--node NAME) or of the party key (--party)."""
    if (node_name is None) == (not party_key):
        raise click.UsageError("give exactly one of --node NAME or --party")
    keys, card = _party_of_home(home, _passphrase(passphrase_file))
    now = _now()
    effective_at = None
    if effective is not None:
        effective_at = parse_utc(effective, what="--effective", path="--effective")
    if node_name is not None:
        try:
            revoked = card.node(node_name).key_id
        except KeyError:
            raise click.BadParameter(f"the card has no node {node_name!r}") from None
        subject = RevocationSubject.NODE
    else:
        revoked, subject = card.key_id, RevocationSubject.PARTY
    revocation = issue_revocation(
        keys,
        card,
        subject=subject,
        revoked_key_id=revoked,
        reason=RevocationReason(reason),
        issued=now,
        effective=effective_at,
    )
    path = home / f"{card.party}.revocation-{_stamp(now)}"
    write_public(path, revocation.to_bytes(), overwrite=False)
    click.echo(f"Revocation written to {path}: send it to every peer now.")
    if node_name is not None:
        remaining = [cert for cert in card.nodes if cert.node != node_name]
        write_public(home / f"{card.party}.card", issue_card(keys, remaining, now).to_bytes())
        click.echo(f"Card {home / (card.party + '.card')} issued again without node {node_name}.")
    else:
        click.echo("The party key is dead: make a new identity and meet for a new key ceremony.")


__all__ = ["identity"]


@identity.command("export")
@click.option("--home", type=click.Path(path_type=Path, file_okay=False), required=True,
              envvar="HOTLINE_HOME", help="The node's home folder.")  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here instead of standard output.")  # fmt: skip
@_os_errors_as_one_line
def export(home: Path, out: Path | None) -> None:
    """The introduction to hand over: this party's card and its node's TLS certificate."""
    from hotline.node.home import Home

    data = Home(home).introduction()
    if out is None:
        click.echo(data.decode("ascii"), nl=False)
    else:
        write_public(out, data)
        click.echo(f"Introduction written to {out}.", err=True)
