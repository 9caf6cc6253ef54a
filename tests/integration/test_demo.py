"""`hotline demo` end to end, started as the README says: it reaches RU's acknowledgement of
the FLASH proximity alert (seen through the US node's API), and Ctrl-C ends every process."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from hotline.testing.processes import wait_for


def demo_processes(home: Path) -> list[int]:
    """Pids of the node and relay processes serving this demo's folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if str(home).encode() in b" ".join(cmdline) and b"demo" not in cmdline:
                found.append(int(entry.name))
    return found


def test_demo_reaches_the_acknowledged_proximity_alert_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    proc = subprocess.Popen(
        [sys.executable, "-m", "hotline", "demo", "--speed", "20", "--home", str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        run = wait_for(lambda: (home / "run.json").exists(), 120, "the demo to start")
        assert run
        started = json.loads((home / "run.json").read_text())
        site = json.loads((home / "demo.json").read_text())
        password = next(x["password"] for x in site["logins"] if x["party"] == "US")
        assert sorted(started["consoles"]) == ["RU", "US"]
        assert len(demo_processes(home)) == 3  # US, RU, relay

        base = f"http://{started['api']['US']}"
        token = httpx.post(
            f"{base}/api/v1/session", json={"name": "officer", "password": password}
        ).json()["token"]
        us = httpx.Client(base_url=base, headers={"authorization": f"Bearer {token}"})

        def acknowledged_alert() -> dict[str, object] | None:
            sent = us.get(f"/api/v1/channels/{started['channel']}/messages").json()
            for m in sent:
                body = json.loads(m["body"]) if m["body"].startswith("{") else {}
                if body.get("type") == "proximity_alert" and m["acks"]:
                    return dict(m)
            return None

        message = wait_for(acknowledged_alert, 120, "RU to acknowledge the proximity alert")
        assert (message["sender"], message["prec"], message["mark"]) == ("US", "FLASH", "EXERCISE")
        assert [a["party"] for a in message["acks"]] == ["RU"]
        alerts = us.get("/api/v1/alerts").json()
        drawn = us.get("/api/v1/map").json()
        us.close()
        assert {t["party"] for t in drawn["tracks"]} == {"US", "RU"}
        assert {a["alert"]["kind"] for a in alerts} <= {"proximity", "incursion", "overlap"}
        # Every alert of the demo's volumes is marked as the demo's traffic is: EXERCISE.
        assert all(a["alert"]["mark"] == "EXERCISE" for a in alerts if a["incursion"])

        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, out
    assert "proximity alert" in out
    assert "Demo stopped." in out
    assert demo_processes(home) == []
    assert not (home / "run.json").exists()


def test_the_demo_never_takes_over_a_folder_it_did_not_create(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    done = subprocess.run(
        [sys.executable, "-m", "hotline", "demo", "--home", str(tmp_path), "--reset"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: ")
    assert "holds no demo.json" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"
