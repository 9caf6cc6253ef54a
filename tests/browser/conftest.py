"""Two real node processes (US and RU) with an open channel, and Debian's Chromium driven by
Playwright. The browser is never downloaded: it is /usr/bin/chromium (scripts/test installs it)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from hotline.testing.processes import PASSWORD, NodeProcess, wait_for

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VENDOR = Path(__file__).resolve().parents[2] / "src" / "hotline" / "console" / "static" / "vendor"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Pair:
    us: NodeProcess
    ru: NodeProcess
    cid: str

    def url(self, node: NodeProcess, path: str = "/console/") -> str:
        return f"http://127.0.0.1:{node.api_port}{path}"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    if not (VENDOR / "htmx.min.js").is_file():
        pytest.fail(f"{VENDOR} is missing: run `bash scripts/setup` (npm ci + scripts/vendor.mjs)")
    root = tmp_path_factory.mktemp("console")
    us = NodeProcess.create(root, "US", free_port())
    ru = NodeProcess.create(root, "RU", free_port())
    us.introduce(ru)
    ru.introduce(us)
    us.start()
    ru.start()
    try:
        ru.call(
            "POST",
            "/api/v1/operators",
            json={
                "name": "dezhurny",
                "password": PASSWORD,
                "role": "watch_officer",
                "language": "ru",
            },
        )
        channel = us.call(
            "POST",
            "/api/v1/channels",
            json={"name": "Black Sea", "parties": ["RU"], "languages": ["en", "ru"]},
        )
        cid = channel["id"]
        wait_for(
            lambda: any(c["id"] == cid for c in ru.call("GET", "/api/v1/channels")),
            what="proposal at RU",
        )
        ru.call("POST", f"/api/v1/channels/{cid}/accept")
        wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}")["opened"], what="channel open")
        yield Pair(us, ru, cid)
    finally:
        us.stop()
        ru.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            "/usr/bin/chromium is missing: `apt-get install -y chromium` (scripts/test does it)"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def log_in(browser: Browser, pair: Pair) -> Iterator[Callable[..., Page]]:
    """New browser sessions logged in to `node` as `name`; closed after the test, so no
    event stream keeps a node from stopping."""
    contexts: list[BrowserContext] = []

    def log_in(node: NodeProcess, name: str = "officer") -> Page:
        context = browser.new_context(viewport={"width": 1366, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(pair.url(node, "/console/login"))
        page.fill("input[name=name]", name)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/")
        return page

    yield log_in
    for context in contexts:
        context.close()
