"""The scenario file format (docs/demo.md): tracks as timed waypoints, and steps that
operators take, each at a scenario time in seconds from the start.

Strings of the form ``"T+SECONDS"`` in notification bodies become UTC times (ISO 8601) on the
scenario's clock, so one file plays at any date and speed. A ``{"$ref": "TYPE"}`` object
becomes a reference to the latest message of that catalogue type in the channel.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hotline.engine import Domain, TrackState
from hotline.errors import HotlineError

__all__ = [
    "BUILT_IN",
    "Operator",
    "Scenario",
    "ScenarioError",
    "ScenarioTrack",
    "Step",
    "Waypoint",
    "load_scenario",
]

BUILT_IN = "black_sea_intercept.json"

_NM_PER_DEG_LAT = 60.0


class ScenarioError(HotlineError):
    """A scenario file that can't be played; says which file and what is wrong."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Waypoint(_Record):
    t_s: Annotated[float, Field(ge=0)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    lat: Annotated[float, Field(ge=-89, le=89)]
    alt_ft: float = 0.0


class ScenarioTrack(_Record):
    """An asset flown along straight legs between waypoints, reported to ``feeds`` (parties
    whose nodes receive its states) every ``Scenario.feed_interval_s``."""

    id: Annotated[str, Field(min_length=1, max_length=64)]
    party: Annotated[str, Field(min_length=1, max_length=32)]
    callsign: str = ""
    domain: Domain = Domain.AIR
    feeds: Annotated[list[str], Field(min_length=1)]
    waypoints: Annotated[list[Waypoint], Field(min_length=2)]

    @model_validator(mode="after")
    def _ordered(self) -> ScenarioTrack:
        times = [w.t_s for w in self.waypoints]
        if any(b <= a for a, b in pairwise(times)):
            raise ValueError(f"track {self.id}: waypoint times must increase")
        return self

    def state_at(self, t_s: float, epoch_s: float) -> TrackState | None:
        """The state at scenario time ``t_s`` (None outside its waypoints), timed on a clock
        whose scenario time 0 is ``epoch_s``."""
        points = self.waypoints
        if not points[0].t_s <= t_s <= points[-1].t_s:
            return None
        a, b = next((a, b) for a, b in pairwise(points) if t_s <= b.t_s)
        f = (t_s - a.t_s) / (b.t_s - a.t_s)
        east_nm = (b.lon - a.lon) * _NM_PER_DEG_LAT * math.cos(math.radians((a.lat + b.lat) / 2))
        north_nm = (b.lat - a.lat) * _NM_PER_DEG_LAT
        leg_h = (b.t_s - a.t_s) / 3600
        return TrackState(
            id=self.id,
            party=self.party,
            time_s=epoch_s + t_s,
            lon=a.lon + f * (b.lon - a.lon),
            lat=a.lat + f * (b.lat - a.lat),
            alt_ft=a.alt_ft + f * (b.alt_ft - a.alt_ft),
            speed_kt=math.hypot(east_nm, north_nm) / leg_h,
            course_deg=math.degrees(math.atan2(east_nm, north_nm)) % 360,
            vrate_fpm=(b.alt_ft - a.alt_ft) / (leg_h * 60),
            domain=self.domain,
            callsign=self.callsign,
            source="scenario",
        )


class Step(_Record):
    """One operator action at ``at_s`` (or later, when it has to wait for something).

    - ``send``: ``party`` sends ``body`` (a catalogue notification) at ``prec``.
    - ``alert``: ``party`` waits for its engine's proximity alert and sends it as a
      proximity_alert notification at ``prec`` (FLASH by default).
    - ``ack``: ``party``'s operator ``operator`` acknowledges the latest message of type
      ``type`` received.
    - ``reply``: ``party``'s operator answers the latest message of type ``type`` with ``text``.
    - ``incursion``: ``party`` waits for its engine's incursion alert (of track ``track``, if
      given) into a notified volume, and the demo prints what the alert says.
    """

    at_s: Annotated[float, Field(ge=0)]
    do: Literal["send", "alert", "ack", "reply", "incursion"]
    party: str
    operator: str = "officer"
    prec: Literal["FLASH", "IMMEDIATE", "PRIORITY", "ROUTINE"] = "FLASH"
    body: dict[str, Any] | None = None
    type: str = ""
    text: str = ""
    track: str = Field(default="", description="incursion: the id of the track to wait for")
    say: str = Field(default="", description="What the demo prints when the step runs")

    @model_validator(mode="after")
    def _complete(self) -> Step:
        if self.do == "send" and self.body is None:
            raise ValueError("a send step needs a body")
        if self.do in ("ack", "reply") and not self.type:
            raise ValueError(f"an {self.do} step needs the type of the message it answers")
        if self.do == "reply" and not self.text:
            raise ValueError("a reply step needs a text")
        return self


class Operator(_Record):
    """A watch officer the demo creates (its password is generated and printed)."""

    party: str
    name: Annotated[str, Field(min_length=1, max_length=64)]
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] = "en"


class Scenario(_Record):
    title: str
    synthetic: bool = Field(description="True when the geometry is invented, not recorded")
    parties: Annotated[list[str], Field(min_length=2, max_length=2)]
    languages: list[str] = ["en"]
    mark: Literal["EXERCISE", "TEST"] = "EXERCISE"
    feed_interval_s: Annotated[float, Field(gt=0)] = 5.0
    duration_s: Annotated[float, Field(gt=0)]
    operators: list[Operator] = []
    tracks: list[ScenarioTrack]
    steps: list[Step]

    @model_validator(mode="after")
    def _known_parties(self) -> Scenario:
        named = (
            {s.party for s in self.steps}
            | {f for t in self.tracks for f in t.feeds}
            | {o.party for o in self.operators}
        )
        unknown = named - set(self.parties)
        if unknown:
            raise ValueError(f"parties {sorted(unknown)} are not in parties {self.parties}")
        return self


def load_scenario(path: Path | None = None) -> Scenario:
    """The scenario in ``path``, or the built-in one."""
    if path is None:
        text = resources.files("hotline.demo").joinpath(f"scenarios/{BUILT_IN}").read_text()
        where = f"built-in scenario {BUILT_IN}"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(f"can't read scenario {path}: {exc}") from exc
        where = str(path)
    try:
        return Scenario.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"{where} is not JSON: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ScenarioError(
            f"{where}: {at}: {first['msg']} (see docs/demo.md for the format)"
        ) from exc
