"""Situation keys: a situation's kind and the ids that define it, as a JSON array, so that no
id, whatever characters it holds, can be confused with another. Alerts are stored and restored
by these keys: the text must never change."""

from __future__ import annotations

import json
import re
from enum import StrEnum


class AlertKind(StrEnum):
    CLOSE_APPROACH = "close_approach"
    INCURSION = "incursion"
    OVERLAP = "overlap"


# What JSON escapes in a string (with ensure_ascii=False): quotes, backslashes, control bytes.
_ESCAPED = re.compile(r'[\x00-\x1f"\\]')


_HEAD = '["' + AlertKind.INCURSION.value + '",'


def situation_key(kind: AlertKind, *names: str) -> str:
    """``json.dumps([kind, *names])``, compact, not ASCII-escaped; built directly when no name
    needs escaping (the common case, tens of thousands of times a pass)."""
    if not names or any(_ESCAPED.search(n) for n in names):
        return json.dumps([kind.value, *names], ensure_ascii=False, separators=(",", ":"))
    return '["' + kind.value + '","' + '","'.join(names) + '"]'


def pair_keys(kind: AlertKind, a_ids: list[str], b_ids: list[str]) -> list[str]:
    """``situation_key(kind, *sorted((a, b)))`` for each pair of ``a_ids[k]`` and ``b_ids[k]``;
    one scan of all the ids for characters that need escaping, then plain concatenation."""
    if _ESCAPED.search("".join(a_ids)) or _ESCAPED.search("".join(b_ids)):
        return [
            situation_key(kind, *((a, b) if a < b else (b, a)))
            for a, b in zip(a_ids, b_ids, strict=True)
        ]
    head = '["' + kind.value + '","'
    return [
        head + (a + '","' + b if a < b else b + '","' + a) + '"]'
        for a, b in zip(a_ids, b_ids, strict=True)
    ]


def incursion_keys(track_ids: list[str], volume_names: list[tuple[str, str]]) -> list[str]:
    """``situation_key(INCURSION, track, volume id, volume name)`` for each pair of
    ``track_ids[k]`` and ``volume_names[k]``, each volume's part written once."""
    tails: dict[tuple[str, str], str] = {}
    keys = []
    for track, names in zip(track_ids, volume_names, strict=True):
        tail = tails.get(names)
        if tail is None:
            tail = tails[names] = situation_key(AlertKind.INCURSION, "", *names)[len(_HEAD) + 2 :]
        if _ESCAPED.search(track):
            keys.append(situation_key(AlertKind.INCURSION, track, *names))
        else:
            keys.append(_HEAD + '"' + track + '"' + tail)
    return keys


def situation_of(key: str) -> tuple[AlertKind, list[str]]:
    kind, *names = json.loads(key)
    return AlertKind(kind), [str(n) for n in names]
