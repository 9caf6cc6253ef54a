"""Errors of the catalogue, all under :class:`hotline.errors.CatalogueError`.

    CatalogueError
     +-- InvalidNotificationError       a body or structure does not validate; carries ``issues``
     |    +-- MalformedBodyError        the bytes are not a JSON object at all (size, UTF-8, syntax)
     |    |    +-- BodyTooLargeError    over the size limit; refused before parsing
     |    +-- UnknownTypeError          ``type`` names no notification type of this catalogue
     |    +-- UnsupportedVersionError   a major version this reader does not understand
     +-- PrecedenceNotAllowedError      the envelope's precedence is not allowed for the type
     +-- ReleaseBlockedError            a lead-time or size rule of the charter blocks release
     +-- UnknownLanguageError           a rendering was asked in a language the catalogue lacks

Every issue names the field path (``impact_area.radius_nm``) and what is expected there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline.errors import CatalogueError

if TYPE_CHECKING:
    from hotline.catalogue.rules import Finding
    from hotline.protocol.types import Precedence

__all__ = [
    "BodyTooLargeError",
    "CatalogueError",
    "InvalidNotificationError",
    "Issue",
    "MalformedBodyError",
    "PrecedenceNotAllowedError",
    "ReleaseBlockedError",
    "UnknownLanguageError",
    "UnknownTypeError",
    "UnsupportedVersionError",
]


@dataclass(frozen=True)
class Issue:
    """One problem with one field: where it is and what is expected there."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidNotificationError(CatalogueError):
    """A notification does not validate; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues) or (Issue("", "invalid notification"),)
        first = str(self.issues[0])
        more = len(self.issues) - 1
        super().__init__(first if not more else f"{first} (and {more} more problems)")


class MalformedBodyError(InvalidNotificationError):
    """The bytes are not a notification body: too large, not UTF-8, not a JSON object."""

    def __init__(self, message: str) -> None:
        super().__init__([Issue("", message)])


class BodyTooLargeError(MalformedBodyError):
    """The body is over the size limit; it was refused before parsing."""

    def __init__(self, size_bytes: int, limit_bytes: int) -> None:
        self.size_bytes = size_bytes
        self.limit_bytes = limit_bytes
        super().__init__(
            f"body is {size_bytes} bytes, over the limit of {limit_bytes} bytes; "
            "split the content or shorten free text"
        )


class UnknownTypeError(InvalidNotificationError):
    """The ``type`` of a body names no type of this catalogue."""

    def __init__(self, type_name: str, known: Sequence[str]) -> None:
        self.type_name = type_name
        super().__init__(
            [Issue("type", f"unknown notification type {type_name!r}; known: {', '.join(known)}")]
        )


class UnsupportedVersionError(InvalidNotificationError):
    """A body's major version is one this reader does not understand."""

    def __init__(self, type_name: str, version: str, supported: str) -> None:
        self.type_name = type_name
        self.version = version
        self.supported = supported
        super().__init__(
            [
                Issue(
                    "version",
                    f"{type_name} version {version} is not understood by this reader, which "
                    f"reads {supported}; a new major version is a breaking change: the sender "
                    "must also send the old version, or both sides must upgrade hotline",
                )
            ]
        )


class PrecedenceNotAllowedError(CatalogueError):
    """The precedence given in the envelope is not allowed for this notification type."""

    def __init__(
        self, type_name: str, precedence: Precedence, allowed: Sequence[Precedence]
    ) -> None:
        self.type_name = type_name
        self.precedence = precedence
        self.allowed = tuple(allowed)
        names = ", ".join(p.value for p in allowed)
        super().__init__(
            f"precedence: {precedence.value} is not allowed for {type_name}; use one of {names}"
        )


class ReleaseBlockedError(CatalogueError):
    """A lead-time or size rule says this notification must not be released as it is."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        first = str(self.findings[0]) if self.findings else "blocked"
        more = len(self.findings) - 1
        super().__init__(first if not more else f"{first} (and {more} more)")


class UnknownLanguageError(CatalogueError):
    """A rendering was asked in a language the catalogue does not have."""

    def __init__(self, lang: str, known: Sequence[str]) -> None:
        self.lang = lang
        super().__init__(f"language {lang!r} is not available; use one of {', '.join(known)}")
