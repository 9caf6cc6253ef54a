"""hotline catalogue list|show, hotline render, hotline validate: through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hotline.catalogue import CATALOGUE, encode_body
from hotline.catalogue.examples import examples
from hotline.cli.main import main


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["hotline", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    return lambda *args: run(capsys, monkeypatch, *args)


def write(tmp_path: Path, name: str, obj: object) -> str:
    path = tmp_path / name
    path.write_bytes(
        obj if isinstance(obj, bytes) else json.dumps(obj, ensure_ascii=False).encode()
    )
    return str(path)


def body(name: str) -> dict[str, Any]:
    obj: dict[str, Any] = json.loads(encode_body(examples()[name].notification))
    return obj


def test_list_shows_every_type(cli: Any) -> None:
    code, out, _ = cli("catalogue", "list", "--json")
    assert code == 0
    assert [t["type"] for t in json.loads(out)] == CATALOGUE.names
    code, out, _ = cli("catalogue", "list")
    assert code == 0
    assert "stop_check_fire" in out
    assert "24 h (block)" in out


def test_show_gives_rules_fields_and_an_example(cli: Any) -> None:
    code, out, _ = cli("catalogue", "show", "stop_check_fire", "--json")
    info = json.loads(out)
    assert code == 0
    assert info["precedences"] == ["FLASH"]
    assert info["immediate_ack"] is True
    assert [f["name"] for f in info["fields"]] == ["reason", "area", "until", "related", "remarks"]
    code, out, _ = cli("catalogue", "show", "missile_launch", "--lang", "ru")
    assert code == 0
    assert "Класс ракеты" in out
    assert "КОНЕЦ СООБЩЕНИЯ RU-0017" in out


def test_show_of_an_unknown_type_is_one_clear_line(cli: Any) -> None:
    code, out, err = cli("catalogue", "show", "telegram")
    assert code == 1
    assert out == ""
    assert err.startswith(
        "error: type: unknown notification type 'telegram'; known: missile_launch"
    )
    assert err.count("\n") == 1


def test_an_example_from_show_validates(cli: Any, tmp_path: Path) -> None:
    code, out, _ = cli("catalogue", "show", "flight_notice", "--example")
    path = write(tmp_path, "notice.json", out.encode())
    code, out, err = cli("validate", path, "--now", "2026-11-25T18:00:00Z")
    assert (code, err) == (0, "")
    assert out == f"ok: {path}: flight_notice 1.0, 546 bytes, precedence PRIORITY\n"


def test_validate_reports_every_problem_with_its_path(cli: Any, tmp_path: Path) -> None:
    bad = body("missile_launch")
    bad["impact_area"]["radius_nm"] = 0
    bad["launch_count"] = 0
    path = write(tmp_path, "launch.json", bad)
    code, out, err = cli("validate", path)
    assert code == 1
    assert out == ""
    assert sorted(err.splitlines()) == [
        f"error: {path}: impact_area.radius_nm: must be > 0",
        f"error: {path}: launch_count: must be ≥ 1",
    ]
    code, out, _ = cli("validate", path, "--json")
    assert code == 1
    assert {"path": "impact_area.radius_nm", "message": "must be > 0"} in json.loads(out)["errors"]


def test_validate_blocks_a_late_launch_notice_and_warns_a_late_flight(
    cli: Any, tmp_path: Path
) -> None:
    launch = write(tmp_path, "launch.json", body("missile_launch"))
    code, out, err = cli("validate", launch, "--now", "2026-11-26T10:00:00Z")
    assert code == 1
    assert out.startswith("blocked: ")
    assert err.startswith("block: launch_window.start: the activity starts in 20 h 00 min;")
    flight = write(tmp_path, "flight.json", body("flight_notice"))
    code, out, err = cli("validate", flight, "--now", "2026-11-26T05:00:00Z", "--json")
    report = json.loads(out)
    assert code == 0
    assert report["releasable"] is True
    assert [f["outcome"] for f in report["findings"]] == ["warn"]


def test_validate_applies_a_charters_rules(cli: Any, tmp_path: Path) -> None:
    flight = write(tmp_path, "flight.json", body("flight_notice"))
    rules = write(tmp_path, "rules.json", {"allowed_types": ["free_text"]})
    code, _, err = cli("validate", flight, "--rules", rules, "--now", "2026-11-25T00:00:00Z")
    assert code == 1
    assert "block: type: flight_notice is not allowed in this channel" in err
    broken = write(tmp_path, "broken.json", {"max_words": {"FLASH": 0}})
    code, _, err = cli("validate", flight, "--rules", broken)
    assert code == 2
    assert "max_words.FLASH: must be ≥ 1" in err
    assert "Traceback" not in err


def test_garbage_is_one_line_per_problem_and_exit_1(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "junk.json", b"not json")
    code, out, err = cli("validate", path)
    assert (code, out) == (1, "")
    assert err == f"error: {path}: body is not valid JSON: Expecting value at line 1 column 1\n"
    path = write(tmp_path, "latin1.json", b'{"type": "free_text", "x": "\xe9"}')
    code, out, err = cli("render", path)
    assert (code, err) == (1, f"error: {path}: file is not valid UTF-8 (byte 28)\n")
    code, _, err = cli("validate", str(tmp_path / "missing.json"))
    assert code == 2
    assert "No such file or directory" in err


def test_render_of_a_bare_body_is_a_draft_marked_test(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "site.json", body("humanitarian_site"))
    code, out, _ = cli("render", path, "--lang", "ru")
    lines = out.splitlines()
    assert code == 0
    assert (
        lines[0]
        == lines[-1]
        == "ПРОВЕРКА ПРОВЕРКА ПРОВЕРКА (TEST): ПРОВЕРОЧНОЕ СООБЩЕНИЕ, НЕ РЕАЛЬНОЕ"
    )
    assert "От: (не указано: проект)" in lines
    assert "УВЕДОМЛЕНИЕ НЕ ЯВЛЯЕТСЯ РАЗРЕШЕНИЕМ." in out


def test_render_of_a_message_file_uses_its_context_and_options(cli: Any, tmp_path: Path) -> None:
    example = examples()["missile_launch"]
    message = {"context": example.context.model_dump(mode="json"), "body": body("missile_launch")}
    path = write(tmp_path, "message.json", message)
    code, out, _ = cli("render", path, "--lang", "uk", "--form", "compact")
    assert code == 0
    assert out.splitlines()[0].startswith("НАВЧАННЯ НАВЧАННЯ НАВЧАННЯ (EXERCISE)")
    assert "НОМЕР ПОВІДОМЛЕННЯ: RU-0017" in out
    code, out, _ = cli("render", path, "--marking", "REAL", "--number", "18", "--json")
    rendered = json.loads(out)
    assert code == 0
    assert rendered["lang"] == "en"
    assert rendered["text"].startswith("BALLISTIC MISSILE LAUNCH NOTIFICATION")
    assert "Message number: RU-0018" in rendered["text"]


def test_render_refuses_a_precedence_the_type_does_not_allow(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "stop.json", body("stop_check_fire"))
    code, out, err = cli("render", path, "--precedence", "ROUTINE")
    assert (code, out) == (1, "")
    assert (
        err == "error: precedence: ROUTINE is not allowed for stop_check_fire; use one of FLASH\n"
    )


def test_render_reports_bad_context_in_a_message_file(cli: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path, "message.json", {"context": {"precedence": "URGENT"}, "body": body("rfi")}
    )
    code, _, err = cli("render", path)
    assert code == 1
    assert f"error: {path}: context.precedence: must be one of" in err
    assert f"error: {path}: context.marking: is required" in err


def test_the_installed_command_runs_end_to_end(tmp_path: Path) -> None:
    path = write(tmp_path, "text.json", body("free_text"))
    result = subprocess.run(
        [sys.executable, "-m", "hotline", "render", path, "--lang", "uk", "--form", "compact"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "НЕФОРМАЛІЗОВАНЕ ПОВІДОМЛЕННЯ" in result.stdout
