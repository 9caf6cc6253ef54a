"""Small shared vocabulary of the channel protocol: precedence and marking."""

from __future__ import annotations

from enum import StrEnum


class Precedence(StrEnum):
    """How urgent a message is; sets its acknowledgement window. Highest first."""

    FLASH = "FLASH"
    IMMEDIATE = "IMMEDIATE"
    PRIORITY = "PRIORITY"
    ROUTINE = "ROUTINE"


# Seconds an operator has to acknowledge, unless the channel charter says otherwise.
DEFAULT_ACK_WINDOW_S: dict[Precedence, int] = {
    Precedence.FLASH: 10 * 60,
    Precedence.IMMEDIATE: 30 * 60,
    Precedence.PRIORITY: 3 * 3600,
    Precedence.ROUTINE: 6 * 3600,
}


class Marking(StrEnum):
    """Whether traffic is real. TEST and EXERCISE traffic can never be shown as real."""

    REAL = "REAL"
    EXERCISE = "EXERCISE"
    TEST = "TEST"
