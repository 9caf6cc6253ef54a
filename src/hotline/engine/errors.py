"""Errors of the engine: tracks or volumes that cannot be screened.

EngineInputError (hotline.errors)
 +-- TrackInputError      a track state or column is malformed
 +-- VolumeFormatError    a volume is not the GeoJSON Feature of docs/decisions.md §2
"""

from __future__ import annotations

from hotline.errors import EngineInputError


class TrackInputError(EngineInputError):
    """A track state or column cannot be used (non-finite value, out of range, wrong shape)."""


class VolumeFormatError(EngineInputError):
    """A volume is not a valid GeoJSON Feature of the shape in docs/decisions.md section 2.

    ``feature`` names the feature (its ``properties.id`` if it has one, else its position in
    the file); ``field`` is the path of the offending member, e.g. ``properties.radius_m``.
    """

    def __init__(self, feature: str, field: str, reason: str) -> None:
        self.feature = feature
        self.field = field
        self.reason = reason
        super().__init__(f"volume {feature}: {field}: {reason}")
