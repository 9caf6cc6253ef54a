"""The header facts a rendering needs that the body does not carry; the node fills them from the
envelope. Also the military date-time group (DTG)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Final

from pydantic import Field

from hotline.catalogue.fields import MessageRef, PartyId, Record, UtcTime
from hotline.protocol.types import Marking, Precedence

__all__ = ["RenderContext", "dtg"]

_MONTHS: Final = (
    "JAN",
    "FEB",
    "MAR",
    "APR",
    "MAY",
    "JUN",
    "JUL",
    "AUG",
    "SEP",
    "OCT",
    "NOV",
    "DEC",
)


def dtg(when: datetime) -> str:
    """Date-time group in UTC: day, hour, minute, Z, month, year: ``251430ZNOV26``."""
    t = when.astimezone(UTC)
    return f"{t.day:02d}{t.hour:02d}{t.minute:02d}Z{_MONTHS[t.month - 1]}{t.year % 100:02d}"


class RenderContext(Record):
    """Envelope facts shown in a rendering: precedence, marking, sender and recipients,
    the sender's message number, the release time and references."""

    precedence: Precedence
    marking: Marking
    sender: PartyId | None = Field(default=None, description="Absent for a draft")
    recipients: Annotated[tuple[PartyId, ...], Field(max_length=50)] = Field(
        default=(), description="Empty for a draft"
    )
    number: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="The sender's message number; absent for a draft"
    )
    released: UtcTime | None = Field(default=None, description="Absent for a draft")
    references: tuple[MessageRef, ...] = ()

    @property
    def message_id(self) -> str | None:
        """``US-0042``: sender and number, the way messages refer to each other."""
        if self.number is None or self.sender is None:
            return None
        return str(MessageRef(party=self.sender, number=self.number))
