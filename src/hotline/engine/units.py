"""Unit conversions between the units people use at the edges and SI inside the engine.

Inside the engine everything is metres, seconds and metres per second. Feet, knots, nautical
miles and feet per minute exist only where data comes in or goes out.
"""

from __future__ import annotations

from typing import Final

METRES_PER_FOOT: Final = 0.3048
METRES_PER_NM: Final = 1852.0
MS_PER_KNOT: Final = METRES_PER_NM / 3600.0
MS_PER_FPM: Final = METRES_PER_FOOT / 60.0
