"""Operator accounts: hashed passwords, hashed tokens, roles, and an audit entry for each act."""

from pathlib import Path

import pytest

from hotline.storage.operators import AccountError, AuthError, OperatorStore, Role
from hotline.storage.sqlite import migrate, sqlite_engine


@pytest.fixture
def ops(tmp_path: Path) -> OperatorStore:
    engine = sqlite_engine(tmp_path / "node.db")
    migrate(engine)
    return OperatorStore(engine, scrypt_n=2**10)  # cheap hashing in tests only


def test_log_in_authenticate_log_out(ops: OperatorStore) -> None:
    ops.add("setup", "ivanov", "correct horse battery", Role.WATCH_OFFICER, "ru", now_ms=1)
    token = ops.log_in("ivanov", "correct horse battery", now_ms=2)
    operator = ops.authenticate(token, now_ms=3)
    assert (operator.name, operator.role, operator.language) == ("ivanov", Role.WATCH_OFFICER, "ru")
    ops.log_out(token, now_ms=4)
    with pytest.raises(AuthError, match="log in again"):
        ops.authenticate(token, now_ms=5)


def test_wrong_password_and_unknown_name_look_the_same(ops: OperatorStore) -> None:
    ops.add("setup", "smith", "correct horse battery", Role.SUPERVISOR, "en", now_ms=1)
    with pytest.raises(AuthError) as wrong:
        ops.log_in("smith", "wrong password!", now_ms=2)
    with pytest.raises(AuthError) as unknown:
        ops.log_in("nobody", "correct horse battery", now_ms=2)
    assert str(wrong.value) == str(unknown.value)


def test_secrets_are_not_stored_in_clear(ops: OperatorStore) -> None:
    ops.add("setup", "smith", "correct horse battery", Role.SUPERVISOR, "en", now_ms=1)
    token = ops.log_in("smith", "correct horse battery", now_ms=2)
    with ops.engine.connect() as conn:
        dump = "\n".join(str(row) for t in ("operators", "sessions", "audit")
                         for row in conn.exec_driver_sql(f"SELECT * FROM {t}"))  # fmt: skip
    assert "correct horse" not in dump
    assert token not in dump


def test_sessions_expire_and_disabled_operators_are_locked_out(ops: OperatorStore) -> None:
    ops.add("setup", "smith", "correct horse battery", Role.SUPERVISOR, "en", now_ms=0)
    token = ops.log_in("smith", "correct horse battery", now_ms=0)
    with pytest.raises(AuthError):
        ops.authenticate(token, now_ms=13 * 3600 * 1000)
    token = ops.log_in("smith", "correct horse battery", now_ms=1)
    ops.disable("boss", "smith", now_ms=2)
    with pytest.raises(AuthError):
        ops.authenticate(token, now_ms=3)
    with pytest.raises(AuthError):
        ops.log_in("smith", "correct horse battery", now_ms=4)


def test_bad_accounts_are_refused_with_the_reason(ops: OperatorStore) -> None:
    with pytest.raises(AccountError, match="at least 10 characters"):
        ops.add("setup", "smith", "short", Role.AUDITOR, "en", now_ms=1)
    with pytest.raises(AccountError, match="letters, digits"):
        ops.add("setup", "drop table;", "long enough pw", Role.AUDITOR, "en", now_ms=1)
    ops.add("setup", "smith", "long enough pw", Role.AUDITOR, "en", now_ms=1)
    with pytest.raises(AccountError, match="already exists"):
        ops.add("setup", "smith", "long enough pw", Role.AUDITOR, "en", now_ms=1)


def test_every_action_is_audited_in_order(ops: OperatorStore) -> None:
    ops.add("setup", "smith", "correct horse battery", Role.SUPERVISOR, "en", now_ms=1)
    ops.log_in("smith", "correct horse battery", now_ms=2)
    with pytest.raises(AuthError):
        ops.log_in("smith", "guess guess guess", now_ms=3)
    ops.record("smith", "notification.send", "US-17", "FLASH", now_ms=4)
    assert [(a.operator, a.action, a.target) for a in ops.audit()] == [
        ("setup", "operator.add", "smith"),
        ("smith", "login", "smith"),
        ("smith", "login.refused", "smith"),
        ("smith", "notification.send", "US-17"),
    ]
