"""Relay witnesses kept as evidence across a restart, exported and verified offline; a refused
batch that says why. Real node and relay processes on loopback."""

import asyncio
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline.node.bearers import BearerDown, DirectBearer
from hotline.node.home import Home
from hotline.protocol.envelope import KeyTable, Kind, make_header, seal
from hotline.protocol.types import Marking, Precedence
from hotline.testing.processes import NodeProcess, free_port, hotline, wait_for
from hotline.transport.batch import MAX_REASONS
from hotline.transport.link import LinkClient
from hotline.transport.tls import client_context


@pytest.fixture
def trio(tmp_path: Path) -> Iterator[tuple[NodeProcess, NodeProcess, NodeProcess]]:
    us, ru = (NodeProcess.create(tmp_path, p, free_port()) for p in ("US", "RU"))
    relay = NodeProcess.create(tmp_path, "RELAY", free_port())
    for party, other in ((us, ru), (ru, us)):
        party.introduce(relay)
        relay.introduce(party)
        hotline("peer", "add", other.intro, "--home", party.home, "--fingerprint",
                other.fingerprint, "--address", f"127.0.0.1:{other.listen_port}",
                "--via", "RELAY")  # fmt: skip
    relay.start(relay=True)
    us.start()
    ru.start()
    yield us, ru, relay
    for node in (us, ru, relay):
        node.stop()


@pytest.fixture
def relay_only(tmp_path: Path) -> Iterator[tuple[NodeProcess, NodeProcess]]:
    """US and RU that reach each other only through the relay (no direct address)."""
    us, ru = (NodeProcess.create(tmp_path, p, free_port()) for p in ("US", "RU"))
    relay = NodeProcess.create(tmp_path, "RELAY", free_port())
    for party, other in ((us, ru), (ru, us)):
        party.introduce(relay)
        relay.introduce(party)
        hotline("peer", "add", other.intro, "--home", party.home, "--fingerprint",
                other.fingerprint, "--via", "RELAY")  # fmt: skip
    relay.start(relay=True)
    us.start()
    ru.start()
    yield us, ru
    for node in (us, ru, relay):
        node.stop()


def test_receipts_come_back_through_the_relay_without_waiting_for_a_heartbeat(
    relay_only,
) -> None:
    """What a relay delivers is answered at once (the receipts go back through the relay):
    they used to be dropped, leaving the sender's window to resends and the receipt to the
    next heartbeat, here ten minutes away."""
    us, ru = relay_only
    cid = str(
        us.call(
            "POST",
            "/api/v1/channels",
            json={"name": "Relayed", "parties": ["RU"], "heartbeat_interval_s": 600},
        )["id"]
    )
    wait_for(lambda: any(c["id"] == cid for c in ru.call("GET", "/api/v1/channels")), 60)
    ru.call("POST", f"/api/v1/channels/{cid}/accept")
    wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}")["opened"], 60, "channel open")
    sent = [
        us.call("POST", f"/api/v1/channels/{cid}/messages", json={"body": f"relayed {n}"})
        for n in range(3)
    ]

    def receipted() -> bool:
        link = next(p for p in us.call("GET", "/api/v1/links") if p["peer"] == "RU")
        return bool(link["channels"][0]["receipted"] >= sent[-1]["seq"])

    wait_for(receipted, 60, "RU's receipt through the relay")


def open_channel(us: NodeProcess, ru: NodeProcess) -> str:
    cid = str(
        us.call("POST", "/api/v1/channels", json={"name": "Witnessed", "parties": ["RU"]})["id"]
    )
    wait_for(
        lambda: any(c["id"] == cid for c in ru.call("GET", "/api/v1/channels")), what="proposal"
    )
    ru.call("POST", f"/api/v1/channels/{cid}/accept")
    wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}")["opened"], what="channel open")
    return cid


