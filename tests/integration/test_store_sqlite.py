"""The SQLite store: the contract, its durability settings, and kill -9 of a writing process."""

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hotline.storage.schema import metadata
from hotline.storage.sqlite import open_sqlite_store
from hotline.storage.store import Store
from hotline.testing.store_contract import CH, CHECKS, channel


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[[], Store]:
    count = iter(range(1000))
    return lambda: open_sqlite_store(tmp_path / f"store-{next(count)}.db")


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_contract(check: Callable[[Callable[[], Store]], None], make_store) -> None:
    check(make_store)


def test_durability_pragmas_are_in_force(tmp_path: Path) -> None:
    store = open_sqlite_store(tmp_path / "s.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_migrations_produce_exactly_the_schema_module(tmp_path: Path) -> None:
    store = open_sqlite_store(tmp_path / "s.db")
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_reopening_keeps_everything(tmp_path: Path) -> None:
    from hotline.testing.store_contract import envelope

    store = open_sqlite_store(tmp_path / "s.db")
    channel(store)
    store.append(CH, [envelope("RU", 1), envelope("RU", 2)], now_ms=1)
    store.close()
    again = open_sqlite_store(tmp_path / "s.db")
    assert [e.seq for e in again.envelopes(CH)] == [1, 2]


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from hotline.storage.sqlite import open_sqlite_store
    from hotline.testing.store_contract import CH, channel, envelope
    store = open_sqlite_store(Path(sys.argv[1]))
    channel(store)
    seq = 0
    while True:
        batch = [envelope("RU", seq + i) for i in range(1, 6)]
        store.append(CH, batch, now_ms=seq)
        seq += 5
        print(seq, flush=True)  # reported only after the commit returned
    """
)


def test_kill_9_loses_nothing_that_was_committed(tmp_path: Path) -> None:
    """A writer reports each batch after append() returns; kill -9 it mid-stream; reopen."""
    db = tmp_path / "s.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert proc.stdout is not None
    reported = 0
    for line in proc.stdout:
        reported = int(line)
        if reported >= 200:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = open_sqlite_store(db)
    seqs = [e.seq for e in store.envelopes(CH)]
    assert len(seqs) >= reported  # everything acknowledged as committed is there
    assert seqs == list(range(1, len(seqs) + 1))  # and nothing half-written or out of order
    assert len(seqs) % 5 == 0  # batches are atomic


RACER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from hotline.storage.sqlite import open_sqlite_store
    from hotline.testing.store_contract import CH, envelope
    store = open_sqlite_store(Path(sys.argv[1]))
    new = 0
    for start in range(1, 1001, 10):
        new += sum(store.append(CH, [envelope("RU", s) for s in range(start, start + 10)], 1))
    print(new)
    """
)


def test_concurrent_writers_store_each_envelope_exactly_once(tmp_path: Path) -> None:
    """Two processes append the same envelopes at once: no error, no loss, no duplicate.

    With pysqlite's default deferred BEGIN, both would read 'not stored yet' and one would then
    fail on the write (busy snapshot, or a unique-constraint error taken for equivocation).
    """
    db = tmp_path / "s.db"
    channel(open_sqlite_store(db))
    procs = [
        subprocess.Popen([sys.executable, "-c", RACER, str(db)], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert sum(int(o) for o in outputs) == 1000  # each envelope new for exactly one writer
    assert [e.seq for e in open_sqlite_store(db).envelopes(CH)] == list(range(1, 1001))
