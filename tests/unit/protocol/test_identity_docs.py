"""The Python example of docs/protocol.md, "Identities and keys", runs as written."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "protocol.md"


def test_identity_example_in_the_docs_runs() -> None:
    text = DOC.read_text()
    section = text.split("## Identities and keys", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    example = blocks[-1]
    assert "CardDirectory" in example
    exec(compile(example, str(DOC), "exec"), {})
