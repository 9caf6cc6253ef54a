"""A node's home folder: its keys, its card, its TLS certificate, its store, its peers.

    HOME/party.key              the party's private keys (0600; sealed if a passphrase is given)
    HOME/node-NODE.key          the node's private key (0600; a node starts unattended)
    HOME/PARTY.card             the identity card
    HOME/tls/NODE.pem           the node's TLS certificate (self-signed with the node key)
    HOME/tls/NODE.key           its private key in PEM (0600), for the TLS library
    HOME/node.json              this node's settings (party, node, addresses, peers' bearers)
    HOME/store.db               the store (SQLite)

The introduction a party hands over at the key ceremony (`hotline identity export`) is its card
followed by its nodes' TLS certificates. A certificate needs no signature of its own: it is
accepted only if its key is a node key the card certifies, which is what lets both sides pin
TLS to each other from the card alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import HotlineError
from hotline.protocol.envelope import DECODE_ERRORS
from hotline.protocol.identity import IdentityCard, issue_card, issue_node_certificate
from hotline.protocol.keys import NodeSecretKey, PartySecretKeys, check_node_name, check_party_id
from hotline.storage.keyfiles import (
    make_private_directory,
    read_node_key,
    read_party_keys,
    write_atomic,
    write_node_key,
    write_party_keys,
    write_public,
)
from hotline.transport.tls import certificate_key, node_tls_certificate, private_key_pem

PEM_BEGIN = b"-----BEGIN CERTIFICATE-----"
_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?", re.S)
Address = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9.\-\[\]:]+:[0-9]{1,5}$")]


class HomeError(HotlineError):
    """A home folder is missing, incomplete, or asked to do something it can't."""


class PeerConfig(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How to reach one peer: a direct address and/or relays (by their party name)."""

    address: Address | None = None
    relays: list[str] = []


class NodeConfig(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    party: str
    node: str
    listen: Address = "127.0.0.1:7700"
    api: Address = "127.0.0.1:8700"
    peers: dict[str, PeerConfig] = {}


@dataclass(frozen=True, slots=True)
class Introduction:
    """A verified card and the TLS certificates of its nodes (PEM), by node name."""

    card: IdentityCard
    tls: dict[str, bytes]
    data: bytes

    @property
    def party(self) -> str:
        return self.card.party


class Home:
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def config_file(self) -> Path:
        return self.path / "node.json"

    @property
    def store_file(self) -> Path:
        return self.path / "store.db"

    def config(self) -> NodeConfig:
        try:
            return msgspec.json.decode(self.config_file.read_bytes(), type=NodeConfig)
        except FileNotFoundError:
            raise HomeError(
                f"{self.path} is not a hotline home (no node.json): run `hotline init PARTY"
                f" --home {self.path}` first"
            ) from None
        except DECODE_ERRORS as exc:
            raise HomeError(f"{self.config_file}: {exc}") from None

    def save_config(self, config: NodeConfig) -> None:
        data = msgspec.json.format(msgspec.json.encode(config), indent=2) + b"\n"
        tmp = self.config_file.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(self.config_file)

    def card(self) -> IdentityCard:
        party = self.config().party
        return IdentityCard.from_bytes((self.path / f"{party}.card").read_bytes())

    def party_keys(self, passphrase: bytes | None = None) -> PartySecretKeys:
        return read_party_keys(self.path / "party.key", passphrase=passphrase)

    def node_key(self) -> NodeSecretKey:
        return read_node_key(self.path / f"node-{self.config().node}.key")

    def tls_files(self) -> tuple[Path, Path]:
        node = self.config().node
        return self.path / "tls" / f"{node}.pem", self.path / "tls" / f"{node}.key"

    def introduction(self) -> bytes:
        """What this party hands over: its card, then its node's TLS certificate."""
        card = (self.path / f"{self.config().party}.card").read_bytes()
        return card + self.tls_files()[0].read_bytes()


def create_identity(
    home: Path,
    party: str,
    node: str,
    *,
    now: dt.datetime,
    valid_days: int,
    passphrase: bytes | None,
) -> IdentityCard:
    """Make a party's keys, its first node key and its card under `home`; never replaces keys."""
    try:
        check_party_id(party)
        check_node_name(node)
    except ValueError as exc:
        raise HomeError(str(exc)) from None
    make_private_directory(home)
    for existing in (home / "party.key", home / f"node-{node}.key", home / f"{party}.card"):
        if existing.exists():
            raise HomeError(f"{existing} already exists; refusing to replace keys")
    party_keys = PartySecretKeys.generate(party)
    node_key = NodeSecretKey.generate(party, node)
    cert = issue_node_certificate(
        party_keys, node, node_key.public_key, now, now + dt.timedelta(days=valid_days)
    )
    card = issue_card(party_keys, [cert], now)
    write_party_keys(home / "party.key", party_keys, passphrase=passphrase)
    write_node_key(home / f"node-{node}.key", node_key)
    write_public(home / f"{party}.card", card.to_bytes(), overwrite=False)
    return card


def create_home(
    path: Path,
    party: str,
    node: str = "node-1",
    *,
    now: dt.datetime,
    valid_days: int = 365,
    passphrase: bytes | None = None,
) -> Home:
    """Everything a node needs to run: identity, TLS certificate, settings."""
    create_identity(path, party, node, now=now, valid_days=valid_days, passphrase=passphrase)
    home = Home(path)
    tls_dir = path / "tls"
    make_private_directory(tls_dir)
    node_key = read_node_key(path / f"node-{node}.key")
    write_public(tls_dir / f"{node}.pem", node_tls_certificate(node_key.ed25519, party, node, now))
    _write_private_pem(tls_dir / f"{node}.key", node_key.ed25519)
    home.save_config(NodeConfig(party=party, node=node))
    return home


def read_introduction(data: bytes) -> Introduction:
    """Split and verify an introduction: the card, and TLS certificates of certified nodes."""
    cut = data.find(PEM_BEGIN)
    card_bytes, pems = (data, b"") if cut < 0 else (data[:cut], data[cut:])
    card = IdentityCard.from_bytes(card_bytes)
    certified = {n.public_key.public_bytes_raw(): n.node for n in card.nodes}
    tls: dict[str, bytes] = {}
    for pem in re.findall(
        rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?", pems, re.S
    ):
        node = certified.get(certificate_key(pem))
        if node is None:
            raise HomeError(
                f"a TLS certificate in the introduction of {card.party} is not for any node its"
                " card certifies: refusing it"
            )
        tls[node] = pem if pem.endswith(b"\n") else pem + b"\n"
    return Introduction(card, tls, data)


def same_fingerprint(spoken: str, card: IdentityCard) -> bool:
    """Compare a fingerprint as read aloud (any spacing or dashes) with the card's."""
    digits = re.sub(r"[^0-9]", "", spoken)
    return bool(digits) and digits == card.fingerprint.digits


def _write_private_pem(path: Path, key: Ed25519PrivateKey) -> None:
    write_atomic(path, private_key_pem(key), mode=0o600, overwrite=False)
