"""docs/cli.md runs as written: its shell blocks, in order, with real node processes."""

import contextlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path

from hotline.testing.processes import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "cli.md"
DOC_PORTS = ("7701", "7702", "8701", "8702")


def shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", markdown, flags=re.S | re.M)


def run_bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def cli(cwd: Path, env: dict[str, str], *args: str) -> object:
    done = subprocess.run(
        [sys.executable, "-m", "hotline", *args, "--json"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    blocks = shell_blocks(DOC.read_text())
    assert len(blocks) >= 8, "the walk-through lost its shell blocks"
    script = "\n".join(blocks[:-1])  # the last block stops the nodes: checks come first
    for port in DOC_PORTS:  # the doc's fixed ports may be taken on a shared machine
        script = script.replace(port, str(free_port()))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "hotline"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m hotline "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "COLUMNS": "160"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
    env.pop("HOTLINE_HOME", None)
    try:
        done = run_bash(script, tmp_path, env)
        assert done.returncode == 0, f"walk-through failed:\n{done.stdout}\n{done.stderr}"
        assert "refused, as it should be" in done.stdout
        assert "3 problems" in done.stderr
        assert "area.radius_km" in done.stderr
        assert "OPERATOR" not in done.stderr  # no traceback-like noise leaked
        assert "held for release by a second operator (draft" in done.stdout
        assert "refused: its author may not release it" in done.stdout
        assert "composed by officer, released by chief" in done.stdout
        assert "wrong area: 45N, not 44N" in done.stdout

        def flash() -> dict[str, object] | None:
            views = cli(tmp_path, env, "inbox", "Black Sea", "--home", "us")
            assert isinstance(views, list)
            found = [v for v in views if v["prec"] == "FLASH" and v["mark"] == "EXERCISE"]
            return found[0] if found and found[0]["replies"] else None

        message = wait_for(flash, what="RU's reply on the US side")
        assert message["receipted_by"] == ["RU"]
        assert [a["party"] for a in message["acks"]] == ["RU"]
        assert message["awaiting_ack_from"] == []
        assert "Cape Tarkhankut" in message["renderings"]["en"]
        on_ru = cli(tmp_path, env, "inbox", "--home", "ru")
        assert isinstance(on_ru, list)
        assert [(v["sender"], v["type"], v["direction"]) for v in on_ru] == [
            ("US", "free_text", "in"),
            ("US", "stop_check_fire", "in"),
            ("RU", "free_text", "out"),
            ("US", "free_text", "in"),  # the FLASH released by a second operator
        ]
        released = cli(tmp_path, env, "inbox", "Black Sea FLASH", "--home", "us")
        assert isinstance(released, list)
        assert [(v["composed_by"], v["released_by"]) for v in released] == [("officer", "chief")]

        pids = {h: json.loads((tmp_path / h / "node.run").read_text())["pid"] for h in ("us", "ru")}
        stop_env = {**env, "US_PID": str(pids["us"]), "RU_PID": str(pids["ru"])}
        done = run_bash(blocks[-1], tmp_path, stop_env)
        assert done.returncode == 0, done.stderr
        wait_for(lambda: not (tmp_path / "us" / "node.run").exists(), what="US to stop")
        assert not (tmp_path / "us" / "operator.token").exists()  # logged out
    finally:
        for home in ("us", "ru"):
            run_file = tmp_path / home / "node.run"
            if run_file.exists():
                pid = json.loads(run_file.read_text())["pid"]
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
