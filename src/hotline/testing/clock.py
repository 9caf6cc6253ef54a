"""A fake clock in ms: it moves only when told, and jumps straight to the next deadline."""

from __future__ import annotations

from hotline.testing.parties import T0_MS


class FakeClock:
    __slots__ = ("now_ms",)

    def __init__(self, start_ms: int = T0_MS) -> None:
        self.now_ms = start_ms

    def advance(self, ms: int) -> int:
        if ms < 0:
            raise ValueError(f"time does not run backwards ({ms} ms)")
        self.now_ms += ms
        return self.now_ms

    def jump_to(self, t_ms: int) -> int:
        """Move to ``t_ms`` if it is later (deadlines in the past are simply due now)."""
        self.now_ms = max(self.now_ms, t_ms)
        return self.now_ms


__all__ = ["FakeClock"]
