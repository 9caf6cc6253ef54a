"""What reading a feed gives: the track states decoded, and the lines that could not be."""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.engine.tracks import TrackState
from hotline.feeds.errors import FeedLineError


@dataclass
class FeedResult:
    """States in the order they were read, and one :class:`FeedLineError` per line that could
    not be used (a bad line never stops the rest of the feed from being read)."""

    source: str
    states: list[TrackState] = field(default_factory=list)
    problems: list[FeedLineError] = field(default_factory=list)
    lines: int = 0

    def problem(self, line: int, reason: str) -> None:
        self.problems.append(FeedLineError(self.source, line, reason))

    def raise_first_problem(self) -> None:
        """For strict callers: raise the first problem, if any."""
        if self.problems:
            raise self.problems[0]
