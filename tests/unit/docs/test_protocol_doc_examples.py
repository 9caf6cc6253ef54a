"""The examples in docs/protocol.md ("Transcript" and "Proofs") run and print what they show."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "protocol.md"
OUR_SECTIONS = ("## Transcript", "## Proofs")


def our_blocks() -> list[tuple[str, str]]:
    """(language, code) of every fenced block under our `##` headings, in order."""
    blocks: list[tuple[str, str]] = []
    ours = False
    fence: str | None = None
    code: list[str] = []
    for line in DOC.read_text().splitlines():
        if fence is None and line.startswith("## "):
            ours = line.startswith(OUR_SECTIONS)
        elif line.startswith("```") and fence is None:
            fence, code = line[3:].strip(), []
        elif line.startswith("```"):
            if ours and fence in ("python", "console"):
                blocks.append((fence, "\n".join(code)))
            fence = None
        elif fence is not None:
            code.append(line)
    return blocks


def matches(expected: str, actual: str) -> bool:
    """Exact, except that `...` stands for anything (also several lines)."""
    pattern = ".*?".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual, flags=re.DOTALL) is not None


def run_console(block: str, cwd: Path) -> None:
    sessions = re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for session in sessions:
        command, _, expected = session.partition("\n")
        argv = shlex.split(command)
        assert argv[0] == "hotline", command
        result = subprocess.run(
            [sys.executable, "-m", "hotline", *argv[1:]],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        actual = result.stdout.rstrip("\n")
        assert matches(expected.rstrip("\n"), actual), f"$ {command}\n{actual}"


def test_the_documented_examples_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = our_blocks()
    assert [lang for lang, _ in blocks] == ["python", "console", "python", "console", "console"]
    monkeypatch.chdir(tmp_path)
    for lang, code in blocks:
        if lang == "python":
            exec(compile(code, str(DOC), "exec"), {})
        else:
            run_console(code, tmp_path)
    assert (tmp_path / "proof.json").exists()


def test_the_wildcard_matcher_is_not_a_blank_cheque() -> None:
    assert matches("a ... c", "a bb\nb c")
    assert not matches("a ... c", "a b d")
    assert not matches("exact", "exact plus more")
