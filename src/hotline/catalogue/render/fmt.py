"""Values written for people, in one language and one form (compact or readable).

Quantities carry both units where a reader could want either (NM and km, feet and metres);
the unit the author chose comes first. Values are always in the nominative after a label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from hotline.catalogue.coords import format_position
from hotline.catalogue.fields import MessageRef, OriginalText
from hotline.catalogue.geometry import (
    FEET_PER_METRE,
    METRES_PER_NM,
    AltitudeBand,
    Circle,
    Corridor,
    Level,
    NamedSeaArea,
    Point,
    Polygon,
    TimeWindow,
    Validity,
)
from hotline.catalogue.i18n import Language

__all__ = ["Fmt", "Item"]

INDENT = "    "


@dataclass
class Item:
    """One labelled entry of a rendering: a first line, continuation lines, and optionally a
    nested block (the notification inside an amendment)."""

    label: str
    lines: list[str]
    changed: bool = False
    children: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Fmt:
    lang: Language
    compact: bool

    # --- words ----------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return self.lang.t(key, **values)

    def label(self, name: str) -> str:
        return self.lang.t(f"field.{name}")

    def enum(self, value: Enum) -> str:
        return self.lang.t(f"{type(value).__name__}.{value.value}")

    def enums(self, values: tuple[Enum, ...]) -> str:
        return ", ".join(self.enum(v) for v in values) if values else self.t("hdr.none")

    def yes_no(self, value: bool) -> str:
        return self.t("yes" if value else "no")

    def num(self, value: float, decimals: int = 0) -> str:
        return self.lang.num(value, decimals, trim=True)

    def ref(self, ref: MessageRef) -> str:
        return f"{ref} (SHA-256 {ref.sha256[:16]}…)" if ref.sha256 else str(ref)

    def lang_name(self, code: str) -> str:
        base = code.split("-")[0]
        if base in ("en", "ru", "uk"):
            return self.t(f"lang.{base}.name")
        return self.t("lang.other.name", code=code)

    def original(self, text: OriginalText) -> list[str]:
        """Free text exactly as written, marked with its language and as not translated.

        Every line of it is quoted with ``|``, so that no line of a peer's text can pass for a
        line of the formatted message (a forged end marker, a forged item).
        """
        quoted = [f"| {line}".rstrip() for line in text.text.splitlines() or [""]]
        if self.compact:
            return [self.t("original.compact", lang=text.lang.upper()), *quoted]
        base = text.lang.split("-")[0]
        key = f"lang.{base}.in" if base in ("en", "ru", "uk") else "lang.other.in"
        return [self.t("original.readable", lang_in=self.t(key, code=text.lang)), *quoted]

    # --- times ----------------------------------------------------------------------------
    def time(self, when: datetime) -> str:
        if self.compact:
            return (
                when.strftime("%Y-%m-%d %H:%M" if when.second == 0 else "%Y-%m-%d %H:%M:%S")
                + " UTC"
            )
        return self.lang.when(when)

    def duration(self, delta: timedelta) -> str:
        seconds = int(delta.total_seconds())
        days, rest = divmod(seconds, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, secs = divmod(rest, 60)
        parts = []
        if days:
            parts.append(self.lang.count(days, "unit.day"))
        if hours:
            parts.append(f"{hours} {self.t('unit.h')}")
        if minutes:
            parts.append(f"{minutes} {self.t('unit.min')}")
        if secs or not parts:
            parts.append(f"{secs} {self.t('unit.s')}")
        return " ".join(parts)

    def window(self, w: TimeWindow) -> list[str]:
        if self.compact:
            return [f"{self.time(w.start)} – {self.time(w.end)} ({self.duration(w.duration)})"]
        return [
            "",
            *self._table(
                [
                    (self.t("time.start"), self.time(w.start)),
                    (self.t("time.end"), self.time(w.end)),
                    (self.t("time.duration"), self.duration(w.duration)),
                ]
            ),
        ]

    def validity(self, v: Validity) -> list[str]:
        end = self.time(v.end) if v.end else self.t("time.open_end")
        if self.compact:
            return [f"{self.time(v.start)} – {end}"]
        return [
            "",
            *self._table([(self.t("time.start"), self.time(v.start)), (self.t("time.end"), end)]),
        ]

    def _table(self, rows: list[tuple[str, str]]) -> list[str]:
        width = max(len(k) for k, _ in rows)
        return [f"{INDENT}{k.ljust(width)}  {v}" for k, v in rows]

    # --- distances and altitudes ----------------------------------------------------------
    def km_or_nm(self, km: float | None, nm: float | None) -> str:
        """The author's unit first, the other in brackets: 25 NM (46.3 km)."""
        if nm is not None:
            km_text = f"{self.num(nm * METRES_PER_NM / 1000, 1)} {self.t('unit.km')}"
            return f"{self.lang.count(nm, 'unit.nm', 3)} ({km_text})"
        assert km is not None
        return (
            f"{self.num(km, 3)} {self.t('unit.km')} "
            f"({self.lang.count(km * 1000 / METRES_PER_NM, 'unit.nm', 1)})"
        )

    def metres(self, metres: float) -> str:
        """926 m (0.5 NM); 12.4 km (6.7 NM)."""
        nm = self.lang.count(metres / METRES_PER_NM, "unit.nm", 2 if metres < 1000 else 1)
        if metres < 1000:
            return f"{self.num(metres)} {self.t('unit.m')} ({nm})"
        return f"{self.num(metres / 1000, 1)} {self.t('unit.km')} ({nm})"

    def feet(self, feet: float) -> str:
        """35,000 ft (10,668 m)."""
        metres = f"{self.lang.num(feet / FEET_PER_METRE)} {self.t('unit.m')}"
        return f"{self.lang.count(feet, 'unit.ft', 0)} ({metres})"

    def level(self, level: Level) -> str:
        if level.sfc:
            return "SFC" if self.compact else self.t("alt.sfc")
        if level.unl:
            return "UNL" if self.compact else self.t("alt.unl")
        if level.fl is not None:
            if self.compact:
                return f"FL{level.fl:03d}"
            return self.t(
                "alt.fl", fl=f"{level.fl:03d}", feet=self.lang.count(level.fl * 100, "unit.ft")
            )
        if level.ft_amsl is not None:
            return f"{self.feet(level.ft_amsl)} {self.t('alt.amsl')}"
        assert level.m_amsl is not None
        feet = self.lang.count(level.m_amsl * FEET_PER_METRE, "unit.ft")
        return f"{self.lang.num(level.m_amsl)} {self.t('unit.m')} ({feet}) {self.t('alt.amsl')}"

    def band(self, band: AltitudeBand) -> list[str]:
        if self.compact:
            return [f"{self.level(band.lower)} – {self.level(band.upper)}"]
        return [
            "",
            *self._table(
                [
                    (self.t("alt.lower"), self.level(band.lower)),
                    (self.t("alt.upper"), self.level(band.upper)),
                ]
            ),
        ]

    # --- geometry -------------------------------------------------------------------------
    def position(self, position: tuple[float, float]) -> str:
        return format_position(position, self.lang)

    def _corners(self, ring: tuple[tuple[float, float], ...]) -> list[str]:
        corners = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
        return [f"{INDENT}{i}) {self.position(p)}" for i, p in enumerate(corners, 1)]

    def area(self, area: Point | Polygon | Circle | Corridor | NamedSeaArea) -> list[str]:
        if isinstance(area, Point):
            return [self.t("geo.point"), f"{INDENT}{self.position(area.coordinates)}"]
        if isinstance(area, Circle):
            radius = self.km_or_nm(area.radius_km, area.radius_nm)
            head = (
                f"{self.t('geo.circle')}, {self.t('geo.radius')} {radius}, {self.t('geo.centre')}:"
            )
            return [head, f"{INDENT}{self.position(area.center)}"]
        if isinstance(area, Polygon):
            return self._polygon(area, self.t("geo.polygon"))
        if isinstance(area, Corridor):
            width = self.km_or_nm(area.half_width_km, area.half_width_nm)
            head = "; ".join(
                (
                    self.t("geo.corridor"),
                    f"{self.t('geo.half_width')} {width}",
                    self.t("geo.centre_line"),
                )
            )
            points = [f"{INDENT}{i}) {self.position(p)}" for i, p in enumerate(area.coordinates, 1)]
            return [head, *points]
        sea = self.t(f"sea.{area.sea.value}")
        if area.boundary is None:
            return [self.t("geo.sea_whole", sea=sea)]
        return self._polygon(area.boundary, self.t("geo.sea_part", sea=sea))

    def _polygon(self, polygon: Polygon, head: str) -> list[str]:
        lines = [head, *self._corners(polygon.outer)]
        for n, hole in enumerate(polygon.coordinates[1:], 1):
            lines += [f"{INDENT}{self.t('geo.hole', n=n)}", *self._corners(hole)]
        return lines
