"""`hotline verify`, `prove` and `verify-proof`: exit status, one-line errors, --json."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hotline.cli.main import cli
from hotline.protocol.envelope import Envelope, Kind
from hotline.testing.transcripts import TranscriptBuilder


@pytest.fixture(scope="module")
def channel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Envelope]:
    b = TranscriptBuilder(checkpoint_every=4)
    b.open_channel()
    note = b.notify("US", "Launch at 0600Z")
    b.now_ms += 45_000
    b.ack("RU", note)
    b.checkpoint("US")
    b.cosign("RU", b.envelopes[-1])
    b.checkpoint("RU")
    b.receipt("RU")
    path = tmp_path_factory.mktemp("cli") / "channel.jsonl"
    path.write_bytes(b"".join(b.export()))
    return path, note


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_verify_valid_prints_a_summary(channel: tuple[Path, Envelope]) -> None:
    path, _ = channel
    result = run("verify", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("VALID transcript of channel 'Black Sea air safety'")
    assert "acknowledged: 1 of 1 notifications (0 not), 1 acks" in result.stdout
    assert "ack latency: p50 45.0 s, max 45.0 s" in result.stdout
    assert "receipts: RU has receipted US up to seq 4 of 4" in result.stdout
    assert result.stderr == ""


def test_verify_json(channel: tuple[Path, Envelope]) -> None:
    path, _ = channel
    result = run("verify", str(path), "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["problems"] == []
    assert {m["party"] for m in report["summary"]["members"]} == {"RU", "US"}


def test_verify_names_the_first_problem(channel: tuple[Path, Envelope], tmp_path: Path) -> None:
    path, note = channel
    data = bytearray(path.read_bytes())
    lines = bytes(data).splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines, 1) if note.id_hex.encode() in line)
    offset = sum(len(line) for line in lines[: n - 1]) + lines[n - 1].index(b'"env":"') + 60
    data[offset] = ord("A") if data[offset] != ord("A") else ord("B")
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(bytes(data))
    result = run("verify", str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"INVALID: line {n}: US seq 3: bad signature")
    assert result.stderr.count("\n") == 1
    as_json = json.loads(run("verify", str(broken), "--json").stdout)
    assert as_json["valid"] is False
    assert as_json["problems"][0]["line"] == n
    assert as_json["problems"][0]["check"] == "envelope"


@pytest.mark.parametrize("command", ["verify", "verify-proof"])
def test_unreadable_files_are_one_line_errors(command: str, tmp_path: Path) -> None:
    result = run(command, str(tmp_path / "missing.jsonl"))
    assert result.exit_code == 2
    missing = tmp_path / "missing.jsonl"
    assert result.stderr == f"error: cannot read {missing}: No such file or directory\n"
    result = run(command, str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot read {tmp_path}: Is a directory\n"


def test_verify_a_file_that_is_not_a_transcript(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"\x00\xff binary junk\n")
    result = run("verify", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("INVALID: line 1: line 1 must be the head line")


def test_prove_and_verify_proof(channel: tuple[Path, Envelope], tmp_path: Path) -> None:
    path, _ = channel
    proof = tmp_path / "proof.json"
    result = run("prove", str(path), "--envelope", "US:3", "--with-ack", "--out", str(proof))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote a proof of US seq 3 and its acknowledgement to {proof}\n"
    result = run("verify-proof", str(proof))
    assert result.exit_code == 0, result.stderr
    assert "Proven: US sent notification ROUTINE REAL, US seq 3" in result.stdout
    assert "body (" in result.stdout
    assert "Launch at 0600Z" in result.stdout
    assert "countersigned by RU" in result.stdout
    assert "Acknowledged: RU sent ack ROUTINE REAL, RU seq 2" in result.stdout
    as_json = json.loads(run("verify-proof", str(proof), "--json").stdout)
    assert as_json["valid"] is True
    assert as_json["proven"]["ack"]["party"] == "RU"
    assert as_json["proven"]["ack_latency_ms"] == 45_000


def test_prove_to_stdout_and_a_broken_proof(channel: tuple[Path, Envelope], tmp_path: Path) -> None:
    path, _ = channel
    result = run("prove", str(path), "--envelope", "US:3")
    assert result.exit_code == 0
    proof = json.loads(result.stdout)
    assert proof["format"] == "hotline-proof"
    assert "ack" not in proof
    proof["envelope"]["path"] = ["00" * 32]
    broken = tmp_path / "broken-proof.json"
    broken.write_text(json.dumps(proof))
    result = run("verify-proof", str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: the proof does not verify: envelope: the audit path does not lead"
    )
    as_json = json.loads(run("verify-proof", str(broken), "--json").stdout)
    assert as_json["valid"] is False
    assert "audit path" in as_json["error"]


@pytest.mark.parametrize(
    ("target", "status", "message"),
    [
        ("US:99", 1, "error: cannot prove US seq 99: no such envelope in the transcript"),
        ("US", 2, "Invalid value for '--envelope': 'US': expected PARTY:SEQ"),
        ("US:0", 2, "expected PARTY:SEQ"),
    ],
)
def test_prove_refuses_clearly(
    channel: tuple[Path, Envelope], target: str, status: int, message: str
) -> None:
    path, _ = channel
    result = run("prove", str(path), "--envelope", target)
    assert result.exit_code == status
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_prove_refuses_a_withheld_body(tmp_path: Path) -> None:
    b = TranscriptBuilder(checkpoint_every=4)
    b.open_channel()
    b.notify("US")
    b.checkpoint("US")
    path = tmp_path / "redacted.jsonl"
    path.write_bytes(b"".join(b.export(withhold=lambda e: e.header.kind is Kind.NOTIFICATION)))
    result = run("prove", str(path), "--envelope", "US:3")
    assert result.exit_code == 1
    assert "its body is withheld in this transcript" in result.stderr


def test_the_installed_command_verifies_end_to_end(channel: tuple[Path, Envelope]) -> None:
    path, _ = channel
    result = subprocess.run(
        [sys.executable, "-m", "hotline", "verify", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("VALID transcript")


def test_equivocation_is_shown_with_the_whole_summary(tmp_path: Path) -> None:
    b = TranscriptBuilder(checkpoint_every=4)
    b.open_channel()
    note = b.notify("US", "Flight at 0600Z")
    b.equivocate("US", note.seq, "Flight at 0900Z")
    b.notify("RU")
    path = tmp_path / "equivocation.jsonl"
    path.write_bytes(b"".join(b.export()))
    result = run("verify", str(path))
    assert result.exit_code == 1
    assert "read to the end" in result.stdout
    assert "  EQUIVOCATION: US seq 3: line 5 " in result.stdout
    assert result.stderr.startswith(
        "INVALID: line 6: US seq 3: equivocation: US signed two different envelopes with seq 3"
    )
