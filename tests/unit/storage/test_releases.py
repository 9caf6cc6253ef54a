"""Held FLASH drafts in a real SQLite store: durable, claimed once, never by their author."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.storage.operators import OperatorStore
from hotline.storage.releases import (
    AuthorMayNotReleaseError,
    DraftNotFoundError,
    DraftNotHeldError,
    DraftState,
    ReleaseStore,
)
from hotline.storage.sqlite import migrate, sqlite_engine

CID = "c" * 64
BODY = b'{"type":"free_text","version":"1.0","text":{"lang":"en","text":"CHECK FIRE"}}'


def store_at(path: Path) -> ReleaseStore:
    engine = sqlite_engine(path)
    migrate(engine)
    return ReleaseStore(engine)


def hold(store: ReleaseStore, body: bytes = BODY, author: str = "wo") -> int:
    draft = store.hold(
        CID,
        body,
        prec="FLASH",
        mark="EXERCISE",
        to=["RU"],
        refs=[("RU", 3, "ab" * 32)],
        author=author,
        now_ms=1_000,
    )
    return draft.n


def test_a_held_draft_is_kept_exactly_and_survives_reopening(tmp_path: Path) -> None:
    n = hold(store_at(tmp_path / "node.db"))
    again = store_at(tmp_path / "node.db").get(n)  # a new engine: what is on disk
    assert (again.body, again.prec, again.mark) == (BODY, "FLASH", "EXERCISE")
    assert (again.to, again.refs) == (["RU"], [("RU", 3, "ab" * 32)])
    assert (again.author, again.state, again.held_ms) == ("wo", DraftState.HELD, 1_000)


def test_the_author_may_not_release_and_one_claim_wins(tmp_path: Path) -> None:
    store = store_at(tmp_path / "node.db")
    n = hold(store)
    with pytest.raises(AuthorMayNotReleaseError, match="second operator"):
        store.begin_release(n, "wo", 2_000)
    assert store.get(n).state is DraftState.HELD
    claimed = store.begin_release(n, "chief", 2_000)
    assert (claimed.state, claimed.decided_by) == (DraftState.RELEASING, "chief")
    with pytest.raises(DraftNotHeldError, match="releasing by chief"):
        store.begin_release(n, "deputy", 2_001)
    with pytest.raises(DraftNotHeldError):
        store.withdraw(n, "wo", "too late", 2_002)
    done = store.finish_release(n, "US", 7, 2_003)
    assert (done.state, done.sent_party, done.sent_seq) == (DraftState.RELEASED, "US", 7)
    assert store.pending() == []
    assert [d.n for d in store.released(CID)] == [n]


def test_an_undone_release_is_held_again_and_audited(tmp_path: Path) -> None:
    store = store_at(tmp_path / "node.db")
    n = hold(store)
    store.begin_release(n, "chief", 2_000)
    store.undo_release(n, 2_001, "not sent: channel closed")
    again = store.get(n)
    assert (again.state, again.decided_by) == (DraftState.HELD, None)
    entries = OperatorStore(store.engine).audit()
    assert [(e.operator, e.action) for e in entries] == [
        ("wo", "flash.hold"),
        ("chief", "flash.release_failed"),
    ]
    assert entries[-1].detail == "not sent: channel closed"


def test_withdrawal_keeps_the_reason_and_ends_the_draft(tmp_path: Path) -> None:
    store = store_at(tmp_path / "node.db")
    n = hold(store)
    gone = store.withdraw(n, "wo", "wrong area", 3_000)
    assert (gone.state, gone.decided_by, gone.reason) == (DraftState.WITHDRAWN, "wo", "wrong area")
    with pytest.raises(DraftNotHeldError, match="withdrawn by wo"):
        store.begin_release(n, "chief", 3_001)
    with pytest.raises(DraftNotFoundError, match="no held draft 99"):
        store.get(99)


@settings(max_examples=25, deadline=None)
@given(body=st.binary(min_size=1, max_size=2_000))
def test_any_body_comes_back_byte_for_byte(
    tmp_path_factory: pytest.TempPathFactory, body: bytes
) -> None:
    store = store_at(tmp_path_factory.mktemp("db") / "node.db")
    assert store.get(hold(store, body)).body == body
