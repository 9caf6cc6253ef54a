"""The demo's folder: three nodes (two parties and a relay) created and introduced once, with
their ports and operator log-ins kept in ``demo.json`` so a second run reuses them.

Everything goes through the ``hotline`` command, as the README tells a person to do.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import msgspec

from hotline.errors import HotlineError

__all__ = ["RELAY", "DemoSite", "Login", "SiteError", "prepare_site"]

RELAY = "RELAY"
STATE_FILE = "demo.json"


class SiteError(HotlineError):
    """The demo folder can't be used (not a demo folder, or a step of set-up failed)."""


class Login(msgspec.Struct, frozen=True):
    party: str
    name: str
    password: str
    language: str = "en"


class DemoSite(msgspec.Struct, frozen=True):
    """What ``demo.json`` holds: where each node lives and listens, and who can log in."""

    root: str
    parties: list[str]
    listen_ports: dict[str, int]
    logins: list[Login]
    channel: str = ""

    def home(self, party: str) -> Path:
        return Path(self.root) / party.lower()

    def login(self, party: str, name: str) -> Login:
        return next(x for x in self.logins if x.party == party and x.name == name)

    def save(self) -> None:
        (Path(self.root) / STATE_FILE).write_bytes(msgspec.json.format(msgspec.json.encode(self)))


def hotline(*args: object) -> str:
    """Run one ``hotline`` command; its stdout, or a SiteError with its error line."""
    done = subprocess.run(
        [sys.executable, "-m", "hotline", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise SiteError(f"hotline {args[0]} {args[1]} failed: {last}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_site(root: Path, parties: list[str], *, reset: bool) -> DemoSite:
    """Reuse the demo in ``root``, or create it (after wiping it, with ``reset``)."""
    state = root / STATE_FILE
    if root.exists() and any(root.iterdir()):
        if not state.exists():
            raise SiteError(
                f"{root} is not empty and holds no {STATE_FILE}: choose another --home "
                "(the demo never deletes a folder it didn't create)"
            )
        if reset:
            shutil.rmtree(root)
        else:
            try:
                site = msgspec.json.decode(state.read_bytes(), type=DemoSite)
            except msgspec.DecodeError as exc:
                raise SiteError(f"{state} is damaged ({exc}); run again with --reset") from exc
            if sorted(site.parties) != sorted(parties):
                raise SiteError(
                    f"{root} holds a demo of {site.parties}, not {parties}; use --reset"
                )
            return msgspec.structs.replace(site, root=str(root))
    return _create(root, parties)


def _create(root: Path, parties: list[str]) -> DemoSite:
    root.mkdir(parents=True, exist_ok=True)
    secret = root / "secrets"
    secret.mkdir(mode=0o700)
    ports = {p: _free_port() for p in [*parties, RELAY]}
    fingerprints: dict[str, str] = {}
    logins: list[Login] = []
    for party in [*parties, RELAY]:
        password = secrets.token_urlsafe(12)
        password_file = secret / f"{party}.password"
        password_file.write_text(password)
        password_file.chmod(0o600)
        out = hotline(
            "init",
            party,
            "--home",
            root / party.lower(),
            "--operator",
            "officer",
            "--operator-password-file",
            password_file,
            "--json",
        )
        fingerprints[party] = json.loads(out)["fingerprint"]
        intro = hotline("identity", "export", "--home", root / party.lower())
        (root / f"{party}.intro").write_text(intro)
        if party != RELAY:
            logins.append(Login(party, "officer", password))
    site = DemoSite(str(root), parties, ports, logins)

    def introduce(home: str, other: str, *extra: object) -> None:
        # The fingerprint is the one `init` printed: what the other side reads aloud.
        hotline(
            "peer",
            "add",
            root / f"{other}.intro",
            "--home",
            site.home(home),
            "--fingerprint",
            fingerprints[other],
            *extra,
        )

    for party in parties:
        introduce(party, RELAY, "--address", f"127.0.0.1:{ports[RELAY]}")
        introduce(RELAY, party)
        for other in parties:
            if other != party:
                introduce(party, other, "--address", f"127.0.0.1:{ports[other]}", "--via", RELAY)
    site.save()
    return site
