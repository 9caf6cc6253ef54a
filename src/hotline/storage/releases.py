"""FLASH notifications held for a second operator's release (the charter's two-person rule).

A held draft keeps the exact body bytes and header fields the author's checks passed, so the
release sends precisely what was composed. Its life: held -> releasing -> released, or held ->
withdrawn. `releasing` is the short step while the node signs and stores the message: it is
written first, so two supervisors clicking at once release it once; a crash inside that step is
settled on restart by looking for the message in the channel (see `Releases.settle`). Each
change writes its audit entry in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, Engine, Row, insert, select, update

from hotline.errors import HotlineError
from hotline.storage import schema
from hotline.storage.operators import record_audit

__all__ = [
    "AuthorMayNotReleaseError",
    "DraftNotFoundError",
    "DraftNotHeldError",
    "DraftState",
    "HeldDraft",
    "ReleaseError",
    "ReleaseStore",
]


class ReleaseError(HotlineError):
    """A held FLASH cannot be released or withdrawn as asked."""


class DraftNotFoundError(ReleaseError):
    def __init__(self, n: int) -> None:
        self.n = n
        super().__init__(f"no held draft {n}: list them with `hotline release list`")


class DraftNotHeldError(ReleaseError):
    def __init__(self, draft: HeldDraft) -> None:
        self.draft = draft
        by = f" by {draft.decided_by}" if draft.decided_by else ""
        super().__init__(f"draft {draft.n} is no longer held: it was {draft.state.value}{by}")


class AuthorMayNotReleaseError(ReleaseError):
    def __init__(self, draft: HeldDraft) -> None:
        self.draft = draft
        super().__init__(
            f"{draft.author} composed draft {draft.n}: a second operator (a supervisor who "
            "did not write it) must release it"
        )


class DraftState(StrEnum):
    HELD = "held"
    RELEASING = "releasing"
    RELEASED = "released"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class HeldDraft:
    n: int
    channel_id: str
    body: bytes
    prec: str
    mark: str
    to: list[str] | None  # None: every other member
    refs: list[tuple[str, int, str]]  # (party, seq, envelope id hex)
    author: str
    held_ms: int
    state: DraftState
    decided_by: str | None = None
    decided_ms: int | None = None
    reason: str = ""
    sent_party: str | None = None
    sent_seq: int | None = None


def _draft(row: Row[tuple[object, ...]]) -> HeldDraft:
    m = row._mapping
    refs = [(str(p), int(s), str(i)) for p, s, i in json.loads(str(m["refs"]))]
    to = json.loads(str(m["recipients"])) if m["recipients"] is not None else None
    return HeldDraft(
        n=int(m["n"]),
        channel_id=str(m["channel_id"]),
        body=bytes(m["body"]),
        prec=str(m["prec"]),
        mark=str(m["mark"]),
        to=[str(p) for p in to] if to is not None else None,
        refs=refs,
        author=str(m["author"]),
        held_ms=int(m["held_ms"]),
        state=DraftState(str(m["state"])),
        decided_by=m["decided_by"],
        decided_ms=m["decided_ms"],
        reason=str(m["reason"]),
        sent_party=m["sent_party"],
        sent_seq=m["sent_seq"],
    )


class ReleaseStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def hold(
        self,
        channel_id: str,
        body: bytes,
        *,
        prec: str,
        mark: str,
        to: list[str] | None,
        refs: Iterable[tuple[str, int, str]],
        author: str,
        now_ms: int,
    ) -> HeldDraft:
        """Keep a checked FLASH for a second operator; durable when this returns."""
        refs_json = json.dumps([list(r) for r in refs])
        to_json = json.dumps(to) if to is not None else None
        with self.engine.begin() as conn:
            values = {
                "channel_id": channel_id,
                "body": body,
                "prec": prec,
                "mark": mark,
                "recipients": to_json,
                "refs": refs_json,
                "author": author,
                "held_ms": now_ms,
                "state": DraftState.HELD.value,
                "reason": "",
            }
            inserted = conn.execute(insert(schema.held_flash).values(**values))
            key = inserted.inserted_primary_key
            assert key is not None
            n = int(key[0])
            record_audit(conn, now_ms, author, "flash.hold", _target(channel_id, n), prec)
            return self._get(conn, n)

    def get(self, n: int) -> HeldDraft:
        with self.engine.connect() as conn:
            return self._get(conn, n)

    def pending(self, channel_id: str | None = None) -> list[HeldDraft]:
        """Drafts awaiting a decision (held, or caught mid-release), oldest first."""
        t = schema.held_flash
        query = select(t).where(t.c.state.in_([DraftState.HELD.value, DraftState.RELEASING.value]))
        if channel_id is not None:
            query = query.where(t.c.channel_id == channel_id)
        with self.engine.connect() as conn:
            return [_draft(r) for r in conn.execute(query.order_by(t.c.n))]

    def released(self, channel_id: str) -> list[HeldDraft]:
        t = schema.held_flash
        query = select(t).where(
            t.c.channel_id == channel_id, t.c.state == DraftState.RELEASED.value
        )
        with self.engine.connect() as conn:
            return [_draft(r) for r in conn.execute(query.order_by(t.c.n))]

    def begin_release(self, n: int, by: str, now_ms: int) -> HeldDraft:
        """Claim a held draft for release by `by` (never its author); exactly one claim wins."""
        t = schema.held_flash
        with self.engine.begin() as conn:
            draft = self._get(conn, n)
            if draft.state is not DraftState.HELD:
                raise DraftNotHeldError(draft)
            if draft.author == by:
                raise AuthorMayNotReleaseError(draft)
            claimed = conn.execute(
                update(t)
                .where(t.c.n == n, t.c.state == DraftState.HELD.value)
                .values(state=DraftState.RELEASING.value, decided_by=by, decided_ms=now_ms)
            )
            if claimed.rowcount != 1:  # decided by someone else between the read and now
                raise DraftNotHeldError(self._get(conn, n))
            return self._get(conn, n)

    def finish_release(self, n: int, party: str, seq: int, now_ms: int) -> HeldDraft:
        """The message is stored in the channel as `party-seq`: record it and who released it."""
        t = schema.held_flash
        with self.engine.begin() as conn:
            draft = self._get(conn, n)
            conn.execute(
                update(t)
                .where(t.c.n == n)
                .values(state=DraftState.RELEASED.value, sent_party=party, sent_seq=seq)
            )
            detail = f"as {party}-{seq}, composed by {draft.author}"
            target = _target(draft.channel_id, n)
            record_audit(conn, now_ms, draft.decided_by or "?", "flash.release", target, detail)
            return self._get(conn, n)

    def undo_release(self, n: int, now_ms: int, why: str) -> None:
        """The release did not happen (the channel refused it, or a crash came first): held
        again, for anyone allowed to try again or withdraw it."""
        t = schema.held_flash
        with self.engine.begin() as conn:
            draft = self._get(conn, n)
            conn.execute(
                update(t)
                .where(t.c.n == n, t.c.state == DraftState.RELEASING.value)
                .values(state=DraftState.HELD.value, decided_by=None, decided_ms=None)
            )
            target = _target(draft.channel_id, n)
            record_audit(conn, now_ms, draft.decided_by or "?", "flash.release_failed", target, why)

    def withdraw(self, n: int, by: str, reason: str, now_ms: int) -> HeldDraft:
        t = schema.held_flash
        with self.engine.begin() as conn:
            draft = self._get(conn, n)
            if draft.state is not DraftState.HELD:
                raise DraftNotHeldError(draft)
            withdrawn = conn.execute(
                update(t)
                .where(t.c.n == n, t.c.state == DraftState.HELD.value)
                .values(
                    state=DraftState.WITHDRAWN.value,
                    decided_by=by,
                    decided_ms=now_ms,
                    reason=reason,
                )
            )
            if withdrawn.rowcount != 1:
                raise DraftNotHeldError(self._get(conn, n))
            record_audit(conn, now_ms, by, "flash.withdraw", _target(draft.channel_id, n), reason)
            return self._get(conn, n)

    def _get(self, conn: Connection, n: int) -> HeldDraft:
        row = conn.execute(select(schema.held_flash).where(schema.held_flash.c.n == n)).first()
        if row is None:
            raise DraftNotFoundError(n)
        return _draft(row)


def _target(channel_id: str, n: object) -> str:
    return f"{channel_id[:12]} draft {n}"
