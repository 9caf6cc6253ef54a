"""The key ceremony through the CLI: init two nodes, exchange introductions, compare aloud."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.transport.tls import node_tls_certificate


def hotline(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotline", *map(str, args)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    root = tmp_path_factory.mktemp("nodes")
    nodes = {}
    for party in ("US", "RU"):
        home = root / party.lower()
        result = hotline("init", party, "--home", home, "--json")
        assert result.returncode == 0, result.stderr
        info = json.loads(result.stdout)
        assert (
            hotline(
                "identity", "export", "--home", home, "--out", root / f"{party}.intro"
            ).returncode
            == 0
        )
        nodes[party] = {**info, "intro": str(root / f"{party}.intro")}
    return nodes


def test_init_reports_the_fingerprint_and_a_one_time_password(two_nodes) -> None:
    us = two_nodes["US"]
    assert len(us["fingerprint"].split()) == 12
    assert len(us["password"]) >= 12
    assert (Path(us["home"]) / "party.key").stat().st_mode & 0o777 == 0o600
    assert (Path(us["home"]) / "tls" / "node-1.key").stat().st_mode & 0o777 == 0o600


def test_matching_fingerprint_adds_the_peer(two_nodes) -> None:
    us, ru = two_nodes["US"], two_nodes["RU"]
    spoken = ru["fingerprint"].replace(" ", "-")  # however it was written down
    result = hotline("peer", "add", ru["intro"], "--home", us["home"], "--fingerprint", spoken,
                     "--address", "127.0.0.1:7701", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["party"] == "RU"
    listed = json.loads(hotline("peer", "list", "--home", us["home"], "--json").stdout)
    assert [(p["party"], p["address"]) for p in listed] == [("RU", "127.0.0.1:7701")]


def test_mismatched_fingerprint_is_refused_and_nothing_is_added(two_nodes) -> None:
    us, ru = two_nodes["US"], two_nodes["RU"]
    wrong = us["fingerprint"]  # the wrong party's number
    result = hotline("peer", "add", ru["intro"], "--home", ru["home"], "--fingerprint", wrong)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1  # one clear line
    assert "fingerprint mismatch" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(hotline("peer", "list", "--home", ru["home"], "--json").stdout) == []


def test_an_introduction_with_a_foreign_tls_certificate_is_refused(
    two_nodes, tmp_path: Path
) -> None:
    us, ru = two_nodes["US"], two_nodes["RU"]
    intro = Path(ru["intro"]).read_bytes()
    card = intro[: intro.index(b"-----BEGIN CERTIFICATE-----")]
    foreign = node_tls_certificate(Ed25519PrivateKey.generate(), "RU", "node-1",
                                   dt.datetime(2026, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    forged = tmp_path / "forged.intro"
    forged.write_bytes(card + foreign)
    result = hotline(
        "peer", "add", forged, "--home", us["home"], "--fingerprint", ru["fingerprint"]
    )
    assert result.returncode == 1
    assert "not for any node its card certifies" in result.stderr
