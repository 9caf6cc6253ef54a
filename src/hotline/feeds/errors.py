"""Errors of the track feeds.

FeedError (hotline.errors)
 +-- FeedLineError       one line (or record, or XML event) of a feed cannot be decoded
 +-- FeedFormatError     a whole file cannot be read as the format asked for
 +-- PartyRulesError     the party rules file is malformed
"""

from __future__ import annotations

from hotline.errors import FeedError


class FeedLineError(FeedError):
    """One line of a feed cannot be decoded; ``line`` is 1-based, ``source`` names the feed."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        self.source = source
        self.line = line
        self.reason = reason
        super().__init__(f"{source} line {line}: {reason}")


class FeedFormatError(FeedError):
    """A file cannot be read as a track feed at all (unknown format, unreadable)."""


class PartyRulesError(FeedError):
    """The party rules file is malformed; the message names the rule and what to fix."""
