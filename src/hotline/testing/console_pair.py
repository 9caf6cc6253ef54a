"""Two real node processes (US and RU) with an open channel between them, for the console's
browser tests and its screenshots. RU has a Russian-speaking watch officer, ``dezhurny``; US a
supervisor, ``officer``, and a watch officer, ``duty``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hotline.testing.processes import PASSWORD, NodeProcess, free_port, wait_for

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ConsolePair", "console_pair"]

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; never a downloaded browser
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@dataclass
class ConsolePair:
    us: NodeProcess
    ru: NodeProcess
    cid: str

    def url(self, node: NodeProcess, path: str = "/console/") -> str:
        return f"http://127.0.0.1:{node.api_port}{path}"


@contextmanager
def console_pair(root: Path, channel_name: str = "Black Sea") -> Iterator[ConsolePair]:
    """Create, introduce and start both nodes, open a channel (en, ru); stop them after."""
    us = NodeProcess.create(root, "US", free_port())
    ru = NodeProcess.create(root, "RU", free_port())
    us.introduce(ru)
    ru.introduce(us)
    us.start()
    ru.start()
    try:
        officer = {"name": "dezhurny", "password": PASSWORD, "role": "watch_officer"}
        ru.call("POST", "/api/v1/operators", json=officer | {"language": "ru"})
        # US's `officer` is a supervisor; `duty` a watch officer (a FLASH's first person).
        duty = {"name": "duty", "password": PASSWORD, "role": "watch_officer"}
        us.call("POST", "/api/v1/operators", json=duty | {"language": "en"})
        charter = {"name": channel_name, "parties": ["RU"], "languages": ["en", "ru"]}
        cid = us.call("POST", "/api/v1/channels", json=charter)["id"]
        wait_for(
            lambda: any(c["id"] == cid for c in ru.call("GET", "/api/v1/channels")),
            what="the proposal at RU",
        )
        ru.call("POST", f"/api/v1/channels/{cid}/accept")
        wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}")["opened"], what="open channel")
        yield ConsolePair(us, ru, cid)
    finally:
        us.stop()
        ru.stop()
