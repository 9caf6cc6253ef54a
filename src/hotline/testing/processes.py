"""Real node processes for integration tests: init, introduce, run, talk to the API, kill.

Everything goes through the `hotline` command and the operator API, as an operator would.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "watch officer password"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (for a process that must be told its port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hotline(*args: object, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "hotline", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"hotline {' '.join(map(str, args))} failed: {result.stderr}")
    return result


@dataclass
class NodeProcess:
    party: str
    home: Path
    listen_port: int
    api_port: int = 0
    proc: subprocess.Popen[str] | None = None
    token: str | None = None
    log: Path | None = None
    fingerprint: str = ""
    extra_args: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, root: Path, party: str, listen_port: int) -> NodeProcess:
        home = root / party.lower()
        password_file = root / f"{party}.password"
        password_file.write_text(PASSWORD)
        out = hotline("init", party, "--home", home, "--operator", "officer",
                      "--operator-password-file", password_file, "--json")  # fmt: skip
        node = cls(party, home, listen_port, fingerprint=json.loads(out.stdout)["fingerprint"])
        node.intro.write_bytes(hotline("identity", "export", "--home", home).stdout.encode())
        return node

    @property
    def intro(self) -> Path:
        return self.home.parent / f"{self.party}.intro"

    def introduce(self, other: NodeProcess, address: str | None = None) -> None:
        address = address or f"127.0.0.1:{other.listen_port}"
        hotline("peer", "add", other.intro, "--home", self.home, "--fingerprint",
                other.fingerprint, "--address", address)  # fmt: skip

    def start(self, *, relay: bool = False) -> None:
        self.log = self.home.parent / f"{self.party}.log"
        command = "relay" if relay else "run"
        args = [sys.executable, "-m", "hotline", command, "--home", str(self.home),
                "--listen", f"127.0.0.1:{self.listen_port}", *self.extra_args]  # fmt: skip
        if not relay:
            args += ["--api", "127.0.0.1:0"]
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=self.log.open("a"), text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"{self.party} did not start: {self.log.read_text()[-2000:]}")
        ready = json.loads(line)
        if not relay:
            self.api_port = int(ready["api"].rsplit(":", 1)[1])
            self.token = None

    def kill(self) -> None:
        """kill -9: no shutdown, no flush, no goodbye."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def api(self) -> httpx.Client:
        """A client logged in as this node's watch officer."""
        base = f"http://127.0.0.1:{self.api_port}"
        if self.token is None:
            r = httpx.post(f"{base}/api/v1/session", json={"name": "officer", "password": PASSWORD})
            r.raise_for_status()
            self.token = r.json()["token"]
        return httpx.Client(
            base_url=base, timeout=30, headers={"authorization": f"Bearer {self.token}"}
        )

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        with self.api() as client:
            r = client.request(method, path, **kwargs)
            if r.status_code >= 400:
                raise AssertionError(f"{self.party} {method} {path}: {r.status_code} {r.text}")
            return r.json()


def wait_for(condition: Any, timeout_s: float = 30.0, what: str = "condition") -> Any:
    end = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@contextmanager
def running_pair(root: Path) -> Iterator[tuple[NodeProcess, NodeProcess]]:
    """US and RU node processes under ``root`` that know each other, running; stopped after."""
    us = NodeProcess.create(root, "US", free_port())
    ru = NodeProcess.create(root, "RU", free_port())
    us.introduce(ru)
    ru.introduce(us)
    us.start()
    ru.start()
    try:
        yield us, ru
    finally:
        us.stop()
        ru.stop()
