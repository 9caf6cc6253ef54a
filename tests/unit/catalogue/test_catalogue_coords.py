"""Positions for people: decimal degrees, DMS and MGRS, checked against reference points."""

from __future__ import annotations

import pytest

from hotline.catalogue.coords import format_dd, format_dms, format_mgrs, format_position
from hotline.catalogue.i18n import language

EN, RU, UK = language("en"), language("ru"), language("uk")


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (-93.0, 42.0, "15T WG 00000 49776"),  # the mgrs package's documented example
        (0.0, 0.0, "31N AA 66021 00000"),  # equator on the central meridian of zone 31
        (5.015308, 61.296661, "32V KP 86590 02344"),  # SW Norway: zone 32V is widened
        (9.0, 72.0, "33X TV 93363 99233"),  # Svalbard: zones 32X, 34X, 36X do not exist
        (10.0, 89.5, "Z AG 09639 45331"),  # north polar: UPS, no zone number
        (-48.9306, -89.3454, "A ZN 45207 47746"),  # south polar (NGA: AZN 45208 47747, rounded)
        (180.0, 0.0, "01N AA 66021 00000"),  # zone 1, written with two digits as GeoTrans does
    ],
)
def test_mgrs_of_reference_points(lon: float, lat: float, expected: str) -> None:
    assert format_mgrs(lon, lat) == expected


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (31.5, 44.9, "44°54′00.0″ N 31°30′00.0″ E"),
        (-0.000001, -33.999999, "34°00′00.0″ S 0°00′00.0″ W"),  # 59.9996″ carries to the minute
        (151.2093, -33.8688, "33°52′07.7″ S 151°12′33.5″ E"),
        (-77.0352, 38.8895, "38°53′22.2″ N 77°02′06.7″ W"),
    ],
)
def test_dms_rounds_to_a_tenth_of_a_second_and_carries(
    lon: float, lat: float, expected: str
) -> None:
    assert format_dms(lon, lat, EN) == expected


def test_hemispheres_and_decimal_separators_per_language() -> None:
    assert format_dd(-77.0352, 38.8895, EN) == "38.88950° N 77.03520° W"
    assert format_dd(-77.0352, -38.8895, RU) == "38,88950° ю. ш. 77,03520° з. д."
    assert format_dd(30.5234, 50.4501, UK) == "50,45010° пн. ш. 30,52340° сх. д."
    assert format_dms(30.5234, 50.4501, UK) == "50°27′00,4″ пн. ш. 30°31′24,2″ сх. д."


def test_one_line_carries_all_three_forms() -> None:
    assert format_position((31.5, 44.9), EN) == (
        "44.90000° N 31.50000° E | 44°54′00.0″ N 31°30′00.0″ E | MGRS 36T UQ 81571 72936"
    )
