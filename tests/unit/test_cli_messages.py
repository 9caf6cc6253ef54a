"""How `hotline send` reads its files and message numbers (no node needed)."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.cli.messages import Outgoing, default_precedence, outgoing_lines, parse_number
from hotline.errors import HotlineError

DEFAULTS = Outgoing(None, "", "REAL", None, [])


def test_message_numbers_allow_hyphenated_parties() -> None:
    assert parse_number("US-3") == ("US", 3)
    assert parse_number("UN-OCHA-0042") == ("UN-OCHA", 42)
    for bad in ("US", "US-", "-3", "US-0", "US-x"):
        with pytest.raises(HotlineError, match="PARTY-SEQ"):
            parse_number(bad)


@given(st.from_regex(r"[A-Z][A-Z0-9-]{0,10}", fullmatch=True), st.integers(1, 2**40))
def test_numbers_round_trip(party: str, seq: int) -> None:
    assert parse_number(f"{party}-{seq}") == (party, seq)


def test_the_type_decides_the_default_precedence() -> None:
    assert default_precedence({"type": "stop_check_fire"}) == "FLASH"
    assert default_precedence({"type": "free_text"}) == "ROUTINE"
    assert default_precedence("text") == "ROUTINE"


def test_one_json_body_is_one_message() -> None:
    text = json.dumps({"type": "stop_check_fire", "reason": "OTHER"}, indent=2)
    [(number, item)] = outgoing_lines(text, DEFAULTS)
    assert number == 1
    assert isinstance(item, Outgoing)
    assert item.prec == "FLASH"


def test_json_lines_keep_their_line_numbers_and_errors_in_place() -> None:
    text = "\n".join(
        [
            json.dumps({"body": "hello", "prec": "PRIORITY", "refs": ["RU-2"]}),
            "",
            "[1, 2]",
            "{not json",
            json.dumps({"body": "x", "colour": "red"}),
            json.dumps({"type": "free_text"}),
        ]
    )
    lines = outgoing_lines(text, Outgoing(None, "", "EXERCISE", ["RU"], []))
    assert [n for n, _ in lines] == [1, 3, 4, 5, 6]
    first = lines[0][1]
    assert isinstance(first, Outgoing)
    assert (first.body, first.prec, first.mark, first.to, first.refs) == (
        "hello",
        "PRIORITY",
        "EXERCISE",
        ["RU"],
        [("RU", 2)],
    )
    errors = [str(item) for _, item in lines[1:4]]
    assert errors[0] == "a JSON object is needed"
    assert errors[1].startswith("not JSON")
    assert "unknown keys ['colour']" in errors[2]
    assert isinstance(lines[4][1], Outgoing)
