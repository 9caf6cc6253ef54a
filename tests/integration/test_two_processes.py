"""Two parties, two real node processes on loopback, operators using the API."""

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hotline.testing.processes import NodeProcess, hotline, running_pair, wait_for


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[tuple[NodeProcess, NodeProcess]]:
    with running_pair(tmp_path) as pair:
        yield pair


def test_two_processes_from_charter_to_acknowledgement(nodes) -> None:
    us, ru = nodes
    channel = us.call("POST", "/api/v1/channels", json={"name": "Black Sea", "parties": ["RU"]})
    cid = channel["id"]
    assert channel["opened"] is False
    wait_for(
        lambda: any(c["id"] == cid for c in ru.call("GET", "/api/v1/channels")), what="proposal"
    )
    ru.call("POST", f"/api/v1/channels/{cid}/accept")
    wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}")["opened"], what="channel open")

    sent = us.call("POST", f"/api/v1/channels/{cid}/messages",
                   json={"body": "Intercept in progress, keep clear", "prec": "FLASH",
                         "mark": "EXERCISE"})  # fmt: skip

    def out_state():
        return next(m for m in us.call("GET", f"/api/v1/channels/{cid}/messages")
                    if m["seq"] == sent["seq"])  # fmt: skip

    wait_for(lambda: out_state()["receipted_by"] == ["RU"], what="node receipt")
    message = out_state()
    assert message["acks"] == []  # received is not acknowledged
    assert message["awaiting_ack_from"] == ["RU"]
    inbox = ru.call("GET", f"/api/v1/channels/{cid}/messages")
    assert [(m["sender"], m["prec"], m["mark"], m["direction"]) for m in inbox] == [
        ("US", "FLASH", "EXERCISE", "in")
    ]
    assert "keep clear" in inbox[0]["body"]

    ru.call("POST", f"/api/v1/channels/{cid}/messages/US/{sent['seq']}/ack")
    wait_for(lambda: out_state()["acks"], what="operator acknowledgement")
    assert out_state()["acks"][0]["party"] == "RU"
    assert out_state()["awaiting_ack_from"] == []
    ru.call("POST", f"/api/v1/channels/{cid}/messages/US/{sent['seq']}/reply",
            json={"body": "Understood, our aircraft turning north"})  # fmt: skip
    wait_for(lambda: out_state()["replies"], what="reply")

    audit = us.call("GET", "/api/v1/links")
    assert audit[0]["peer"] == "RU"
    assert audit[0]["bearers"][0]["up"] is True


def test_both_sides_export_transcripts_that_verify_and_agree(nodes, tmp_path: Path) -> None:
    us, ru = nodes
    cid = us.call("POST", "/api/v1/channels", json={"name": "Audit", "parties": ["RU"]})["id"]
    wait_for(
        lambda: any(c["id"] == cid for c in ru.call("GET", "/api/v1/channels")), what="proposal"
    )
    ru.call("POST", f"/api/v1/channels/{cid}/accept")
    wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}")["opened"], what="channel open")
    sent = us.call("POST", f"/api/v1/channels/{cid}/messages", json={"body": "Test one two"})
    wait_for(
        lambda: any(
            m["seq"] == sent["seq"] for m in ru.call("GET", f"/api/v1/channels/{cid}/messages")
        ),
        what="delivery",
    )
    ru.call("POST", f"/api/v1/channels/{cid}/messages/US/{sent['seq']}/ack")
    wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}/messages")[0]["acks"], what="ack")
    reports = {}
    for node in (us, ru):
        with node.api() as client:
            data = client.get(f"/api/v1/channels/{cid}/transcript").raise_for_status().content
        path = tmp_path / f"{node.party}.jsonl"
        path.write_bytes(data)
        result = hotline("verify", path, "--json", check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        reports[node.party] = json.loads(result.stdout)
        broken = bytearray(data)
        broken[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(broken))
        assert hotline("verify", path, check=False).returncode == 1  # one flipped bit is caught
    us_report, ru_report = reports["US"], reports["RU"]
    assert us_report["valid"] is True
    assert us_report["summary"]["channel"] == ru_report["summary"]["channel"] == cid

    def chains(report: dict[str, Any]) -> dict[str, int]:
        return {m["party"]: m["chain_length"] for m in report["summary"]["members"]}

    assert chains(us_report) == chains(ru_report)  # both hold both chains, whole
    # each keeps the receipts it was sent, so the link evidence differs by design


def test_a_node_whose_store_fails_under_it_stops_and_says_to_restart(nodes) -> None:
    """The store's envelope table vanishes under a running node (a real SQLite failure): the
    node cannot store US's next notification, so its channel no longer matches the store. It
    must not limp on (nor receipt it): it stops, exits non-zero and says a restart recovers."""
    us, ru = nodes
    channel = us.call(
        "POST",
        "/api/v1/channels",
        json={"name": "Store failure", "parties": ["RU"]},
    )
    wait_for(lambda: any(c["id"] == channel["id"] for c in ru.call("GET", "/api/v1/channels")))
    ru.call("POST", f"/api/v1/channels/{channel['id']}/accept")
    wait_for(lambda: us.call("GET", f"/api/v1/channels/{channel['id']}")["opened"], what="open")
    with sqlite3.connect(ru.home / "store.db") as db:
        db.execute("DROP TABLE envelopes")
    sent = us.call("POST", f"/api/v1/channels/{channel['id']}/messages", json={"body": "lost?"})
    assert ru.proc is not None
    code = ru.proc.wait(timeout=30)
    assert code != 0
    assert ru.log is not None
    log = ru.log.read_text()
    assert "envelopes of channel" in log
    assert "failed: (sqlite3.OperationalError) no such table: envelopes" in log
    assert "start it again: it recovers everything from its store" in log
    ru.proc = None
    [link] = us.call("GET", "/api/v1/links")
    assert link["channels"][0]["receipted"] < sent["seq"]  # never receipted what was not stored