def test_witnesses_survive_a_restart_and_verify_in_the_export(trio, tmp_path: Path) -> None:
    us, ru, _relay = trio
    cid = open_channel(us, ru)
    sent = us.call(
        "POST",
        f"/api/v1/channels/{cid}/messages",
        json={"body": "Live firing in box 44N 033E", "prec": "FLASH", "mark": "EXERCISE"},
    )  # fmt: skip  (FLASH goes on every bearer)
    witnesses = wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}/witnesses"),
                         what="a relay witness kept by the sender")  # fmt: skip
    assert {w["relay"] for w in witnesses} == {"RELAY"}
    assert any(w["sender"] == "US" and w["to"] == "RU" for w in witnesses)
    deposit = next(w for w in witnesses if w["forwarded_ms"] == 0)
    assert json.loads(deposit["routing"])["id"] == deposit["envelope_id"]

    us.stop()
    us.start()
    after = us.call("GET", f"/api/v1/channels/{cid}/witnesses")
    assert after[: len(witnesses)] == witnesses  # kept in the store, not in memory

    export = tmp_path / "us.jsonl"
    with us.api() as api:
        r = api.get(f"/api/v1/channels/{cid}/transcript")
        assert r.status_code == 200, r.text
        export.write_bytes(r.content)
    lines = export.read_bytes().splitlines(keepends=True)
    witness_lines = [i for i, line in enumerate(lines) if line.startswith(b'{"witness":')]
    assert witness_lines
    card_line = next(i for i, line in enumerate(lines) if line.startswith(b'{"relay":'))
    assert card_line < witness_lines[0]
    first = json.loads(lines[witness_lines[0]])
    assert first["from"] in ("US", "RU")
    assert any(json.loads(lines[i])["seq"] == sent["seq"] for i in witness_lines)

    ok = hotline("verify", export, "--json")
    report = json.loads(ok.stdout)
    assert report["valid"] is True
    [summary] = report["summary"]["witnesses"]
    assert summary["relay"] == "RELAY"
    assert summary["deposits"] + summary["deliveries"] == len(witness_lines)

    altered = json.loads(lines[witness_lines[0]])  # the relay's time moved by 1 ms
    altered["deposited_ms"] += 1
    bad = list(lines)
    bad[witness_lines[0]] = json.dumps(altered, separators=(",", ":")).encode() + b"\n"
    (tmp_path / "altered.jsonl").write_bytes(b"".join(bad))
    result = hotline("verify", tmp_path / "altered.jsonl", check=False)
    assert result.returncode != 0
    assert "bad signature on the witness of relay RELAY" in result.stderr

    no_card = [line for i, line in enumerate(lines) if i != card_line]
    (tmp_path / "no-card.jsonl").write_bytes(b"".join(no_card))
    result = hotline("verify", tmp_path / "no-card.jsonl", check=False)
    assert result.returncode != 0
    assert "whose card is not in the transcript" in result.stderr


def test_a_refused_batch_says_why_over_a_real_socket(trio, caplog) -> None:
    """US's node key signs a batch of envelopes for a channel RU does not have: 422, reasons."""
    us, ru, _relay = trio
    home = Home(us.home)
    node_key = home.node_key().ed25519
    public = node_key.public_key().public_bytes_raw()
    envelopes = []
    for seq in range(1, MAX_REASONS + 6):
        body = b"x"
        header = make_header(
            channel="ee" * 32, sender="US", seq=seq, prev=None if seq == 1 else "ab" * 32,
            seen={}, now_ms=seq, kind=Kind.NOTIFICATION, body=body,
            prec=Precedence.ROUTINE, mark=Marking.EXERCISE,
        )  # fmt: skip
        envelopes.append(seal(header, body, node_key, hashlib.sha256(public).digest()).raw)
    ru_keys = KeyTable()
    ru_card = Home(ru.home).node_key().ed25519.public_key().public_bytes_raw()
    ru_keys.add("RU", ru_card)
    cert_file, key_file = home.tls_files()
    ru_cert = (ru.home.parent / "RU.intro").read_bytes()
    pem = next(iter(_tls_of(ru_cert)))
    link = LinkClient("127.0.0.1", ru.listen_port, client_context(cert_file, key_file, pem))
    bearer = DirectBearer("US", "RU", node_key, link, ru_keys)

    async def carry() -> None:
        try:
            with pytest.raises(BearerDown, match="RU refused every envelope: unknown channel"):
                await bearer.carry(envelopes, now_ms=1)
        finally:
            await bearer.close()

    asyncio.run(carry())
    status = bearer.status
    assert status.refused == len(envelopes)
    assert status.last_refusal is not None
    assert status.last_refusal.startswith("unknown channel eeeeeeeeeeee")
    assert status.last_refusal.endswith(f"(+{len(envelopes) - 1} more)")
    [logged] = [r.getMessage() for r in caplog.records if "refused 25 of 25" in r.getMessage()]
    assert logged.count("unknown channel") == MAX_REASONS  # the answer carries 20 reasons


def _tls_of(intro: bytes) -> list[bytes]:
    from hotline.node.home import read_introduction

    return list(read_introduction(intro).tls.values())
