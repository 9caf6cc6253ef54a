"""A comparable picture of a Channel's whole state, for "nothing changed" assertions.

`snapshot(channel)` walks every attribute (slots and dicts alike) into plain values, skipping
only what never changes after construction (keys, charter, tuning), so a test can assert that a
refused envelope left the machine exactly as it was.
"""

from __future__ import annotations

from collections import deque
from enum import Enum

from hotline.protocol.envelope import Envelope

_SKIP = frozenset({"config", "tuning", "charter", "_directory", "_key_id", "max_held", "party"})


def snapshot(obj: object) -> object:
    """Plain, comparable values for ``obj`` and everything it holds."""
    if obj is None or isinstance(obj, bool | int | float | str | bytes | Enum):
        return obj
    if isinstance(obj, Envelope):
        return ("Envelope", obj.raw)
    if isinstance(obj, dict):
        return {k: snapshot(v) for k, v in obj.items()}  # keys are plain values already
    if isinstance(obj, list | tuple | deque):
        return tuple(snapshot(v) for v in obj)
    if isinstance(obj, set | frozenset):
        return tuple(sorted(obj))
    names: list[str] = []
    for cls in type(obj).__mro__:
        names += [n for n in getattr(cls, "__slots__", ()) if n not in names]
    names += [n for n in getattr(obj, "__dict__", {}) if n not in names]
    fields = {n: snapshot(getattr(obj, n)) for n in names if n not in _SKIP and hasattr(obj, n)}
    return (type(obj).__name__, fields)


__all__ = ["snapshot"]
