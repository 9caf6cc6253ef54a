"""Playing a scenario through the operator API: track states fed to the nodes on a tick, and
operator steps taken in order, each at its scenario time or as soon as what it answers exists.

Scenario time runs ``speed`` times faster than the wall clock. The clock the tracks and bodies
are stamped with is anchored so that it never runs ahead of the real one (the nodes refuse
reports of events in the future): at speed 1 it is the wall clock itself.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from hotline.demo.scenario import Scenario, Step
from hotline.demo.site import DemoSite, SiteError

__all__ = ["Operators", "Player", "open_channel"]

JsonObject = dict[str, Any]  # the API's JSON answers, read locally and never passed on


class Operators:
    """Logged-in API clients, one per (party, operator name)."""

    def __init__(self, site: DemoSite, api: Callable[[str], str]) -> None:
        self.site = site
        self._api = api
        self._clients: dict[tuple[str, str], httpx.Client] = {}

    def client(self, party: str, name: str = "officer") -> httpx.Client:
        key = (party, name)
        if key not in self._clients:
            login = self.site.login(party, name)
            base = f"http://{self._api(party)}"
            r = httpx.post(
                f"{base}/api/v1/session", json={"name": name, "password": login.password}
            )
            _check(r, f"log-in of {name} at {party}")
            token = r.json()["token"]
            self._clients[key] = httpx.Client(
                base_url=base, timeout=30, headers={"authorization": f"Bearer {token}"}
            )
        return self._clients[key]

    def call(self, party: str, method: str, path: str, name: str = "officer", **kw: Any) -> Any:
        r = self.client(party, name).request(method, path, **kw)
        _check(r, f"{party} {method} {path}")
        return r.json()

    def close(self) -> None:
        for c in self._clients.values():
            c.close()
        self._clients.clear()


def _check(r: httpx.Response, what: str) -> None:
    if r.status_code >= 400:
        raise SiteError(f"{what}: HTTP {r.status_code}: {r.text[:500]}")


def open_channel(ops: Operators, scenario: Scenario, name: str, timeout_s: float = 60) -> str:
    """The first party proposes a channel to the other, which accepts; returns its id."""
    first, second = scenario.parties
    made = ops.call(
        first,
        "POST",
        "/api/v1/channels",
        json={"name": name, "parties": [second], "languages": scenario.languages},
    )
    cid = str(made["id"])
    _wait(
        lambda: any(c["id"] == cid for c in ops.call(second, "GET", "/api/v1/channels")),
        timeout_s,
        f"{second} to receive the channel proposal",
    )
    ops.call(second, "POST", f"/api/v1/channels/{cid}/accept")
    _wait(
        lambda: ops.call(first, "GET", f"/api/v1/channels/{cid}")["opened"],
        timeout_s,
        "the channel to open",
    )
    return cid


def _wait(condition: Callable[[], Any], timeout_s: float, what: str) -> None:
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise SiteError(f"timed out waiting for {what}")
        time.sleep(0.1)


@dataclass
class Player:
    scenario: Scenario
    ops: Operators
    channel: str
    speed: float = 1.0
    say: Callable[[str], None] = print
    start_wall_s: float = field(default_factory=time.time)
    done: int = 0  # steps taken

    @property
    def epoch_s(self) -> float:
        """Scenario time 0 on the stamped clock (see the module docstring)."""
        return self.start_wall_s - self.scenario.duration_s * (1 - 1 / self.speed)

    def stamp(self, t_s: float) -> str:
        return datetime.fromtimestamp(self.epoch_s + t_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def play(self) -> None:
        """Tick through the scenario: feed tracks, then take the steps that are due."""
        t_s = 0.0
        while t_s <= self.scenario.duration_s:
            delay = self.start_wall_s + t_s / self.speed - time.time()
            if delay > 0:
                time.sleep(delay)
            self.feed(t_s)
            while self.done < len(self.scenario.steps):
                step = self.scenario.steps[self.done]
                if step.at_s > t_s or not self.take(step, t_s):
                    break
                self.done += 1
            t_s += self.scenario.feed_interval_s
        if self.done < len(self.scenario.steps):
            left = self.scenario.steps[self.done]
            self.say(f"scenario ended before step {self.done + 1} ({left.do} by {left.party})")

    def feed(self, t_s: float) -> None:
        for party in self.scenario.parties:
            states = [
                s
                for track in self.scenario.tracks
                if party in track.feeds and (s := track.state_at(t_s, self.epoch_s)) is not None
            ]
            if states:
                body = [_state_json(s) for s in states]
                self.ops.call(party, "POST", "/api/v1/tracks", json=body)

    def take(self, step: Step, t_s: float) -> bool:
        """Take ``step``; False when what it needs isn't there yet (retried next tick)."""
        base = f"/api/v1/channels/{self.channel}/messages"
        if step.do == "send":
            assert step.body is not None
            body = self._fill(step.body, step.party)
            if body is None:
                return False
            sent = self.ops.call(
                step.party,
                "POST",
                base,
                step.operator,
                json={"body": body, "prec": step.prec, "mark": self.scenario.mark},
            )
            self._said(t_s, step, f"{step.party}-{sent['seq']:04d}")
            return True
        if step.do == "alert":
            found = self.ops.call(step.party, "GET", "/api/v1/alerts", step.operator)
            approaches = [a["close_approach"] for a in found if a.get("close_approach")]
            if not approaches:
                return False
            alert = proximity_alert(approaches[0])
            sent = self.ops.call(
                step.party,
                "POST",
                base,
                step.operator,
                json={"body": alert, "prec": step.prec, "mark": self.scenario.mark},
            )
            self._said(t_s, step, f"{step.party}-{sent['seq']:04d}")
            return True
        if step.do == "incursion":
            found = self.ops.call(step.party, "GET", "/api/v1/alerts", step.operator)
            hits = [
                a["alert"]["text"]
                for a in found
                if a.get("incursion") and step.track in ("", a["incursion"]["track"]["id"])
            ]
            if not hits:
                return False
            self._said(t_s, step, hits[0])
            return True
        target = self._latest(step.party, step.type)
        if target is None:
            return False
        sender, seq = target
        if step.do == "ack":
            self.ops.call(step.party, "POST", f"{base}/{sender}/{seq}/ack", step.operator)
        else:
            self.ops.call(
                step.party,
                "POST",
                f"{base}/{sender}/{seq}/reply",
                step.operator,
                json={"body": step.text},
            )
        self._said(t_s, step, f"{sender}-{seq:04d}")
        return True

    def _said(self, t_s: float, step: Step, ref: str) -> None:
        self.say(f"[T+{t_s:4.0f}s] {step.say or step.do} ({ref})")

    def _latest(self, party: str, kind: str) -> tuple[str, int] | None:
        """The latest message of catalogue type ``kind`` that ``party`` received."""
        found = self.ops.call(party, "GET", f"/api/v1/channels/{self.channel}/messages")
        for m in reversed(found):
            if m["direction"] == "in" and _type_of(m.get("body")) == kind:
                return str(m["sender"]), int(m["seq"])
        return None

    def _fill(self, value: Any, party: str) -> Any:
        """``"T+SECONDS"`` becomes a UTC time, ``{"$ref": TYPE}`` a message reference; None
        when a reference has nothing to point at yet."""
        if isinstance(value, str) and value.startswith("T+"):
            return self.stamp(float(value[2:]))
        if isinstance(value, dict):
            if set(value) == {"$ref"}:
                target = self._latest(party, str(value["$ref"]))
                return None if target is None else {"party": target[0], "number": target[1]}
            filled = {k: self._fill(v, party) for k, v in value.items()}
            return None if any(v is None for v in filled.values()) else filled
        if isinstance(value, list):
            items = [self._fill(v, party) for v in value]
            return None if any(v is None for v in items) else items
        return value


