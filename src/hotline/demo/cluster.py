"""The demo's processes: ``hotline relay`` and one ``hotline run`` per party, started in their
own sessions (a terminal's Ctrl-C reaches the demo, which then stops them in order)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field

from hotline.demo.site import RELAY, DemoSite, SiteError

__all__ = ["Cluster", "Started"]


@dataclass(frozen=True, slots=True)
class Started:
    party: str
    proc: subprocess.Popen[str]
    api: str  # host:port of the operator API ("" for the relay)


@dataclass
class Cluster:
    site: DemoSite
    started: list[Started] = field(default_factory=list)

    def start(self) -> None:
        """Relay first (the parties' second bearer), then each party's node."""
        for party in [RELAY, *self.site.parties]:
            self.started.append(self._start(party))

    def api(self, party: str) -> str:
        return next(s.api for s in self.started if s.party == party)

    def _start(self, party: str) -> Started:
        home = self.site.home(party)
        command = "relay" if party == RELAY else "run"
        args = [
            sys.executable,
            "-m",
            "hotline",
            command,
            "--home",
            str(home),
            "--listen",
            f"127.0.0.1:{self.site.listen_ports[party]}",
        ]
        if party != RELAY:
            args += ["--api", "127.0.0.1:0"]
        log = (home.parent / f"{party}.log").open("a")
        proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            proc.wait()
            raise SiteError(
                f"{party}'s node did not start (exit {proc.returncode}); "
                f"see {home.parent / f'{party}.log'}"
            )
        ready = json.loads(line)
        return Started(party, proc, str(ready.get("api", "")))

    def stop(self, timeout_s: float = 15.0) -> list[int]:
        """SIGTERM every process, parties first, and wait; kill what doesn't end in time.
        Returns their exit statuses."""
        statuses: list[int] = []
        for s in reversed(self.started):
            if s.proc.poll() is None:
                s.proc.send_signal(signal.SIGTERM)
        for s in reversed(self.started):
            try:
                statuses.append(s.proc.wait(timeout=timeout_s))
            except subprocess.TimeoutExpired:
                s.proc.kill()
                statuses.append(s.proc.wait())
            if s.proc.stdout is not None:
                s.proc.stdout.close()
        self.started.clear()
        return statuses
