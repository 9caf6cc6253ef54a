"""A language: its texts, and how it writes numbers, counted nouns and dates.

Russian and Ukrainian need the plural category of the number *as written*: 1 морская миля,
2 морские мили, 5 морских миль, 2,5 морской мили (fractions take the genitive singular).
Renderings are built so that counted nouns only ever follow a label, in the nominative, and
dates only ever appear as "day month-in-genitive year", so these rules are all the grammar needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal

__all__ = ["Language", "PluralCategory", "plural_east_slavic", "plural_english"]

PluralCategory = Literal["one", "few", "many", "other"]
_FORM_INDEX: dict[PluralCategory, int] = {"one": 0, "few": 1, "many": 2, "other": 3}


def plural_english(written: str) -> PluralCategory:
    """English: "1 foot", "2 feet", "1.0 feet"."""
    return "one" if written == "1" else "other"


def plural_east_slavic(written: str) -> PluralCategory:
    """Russian and Ukrainian (CLDR): one/few/many for whole numbers, other for fractions."""
    digits = written.replace("\u00a0", "").replace(" ", "").replace(",", ".").lstrip("-−")
    if "." in digits:
        return "other"
    n = int(digits)
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


@dataclass(frozen=True)
class Language:
    """How one language writes the catalogue's texts, numbers, counted nouns and dates."""

    code: str
    texts: Mapping[str, str]
    decimal_sep: str
    group_sep: str
    group_min: int  # the smallest whole number written with group separators
    plural: Callable[[str], PluralCategory]

    def t(self, key: str, **values: object) -> str:
        """The text for ``key`` with ``{placeholders}`` filled in."""
        try:
            template = self.texts[key]
        except KeyError:
            raise LookupError(f"language {self.code!r} has no text {key!r}") from None
        return template.format(**values) if values else template

    def num(self, value: float, decimals: int = 0, *, trim: bool = False) -> str:
        """A number as this language writes it: 35,000 / 35 000; 46.3 / 46,3."""
        quantum = Decimal(1).scaleb(-decimals)
        d = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_EVEN)
        if d == 0:
            d = abs(d)  # never write "-0"
        text = f"{d:f}"
        sign = "-" if text.startswith("-") else ""
        whole, _, frac = text.lstrip("-").partition(".")
        if trim:
            frac = frac.rstrip("0")
        if int(whole) >= self.group_min:
            whole = re.sub(r"(\d)(?=(\d{3})+$)", rf"\1{self.group_sep}", whole)
        return sign + whole + (self.decimal_sep + frac if frac else "")

    def count(self, value: float, unit_key: str, decimals: int = 0, *, trim: bool = True) -> str:
        """A number with its unit in the right form: "25 морских миль", "2,5 фута", "1 ft"."""
        written = self.num(value, decimals, trim=trim)
        forms = self.t(unit_key).split("|")
        if len(forms) == 1:
            return f"{written} {forms[0]}"
        category = self.plural(written)
        if len(forms) == 2:  # English: singular|plural
            return f"{written} {forms[0] if category == 'one' else forms[1]}"
        return f"{written} {forms[_FORM_INDEX[category]]}"

    def date(self, when: datetime) -> str:
        """26 November 2026 / 26 ноября 2026 г. / 26 листопада 2026 р."""
        return self.t("date", day=when.day, month=self.t(f"month.{when.month}"), year=when.year)

    def when(self, when: datetime) -> str:
        """Date and time of day in UTC, as a reader of this language writes it."""
        clock = when.strftime("%H:%M" if when.second == 0 else "%H:%M:%S")
        return self.t("datetime", date=self.date(when), time=clock)
