"""Track states: one reported state (:class:`TrackState`, in the units feeds use) and many
states as columns (:class:`TrackColumns`, SI units, what the engine screens).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from operator import attrgetter

import numpy as np
from numpy.typing import NDArray

from hotline.engine.errors import TrackInputError
from hotline.engine.geodesy import FloatArray
from hotline.engine.kinematics import Kinematics
from hotline.engine.units import METRES_PER_FOOT, MS_PER_FPM, MS_PER_KNOT

ObjectArray = NDArray[np.object_]


class Domain(StrEnum):
    """Where a track moves; it selects the separation minima (aircraft or ships)."""

    AIR = "air"
    SEA = "sea"


UNKNOWN_PARTY = "unknown"
"""The party of a track no rule could assign: screened against every party, itself included."""

_DOMAIN_CODES = {Domain.AIR: 0, Domain.SEA: 1}
DOMAINS = (Domain.AIR, Domain.SEA)


@dataclass(frozen=True, slots=True)
class TrackState:
    """One reported state of a moving asset, in the units feeds and operators use.

    ``time_s`` is seconds since 1970-01-01 UTC. ``course_deg`` is the direction of motion over
    the ground, clockwise from true north. Altitude is above mean sea level (ships: 0).
    """

    id: str
    party: str
    time_s: float
    lon: float
    lat: float
    alt_ft: float = 0.0
    speed_kt: float = 0.0
    course_deg: float = 0.0
    vrate_fpm: float = 0.0
    domain: Domain = Domain.AIR
    callsign: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raise TrackInputError("a track state needs a non-empty id")
        for name in ("time_s", "lon", "lat", "alt_ft", "speed_kt", "course_deg", "vrate_fpm"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value):
                raise TrackInputError(
                    f"track {self.id!r}: {name} must be a finite number, not {value!r}"
                )
        if not -180.0 <= self.lon <= 180.0:
            raise TrackInputError(f"track {self.id!r}: lon {self.lon} is outside -180..180")
        if not -90.0 <= self.lat <= 90.0:
            raise TrackInputError(f"track {self.id!r}: lat {self.lat} is outside -90..90")
        if self.speed_kt < 0:
            raise TrackInputError(f"track {self.id!r}: speed_kt {self.speed_kt} is negative")

    @property
    def time(self) -> datetime:
        return datetime.fromtimestamp(self.time_s, tz=UTC)


@dataclass(frozen=True, slots=True)
class TrackColumns:
    """Many track states as parallel arrays, in SI units (the engine's input).

    Rows need not be valid: rows with NaN or out-of-range values are simply not screened.
    """

    ids: ObjectArray  # str
    parties: ObjectArray  # str
    time_s: FloatArray
    lon: FloatArray
    lat: FloatArray
    alt_m: FloatArray
    speed_ms: FloatArray
    course_deg: FloatArray
    vrate_ms: FloatArray
    domain: NDArray[np.int8]  # index into DOMAINS

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def __post_init__(self) -> None:
        n = self.ids.shape[0]
        for name in (
            "parties",
            "time_s",
            "lon",
            "lat",
            "alt_m",
            "speed_ms",
            "course_deg",
            "vrate_ms",
            "domain",
        ):
            if getattr(self, name).shape != (n,):
                raise TrackInputError(
                    f"column {name} has shape {getattr(self, name).shape}, not ({n},)"
                )

    @classmethod
    def from_arrays(
        cls,
        ids: Sequence[str] | ObjectArray,
        parties: Sequence[str] | ObjectArray,
        time_s: FloatArray | Sequence[float],
        lon: FloatArray | Sequence[float],
        lat: FloatArray | Sequence[float],
        alt_m: FloatArray | Sequence[float],
        speed_ms: FloatArray | Sequence[float],
        course_deg: FloatArray | Sequence[float],
        vrate_ms: FloatArray | Sequence[float],
        domain: NDArray[np.int8] | Sequence[int] | None = None,
    ) -> TrackColumns:
        n = len(ids)
        return cls(
            ids=np.asarray(ids, dtype=object),
            parties=np.asarray(parties, dtype=object),
            time_s=np.asarray(time_s, dtype=np.float64),
            lon=np.asarray(lon, dtype=np.float64),
            lat=np.asarray(lat, dtype=np.float64),
            alt_m=np.asarray(alt_m, dtype=np.float64),
            speed_ms=np.asarray(speed_ms, dtype=np.float64),
            course_deg=np.asarray(course_deg, dtype=np.float64),
            vrate_ms=np.asarray(vrate_ms, dtype=np.float64),
            domain=np.zeros(n, dtype=np.int8)
            if domain is None
            else np.asarray(domain, dtype=np.int8),
        )

    @classmethod
    def from_states(cls, states: Sequence[TrackState]) -> TrackColumns:
        """Columns from states (unit conversion happens here).

        One C-level pass per column (``map`` with ``attrgetter`` into ``np.fromiter``): at
        10^5 states a node pushes every second, about twice as fast as list comprehensions."""
        n = len(states)

        def floats(name: str) -> FloatArray:
            return np.fromiter(map(attrgetter(name), states), dtype=np.float64, count=n)

        def objects(name: str) -> ObjectArray:
            column = np.empty(n, dtype=object)
            column[:] = list(map(attrgetter(name), states))
            return column

        domains = map(_DOMAIN_CODES.__getitem__, map(attrgetter("domain"), states))
        return cls(
            ids=objects("id"),
            parties=objects("party"),
            time_s=floats("time_s"),
            lon=floats("lon"),
            lat=floats("lat"),
            alt_m=floats("alt_ft") * METRES_PER_FOOT,
            speed_ms=floats("speed_kt") * MS_PER_KNOT,
            course_deg=floats("course_deg"),
            vrate_ms=floats("vrate_fpm") * MS_PER_FPM,
            domain=np.fromiter(domains, dtype=np.int8, count=n),
        )

    def state(self, row: int) -> TrackState:
        """Row ``row`` as a :class:`TrackState` (back in feet, knots and feet per minute)."""
        return TrackState(
            id=str(self.ids[row]),
            party=str(self.parties[row]),
            time_s=float(self.time_s[row]),
            lon=float(self.lon[row]),
            lat=float(self.lat[row]),
            alt_ft=float(self.alt_m[row]) / METRES_PER_FOOT,
            speed_kt=float(self.speed_ms[row]) / MS_PER_KNOT,
            course_deg=float(self.course_deg[row]),
            vrate_fpm=float(self.vrate_ms[row]) / MS_PER_FPM,
            domain=DOMAINS[int(self.domain[row])],
        )

    def take(self, rows: NDArray[np.int64]) -> TrackColumns:
        return TrackColumns(
            ids=self.ids[rows],
            parties=self.parties[rows],
            time_s=self.time_s[rows],
            lon=self.lon[rows],
            lat=self.lat[rows],
            alt_m=self.alt_m[rows],
            speed_ms=self.speed_ms[rows],
            course_deg=self.course_deg[rows],
            vrate_ms=self.vrate_ms[rows],
            domain=self.domain[rows],
        )

    def kinematics(self, now_s: float) -> Kinematics:
        """Straight-line motion of every valid row, dead-reckoned from its state time to
        ``now_s``. States from the future (clock skew) are moved back the same way."""
        return Kinematics.from_columns(
            self.lon,
            self.lat,
            self.alt_m,
            self.speed_ms,
            self.course_deg,
            self.vrate_ms,
            age_s=now_s - self.time_s,
        )

    def party_codes(self) -> NDArray[np.int64]:
        """An integer code per row: equal codes mean the same party. Each track of the unknown
        party gets a code of its own (it may belong to anyone)."""
        names = self.parties.astype(str)
        _, codes = np.unique(names, return_inverse=True)
        codes = codes.astype(np.int64)
        unknown = np.flatnonzero(names == UNKNOWN_PARTY)
        codes[unknown] = -1 - np.arange(unknown.shape[0], dtype=np.int64)
        return codes
