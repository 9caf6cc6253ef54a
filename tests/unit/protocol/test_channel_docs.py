"""The example in docs/protocol.md ("Channel state machine") runs as written."""

from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "protocol.md"


def test_the_documented_driver_loop_runs() -> None:
    text = DOC.read_text()
    section = text[text.index("## Channel state machine") :]
    code = section[section.index("```python\n") + 10 : section.index("```\n", 10)]
    namespace: dict[str, object] = {"__name__": "docs_example"}
    exec(compile(code, str(DOC), "exec"), namespace)  # the asserts in the example must hold
    stores = namespace["stores"]
    assert isinstance(stores, dict)
    assert len(stores["RU"]) >= 4  # proposal, acceptance, US's acceptance, the notification
