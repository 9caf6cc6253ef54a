"""The embedded default store: SQLite, configured so that a commit is durable when it returns.

- WAL journal with synchronous=FULL: a committed transaction survives power loss and kill -9.
- BEGIN IMMEDIATE for every transaction: pysqlite otherwise begins lazily (DEFERRED), and two
  writers that both read first can lose an update without any error. With IMMEDIATE the write
  lock is taken at BEGIN, and a competing writer waits (busy_timeout) instead.
- foreign_keys on; a busy timeout long enough for a peer process's commit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

from hotline.storage.sql import SqlStore

BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = Path(__file__).with_name("migrations")


def sqlite_engine(path: Path) -> Engine:
    """An engine on the SQLite file at `path` with hotline's durability settings."""
    engine = create_engine(f"sqlite+pysqlite:///{path}", pool_pre_ping=False)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def open_sqlite_store(path: Path) -> SqlStore:
    """Open (creating if needed) the store at `path`, migrated to the newest schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sqlite_engine(path)
    migrate(engine)
    return SqlStore(engine)
