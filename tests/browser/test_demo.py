"""The demo itself in a browser: `hotline demo` started as the README says, the RU console
opened in Chromium with the credentials the demo prints, the proximity alert and the incursion
seen on the map, the FLASH seen acknowledged; then Ctrl-C ends everything cleanly.

Every wait is bounded; the map is reloaded while waiting (it also refreshes itself every 15 s).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from hotline.testing.processes import wait_for

SPEED = "20"


def reload_until(
    page: Page, url: str, ready: Callable[[], bool], timeout_s: float, what: str
) -> None:
    end = time.monotonic() + timeout_s
    while True:
        page.goto(url)
        page.wait_for_selector("#map[data-alerts]", state="attached")  # layers drawn
        if ready():
            return
        if time.monotonic() > end:
            layers = page.evaluate("fetch('/api/v1/map').then((r) => r.json())")
            raise AssertionError(
                f"timed out after {timeout_s:.0f} s waiting for {what}; alerts: {layers['alerts']}"
            )
        page.wait_for_timeout(2_000)


def printed_login(out: Path, party: str) -> tuple[str, str, str]:
    """(console URL, name, password) of ``party``'s first operator, as the demo printed them."""
    text = out.read_text()
    found = re.search(
        rf"{party} console: (\S+)\n\s+log in as (\S+) / (\S+) \(", text, flags=re.MULTILINE
    )
    assert found, f"the demo did not print {party}'s console and log-in:\n{text}"
    return found.group(1), found.group(2), found.group(3)


def api_session(console_url: str, name: str, password: str) -> httpx.Client:
    base = console_url.removesuffix("/console/")
    answer = httpx.post(f"{base}/api/v1/session", json={"name": name, "password": password})
    token = answer.json()["token"]
    return httpx.Client(base_url=base, headers={"authorization": f"Bearer {token}"}, timeout=30)


def alert_kinds(client: httpx.Client) -> set[str]:
    """The kinds of the alerts the node's map draws."""
    return {a["kind"] for a in client.get("/api/v1/map").json()["alerts"]}


def test_the_demo_in_a_browser_from_start_to_ctrl_c(tmp_path: Path, browser: Browser) -> None:
    home = tmp_path / "demo"
    out, err = tmp_path / "demo.out", tmp_path / "demo.err"
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hotline", "demo", "--speed", SPEED, "--home", str(home)],
            stdout=stdout,
            stderr=stderr,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    try:
        wait_for(lambda: "RU console:" in out.read_text(), 120, "the demo to print its consoles")
        url, name, password = printed_login(out, "RU")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(url + "login")
        page.fill("input[name=name]", name)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/")

        # The map: RU's engine predicts the close approach and draws it. The alert lasts about
        # ten seconds at this speed: its start is watched through the API, then the map drawn.
        ru = api_session(url, name, password)
        wait_for(lambda: "proximity" in alert_kinds(ru), 90, "RU's proximity alert")
        map_url = url + "map"
        proximity = page.locator("#alert-list .alert-proximity")
        reload_until(page, map_url, lambda: proximity.count() > 0, 10, "a proximity alert drawn")
        expect(page.locator("#map")).to_have_attribute("data-alerts", re.compile("proximity"))
        expect(page.locator("#map")).to_have_attribute("data-volumes", re.compile(r"[1-9]"))
        # ... then the US flight entering RU's notified training area, marked EXERCISE.
        incursion = page.locator("#alert-list .alert-incursion", has_text="US-OLIVE11")
        reload_until(page, map_url, lambda: incursion.count() > 0, 90, "an incursion alert")
        expect(incursion.first).to_contain_text("EXERCISE")
        expect(incursion.first).to_contain_text("notified by RU")
        expect(incursion.first).to_have_class(re.compile("mark-EXERCISE"))

        # The FLASH proximity alert, received from US and acknowledged by RU.
        page.goto(url)
        flash = page.locator("article.message.prec-FLASH.dir-in")
        expect(flash.first).to_be_visible(timeout=60_000)
        proximity_type = re.compile("proximity", re.IGNORECASE)
        expect(flash.first.locator("header .type")).to_contain_text(proximity_type)
        expect(flash.first.locator(".done")).to_be_visible(timeout=60_000)
        expect(flash.first.locator(".state-ack")).to_contain_text("RU")

        # The other console's engine sees the incursion too (through its API, to keep it short).
        us = api_session(*printed_login(out, "US"))
        assert "incursion" in alert_kinds(us)
        us.close()
        ru.close()
        wait_for(lambda: "RU engine: the US ISR flight" in out.read_text(), 60, "the step line")
        context.close()

        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    printed, errors = out.read_text(), err.read_text()
    assert proc.returncode == 0, printed + errors
    assert "Demo stopped." in printed
    assert "Traceback" not in errors
    assert "Traceback" not in printed
    assert not (home / "run.json").exists()