def _type_of(body: object) -> str:
    if not isinstance(body, str):
        return ""
    try:
        decoded = json.loads(body)
    except ValueError:
        return ""
    return str(decoded.get("type", "")) if isinstance(decoded, dict) else ""


def _state_json(state: Any) -> JsonObject:
    return {
        "id": state.id,
        "party": state.party,
        "time_s": state.time_s,
        "lon": state.lon,
        "lat": state.lat,
        "alt_ft": state.alt_ft,
        "speed_kt": state.speed_kt,
        "course_deg": state.course_deg,
        "vrate_fpm": state.vrate_fpm,
        "domain": str(state.domain),
        "callsign": state.callsign,
    }


def proximity_alert(cpa: JsonObject) -> JsonObject:
    """A catalogue proximity_alert from the engine's close-approach evidence."""

    def asset(track: JsonObject) -> JsonObject:
        return {
            "identifier": track["id"],
            "kind": "AIRCRAFT" if track["domain"] == "air" else "SHIP",
            "party": track["party"],
            "source": "PARTY_FEED",
            "position": track["position"],
            "alt_ft": round(track["alt_ft"]),
            "ground_speed_kt": track["speed_kt"],
            "track_deg": track["course_deg"] % 360,
        }

    return {
        "type": "proximity_alert",
        "version": "1.0",
        "assets": [asset(cpa["a"]), asset(cpa["b"])],
        "computed_at": _z(cpa["computed_at"]),
        "cpa_time": _z(cpa["cpa_time"]),
        "cpa_distance_m": round(cpa["dcpa_m"], 1),
        "cpa_position": cpa["cpa_position"],
        "cpa_vertical_ft": round(abs(cpa["dalt_ft"]), 1),
    }


def _z(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
