"""Positions written for people: decimal degrees, degrees-minutes-seconds and MGRS.

All three come from the same [lon, lat]; people read latitude first, so the texts do too, each
with its hemisphere written out in the reader's language (N / с. ш. / пн. ш.), which makes the
order unambiguous. MGRS uses the ``mgrs`` package (GeoTrans), which truncates rather than
rounds, as the MGRS standard requires; it is checked against pyproj's UTM in the tests.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import mgrs

from hotline.catalogue.i18n.language import Language

__all__ = ["format_dd", "format_dms", "format_mgrs", "format_position"]

_MGRS_RE: Final = re.compile(r"^(\d{1,2}[C-X]|[ABYZ])([A-Z]{2})(\d{5})(\d{5})$")
_converter = mgrs.MGRS()


@lru_cache(maxsize=4096)
def format_mgrs(lon: float, lat: float) -> str:
    """MGRS to 1 m, grouped for reading aloud: ``36T UQ 81571 72936`` (UPS: ``Z AH ...``)."""
    raw = _converter.toMGRS(lat, lon, MGRSPrecision=5)
    text = raw.decode() if isinstance(raw, bytes) else str(raw)
    match = _MGRS_RE.fullmatch(text)
    if match is None:  # pragma: no cover - the library's documented output format
        raise ValueError(f"unexpected MGRS output {text!r} for [{lon}, {lat}]")
    return " ".join(match.groups())


def _hemisphere(value: float, positive: str, negative: str, lang: Language) -> str:
    return lang.t(f"hemi.{positive if value >= 0 else negative}")


def format_dd(lon: float, lat: float, lang: Language) -> str:
    """44.90000° N 31.50000° E / 44,90000° с. ш. 31,50000° в. д. (5 decimals, about 1 m)."""
    lat_text = f"{lang.num(abs(lat), 5)}° {_hemisphere(lat, 'N', 'S', lang)}"
    lon_text = f"{lang.num(abs(lon), 5)}° {_hemisphere(lon, 'E', 'W', lang)}"
    return f"{lat_text} {lon_text}"


def _dms(value: float, lang: Language) -> str:
    tenths = round(abs(value) * 36000)  # tenths of an arc-second, so 59.96″ carries correctly
    degrees, rest = divmod(tenths, 36000)
    minutes, sec_tenths = divmod(rest, 600)
    seconds = lang.num(sec_tenths / 10, 1)
    if sec_tenths < 100:
        seconds = "0" + seconds
    return f"{degrees}°{minutes:02d}′{seconds}″"


def format_dms(lon: float, lat: float, lang: Language) -> str:
    """44°54′00.0″ N 31°30′00.0″ E / 44°54′00,0″ с. ш. 31°30′00,0″ в. д."""
    lat_text = f"{_dms(lat, lang)} {_hemisphere(lat, 'N', 'S', lang)}"
    lon_text = f"{_dms(lon, lang)} {_hemisphere(lon, 'E', 'W', lang)}"
    return f"{lat_text} {lon_text}"


def format_position(position: tuple[float, float], lang: Language) -> str:
    """All three forms on one line, separated by ``|``."""
    lon, lat = position
    return (
        f"{format_dd(lon, lat, lang)} | {format_dms(lon, lat, lang)} | MGRS {format_mgrs(lon, lat)}"
    )
