"""docs/engine.md: its worked example runs and prints what the page says it prints, and its
party rules parse."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from hotline.feeds.parties import PartyRules

DOC = Path(__file__).resolve().parents[3] / "docs" / "engine.md"


def test_the_worked_example_prints_what_the_page_says() -> None:
    text = DOC.read_text()
    pairs = re.findall(r"```python\n(.*?)```\n.*?```text\n(.*?)```", text, re.S)
    assert len(pairs) == 2
    namespace: dict[str, object] = {}
    for code, expected in pairs:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(DOC), "exec"), namespace)
        assert out.getvalue() == expected


def test_the_party_rules_example_parses() -> None:
    (toml,) = re.findall(r"```toml\n(.*?)```", DOC.read_text(), re.S)
    rules = PartyRules.from_toml(toml)
    assert rules.party_of("4b1806") == "CH"
    assert rules.party_of("ae0001", icao24=0xAE0001) == "US"
    assert rules.party_of("x", callsign="RCH123") == "US"
    assert rules.party_of("x") == "unknown"
