"""The live track table: the latest state of every track, updated in bulk.

:meth:`TrackTable.upsert` takes a batch of states as columns (thousands per call) and keeps,
per track id, the newest state: an older state arriving late never overwrites a newer one.
Storage is a set of numpy columns that grow by doubling, so an update of 10^5 tracks costs a
dictionary lookup per id and a few vectorised assignments.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

from hotline.engine.kinematics import IntArray
from hotline.engine.tracks import TrackColumns

_COLUMNS = (
    "time_s",
    "lon",
    "lat",
    "alt_m",
    "speed_ms",
    "course_deg",
    "vrate_ms",
)


class TrackTable:
    """Latest state per track id."""

    def __init__(self, capacity: int = 1024) -> None:
        self._index: dict[str, int] = {}
        self._n = 0
        self._ids = np.empty(capacity, dtype=object)
        self._parties = np.empty(capacity, dtype=object)
        self._domain = np.zeros(capacity, dtype=np.int8)
        self._float = {name: np.full(capacity, np.nan) for name in _COLUMNS}

    def __len__(self) -> int:
        return self._n

    def __contains__(self, track_id: object) -> bool:
        return track_id in self._index

    def _grow(self, needed: int) -> None:
        capacity = self._ids.shape[0]
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2
        self._ids = _grown(self._ids, capacity, None)
        self._parties = _grown(self._parties, capacity, None)
        self._domain = _grown(self._domain, capacity, 0)
        for name, column in self._float.items():
            self._float[name] = _grown(column, capacity, np.nan)

    def upsert(self, batch: TrackColumns) -> int:
        """Store the states of ``batch`` that are newer than what the table holds; returns how
        many tracks changed. Within a batch, the newest state of an id wins."""
        n = len(batch)
        if n == 0:
            return 0
        ids = batch.ids
        rows, slots = self._known_once(batch)
        if rows is None:
            # Newest state per id within the batch (stable: the later row wins a tie); a dict
            # built from pairs in C, where a later row of an id replaces an earlier one.
            order = np.argsort(batch.time_s, kind="stable")
            newest = dict(zip(ids[order].tolist(), order.tolist(), strict=True))
            rows = np.fromiter(newest.values(), dtype=np.int64, count=len(newest))
            slots = np.fromiter(
                map(self._index.get, newest, repeat(-1)), dtype=np.int64, count=len(newest)
            )
        fresh = slots < 0
        if fresh.any():
            start = self._n
            count = int(fresh.sum())
            self._grow(start + count)
            slots[fresh] = np.arange(start, start + count)
            self._index.update(zip(ids[rows[fresh]].tolist(), slots[fresh].tolist(), strict=True))
            self._ids[slots[fresh]] = ids[rows[fresh]]  # a slot's id never changes after this
            self._n += count
            self._float["time_s"][slots[fresh]] = -np.inf
        # Ignore states older than the stored ones (late or replayed data).
        newer = ~(batch.time_s[rows] < self._float["time_s"][slots])
        rows, slots = rows[newer], slots[newer]
        self._parties[slots] = batch.parties[rows]
        self._domain[slots] = batch.domain[rows]
        for name in _COLUMNS:
            self._float[name][slots] = getattr(batch, name)[rows]
        return int(rows.shape[0])

    def _known_once(self, batch: TrackColumns) -> tuple[IntArray | None, IntArray]:
        """The usual batch, every id already known and given once: (all rows, their slots).
        Otherwise (None, _): the caller picks the newest row per id itself."""
        n = len(batch)
        slots = np.fromiter(map(self._index.get, batch.ids.tolist(), repeat(-1)), np.int64, n)
        if (slots < 0).any() or np.bincount(slots, minlength=1).max() > 1:
            return None, slots
        return np.arange(n, dtype=np.int64), slots

    def remove(self, track_ids: list[str]) -> int:
        """Forget these tracks; returns how many were known."""
        gone = [self._index[i] for i in track_ids if i in self._index]
        if gone:
            keep = np.ones(self._n, dtype=np.bool_)
            keep[gone] = False
            self._compact(keep)
        return len(gone)

    def expire(self, now_s: float, max_age_s: float) -> int:
        """Forget tracks whose latest state is older than ``max_age_s`` at ``now_s``."""
        keep = self._float["time_s"][: self._n] >= now_s - max_age_s
        dropped = int(self._n - keep.sum())
        if dropped:
            self._compact(keep)
        return dropped

    def _compact(self, keep: np.ndarray) -> None:
        rows = np.flatnonzero(keep)
        count = rows.shape[0]
        self._ids[:count] = self._ids[rows]
        self._parties[:count] = self._parties[rows]
        self._domain[:count] = self._domain[rows]
        for column in self._float.values():
            column[:count] = column[rows]
        self._ids[count : self._n] = None
        self._n = count
        self._index = {str(i): k for k, i in enumerate(self._ids[:count])}

    def columns(self) -> TrackColumns:
        """A copy of the table as columns."""
        n = self._n
        return TrackColumns(
            ids=self._ids[:n].copy(),
            parties=self._parties[:n].copy(),
            time_s=self._float["time_s"][:n].copy(),
            lon=self._float["lon"][:n].copy(),
            lat=self._float["lat"][:n].copy(),
            alt_m=self._float["alt_m"][:n].copy(),
            speed_ms=self._float["speed_ms"][:n].copy(),
            course_deg=self._float["course_deg"][:n].copy(),
            vrate_ms=self._float["vrate_ms"][:n].copy(),
            domain=self._domain[:n].copy(),
        )


def _grown(column: np.ndarray, capacity: int, fill: object) -> np.ndarray:
    grown = np.full(capacity, fill, dtype=column.dtype)
    grown[: column.shape[0]] = column
    return grown
