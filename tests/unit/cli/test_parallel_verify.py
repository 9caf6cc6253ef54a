"""`hotline verify --jobs N` gives exactly the report of one process, problems included."""

from pathlib import Path

import pytest

from hotline.cli.parallel import verify_with_processes
from hotline.protocol.members import members_from_cards
from hotline.protocol.transcript import verify_transcript
from hotline.testing.transcripts import (
    generate_transcript,
    reseal,
)

MEMBERS = members_from_cards


def variants() -> dict[str, list[bytes]]:
    generated = generate_transcript(300, parties=("RU", "UA", "US"), seed=3, withhold=0.3)
    lines = generated.lines
    bad_signature = list(lines)
    line = bytearray(lines[150])
    at = line.index(b'"env":"') + 7 + 100  # inside the signature
    line[at] = ord("A") if line[at] != ord("A") else ord("B")
    bad_signature[150] = bytes(line)
    equivocation = generated.builder
    equivocation.equivocate("RU", 5)
    return {
        "valid": lines,
        "bad signature mid-file": reseal(generated.builder, bad_signature, by="US"),
        "equivocation": equivocation.export(),
        "cut short": lines[:-40],
        "garbage": [lines[0], b"not json\n", *lines[1:]],
        "only a head": lines[:1],
        "empty": [],
    }


@pytest.mark.parametrize(("name", "lines"), list(variants().items()))
def test_processes_give_the_same_report(name: str, lines: list[bytes]) -> None:
    expected = verify_transcript(lines, MEMBERS)
    assert verify_with_processes(iter(lines), MEMBERS, jobs=2) == expected
    assert expected.valid == (name == "valid")


def test_verify_command_with_jobs(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from hotline.cli.main import cli

    path = tmp_path / "t.jsonl"
    path.write_bytes(b"".join(generate_transcript(120, seed=4).lines))
    result = CliRunner().invoke(cli, ["verify", str(path), "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("VALID transcript")
