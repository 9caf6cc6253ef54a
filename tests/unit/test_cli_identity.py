"""`hotline identity`: new, show, rotate, revoke, end to end in a real process."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotline", "identity", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("cli") / "us"
    result = run("new", "US", "--home", directory, "--node", "hq")
    assert result.returncode == 0, result.stderr
    assert "fingerprint" in result.stdout
    return directory


def test_new_writes_private_keys_0600_and_a_card(home: Path) -> None:
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "party.key").stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "node-hq.key").stat().st_mode) == 0o600
    assert (home / "US.card").read_bytes().startswith(b'{"body":{"created":')


def test_show_verifies_and_prints_json_and_text(home: Path) -> None:
    result = run("show", home / "US.card", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["party"] == "US"
    groups = summary["fingerprint"].split()
    assert len(groups) == 12
    assert all(len(g) == 5 for g in groups)
    assert [n["node"] for n in summary["nodes"]] == ["hq"]
    text = run("show", home / "US.card").stdout
    assert " ".join(groups[:4]) in text
    assert summary["short_id"] in text


def test_new_refuses_to_replace_existing_keys(home: Path) -> None:
    before = (home / "party.key").read_bytes()
    line = one_line_error(run("new", "US", "--home", home, "--node", "hq"))
    assert "already exists" in line
    assert (home / "party.key").read_bytes() == before


def test_tampered_card_is_one_clear_error(home: Path, tmp_path: Path) -> None:
    data = bytearray((home / "US.card").read_bytes())
    data[data.index(b'"created":"') + 12] ^= 0x01  # a digit of the year
    bad = tmp_path / "bad.card"
    bad.write_bytes(bytes(data))
    line = one_line_error(run("show", bad))
    assert line.startswith("error: identity card of US: the Ed25519 signature")


def test_bad_party_id_is_a_usage_error(tmp_path: Path) -> None:
    result = run("new", "us army", "--home", tmp_path / "x")
    assert result.returncode == 2
    assert "party id" in result.stderr
    assert not (tmp_path / "x").exists()


def test_sealed_rotation_then_revocation(tmp_path: Path) -> None:
    passphrase = tmp_path / "pass"
    passphrase.write_text("a long passphrase\n")
    passphrase.chmod(0o600)
    home = tmp_path / "ru"
    assert run("new", "RU", "--home", home, "--passphrase-file", passphrase).returncode == 0
    assert json.loads((home / "party.key").read_text())["encryption"]["kdf"] == "argon2id"
    old_card = tmp_path / "RU-old.card"
    shutil.copy(home / "RU.card", old_card)

    line = one_line_error(run("rotate", "--home", home))
    assert "give its passphrase" in line
    result = run("rotate", "--home", home, "--passphrase-file", passphrase)
    assert result.returncode == 0, result.stderr
    (rotation,) = home.glob("RU.rotation-*")
    shown = run("show", rotation, "--card", old_card, "--json")
    assert shown.returncode == 0, shown.stderr
    summary = json.loads(shown.stdout)
    new_card = json.loads(run("show", home / "RU.card", "--json").stdout)
    assert summary["new_card"]["fingerprint"] == new_card["fingerprint"]
    assert summary["old_key_id"] != new_card["key_id"]
    assert len(list((home / "retired").glob("party-*.key"))) == 1
    assert "needs --card" in one_line_error(run("show", rotation))

    result = run("revoke", "--home", home, "--node", "node-1", "--passphrase-file", passphrase)
    assert result.returncode == 0, result.stderr
    (revocation,) = home.glob("RU.revocation-*")
    shown = run("show", revocation, "--card", home / "RU.card", "--json")
    assert json.loads(shown.stdout)["subject"] == "node"
    assert json.loads(run("show", home / "RU.card", "--json").stdout)["nodes"] == []


def test_open_key_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    home = tmp_path / "ua"
    assert run("new", "UA", "--home", home).returncode == 0
    (home / "party.key").chmod(0o644)
    line = one_line_error(run("revoke", "--home", home, "--party"))
    assert line.endswith(f"fix with: chmod 600 {home / 'party.key'}")
