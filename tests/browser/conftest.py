"""Two real node processes (US and RU) with an open channel, and Debian's Chromium driven by
Playwright. The browser is never downloaded: it is /usr/bin/chromium (scripts/test installs it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from hotline.testing.console_pair import CHROMIUM, CHROMIUM_ARGS, ConsolePair, console_pair
from hotline.testing.processes import PASSWORD, NodeProcess

VENDOR = Path(__file__).resolve().parents[2] / "src" / "hotline" / "console" / "static" / "vendor"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsolePair]:
    if not (VENDOR / "htmx.min.js").is_file():
        pytest.fail(f"{VENDOR} is missing: run `bash scripts/setup` (npm ci + scripts/vendor.mjs)")
    with console_pair(tmp_path_factory.mktemp("console")) as opened:
        yield opened


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (scripts/test does it)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def log_in(browser: Browser, pair: ConsolePair) -> Iterator[Callable[..., Page]]:
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
