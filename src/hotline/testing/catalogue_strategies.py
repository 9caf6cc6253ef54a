"""Hypothesis strategies for catalogue structures: valid geometry, times and notifications."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from hotline.catalogue import (
    AltitudeBand,
    Circle,
    Corridor,
    FlightNotice,
    FreeText,
    HazardWarning,
    Level,
    MissileLaunch,
    NamedSeaArea,
    OriginalText,
    Point,
    Polygon,
    SeaArea,
    ShortMessage,
    TimeWindow,
)
from hotline.catalogue.notifications import AircraftGroup
from hotline.catalogue.phrasebook import PHRASEBOOK
from hotline.catalogue.vocabulary import FlightPurpose, HazardKind, MissileClass

lons = st.floats(-179.0, 179.0, allow_nan=False)
lats = st.floats(-80.0, 84.0, allow_nan=False)
positions = st.tuples(lons, lats)

times = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
).map(lambda t: t.replace(microsecond=0))


@st.composite
def windows(draw: st.DrawFn) -> TimeWindow:
    start = draw(times)
    length = draw(st.integers(60, 30 * 86400))
    return TimeWindow(start=start, end=start + timedelta(seconds=length))


@st.composite
def circles(draw: st.DrawFn) -> Circle:
    centre = draw(positions)
    radius = draw(st.floats(0.01, 2000.0, allow_nan=False))
    if draw(st.booleans()):
        return Circle(center=centre, radius_km=radius)
    return Circle(center=centre, radius_nm=radius)


@st.composite
def polygons(draw: st.DrawFn) -> Polygon:
    """Convex polygons around a centre: simple, closed, never across the antimeridian."""
    lon, lat = draw(st.tuples(st.floats(-170.0, 170.0), st.floats(-70.0, 70.0)))
    corners = draw(st.integers(3, 12))
    radius = draw(st.floats(0.01, 5.0))
    turn = draw(st.floats(0, 2 * math.pi))
    ring = [
        (
            round(lon + radius * math.cos(turn + 2 * math.pi * i / corners), 6),
            round(lat + radius * math.sin(turn + 2 * math.pi * i / corners), 6),
        )
        for i in range(corners)
    ]
    return Polygon(coordinates=((*ring, ring[0]),))


@st.composite
def corridors(draw: st.DrawFn) -> Corridor:
    points = draw(
        st.lists(
            st.tuples(st.floats(-60, 60), st.floats(-60, 60)), min_size=2, max_size=8, unique=True
        )
    )
    width = draw(st.floats(0.1, 100.0))
    if draw(st.booleans()):
        return Corridor(coordinates=tuple(points), half_width_km=width)
    return Corridor(coordinates=tuple(points), half_width_nm=width)


sea_areas = st.builds(NamedSeaArea, sea=st.sampled_from(SeaArea), boundary=st.none() | polygons())
areas = st.one_of(
    positions.map(lambda p: Point(coordinates=p)), circles(), polygons(), corridors(), sea_areas
)


@st.composite
def bands(draw: st.DrawFn) -> AltitudeBand:
    low = draw(st.integers(0, 400))
    high = draw(st.integers(low + 1, 600))
    kind = draw(st.sampled_from(["fl", "ft", "m", "open"]))
    if kind == "fl":
        return AltitudeBand(lower=Level(fl=low), upper=Level(fl=high))
    if kind == "ft":
        return AltitudeBand(lower=Level(ft_amsl=low * 100), upper=Level(ft_amsl=high * 100))
    if kind == "m":
        return AltitudeBand(lower=Level(m_amsl=low * 30), upper=Level(m_amsl=high * 30))
    return AltitudeBand(lower=Level(sfc=True), upper=Level(unl=True))


words = st.text(
    alphabet=st.characters(
        categories=["L", "N", "P", "Zs", "S"],
        include_characters="\n",
        exclude_characters="\u061c\u200e\u200f",
    ),
    min_size=1,
    max_size=200,
).filter(
    lambda t: (
        t.strip() and not any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in t)
    )
)
texts = st.builds(OriginalText, lang=st.sampled_from(["en", "ru", "uk", "ar", "fr-CA"]), text=words)


notifications = st.one_of(
    st.builds(
        MissileLaunch,
        missile_class=st.sampled_from(MissileClass),
        launch_count=st.integers(1, 1000),
        launch_window=windows(),
        launch_area=st.one_of(
            positions.map(lambda p: Point(coordinates=p)), circles(), polygons(), sea_areas
        ),
        impact_area=st.one_of(circles(), polygons()),
        remarks=st.none() | texts,
    ),
    st.builds(
        FlightNotice,
        purpose=st.sampled_from(FlightPurpose),
        area=st.one_of(corridors(), polygons(), circles(), sea_areas),
        altitude=bands(),
        window=windows(),
        aircraft=st.lists(
            st.builds(
                AircraftGroup,
                count=st.integers(1, 1000),
                type_designator=st.sampled_from(
                    ["RC-135W", "Su-30SM", "MQ-9A", "Ан-26", "KC-135R"]
                ),
                callsigns=st.lists(
                    st.from_regex(r"[A-Z0-9]{2,10}", fullmatch=True), max_size=3
                ).map(tuple),
            ),
            min_size=1,
            max_size=4,
        ).map(tuple),
        remarks=st.none() | texts,
    ),
    st.builds(
        HazardWarning,
        hazard=st.sampled_from(HazardKind),
        area=st.one_of(corridors(), polygons(), circles(), sea_areas),
        windows=windows().map(lambda w: (w,)),
        altitude=st.none() | bands(),
        remain_clear=st.booleans(),
        remarks=st.none() | texts,
    ),
    st.builds(FreeText, text=texts),
    st.sampled_from(sorted(PHRASEBOOK)).map(lambda k: ShortMessage(code_word=k[0], number=k[1])),
)
