"""Operator accounts, sessions and the audit record.

Passwords are stored as scrypt hashes (salted, memory-hard); bearer tokens only as SHA-256, so
neither a copy of the database nor of the audit gives anyone a way in. Every call that changes
anything writes its audit entry in the same transaction as the change.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, Engine, delete, insert, select, update

from hotline.errors import HotlineError
from hotline.storage import schema


class Role(StrEnum):
    """What an operator may do. Auditors read everything and change nothing."""

    WATCH_OFFICER = "watch_officer"  # read, send, acknowledge, reply
    SUPERVISOR = "supervisor"  # as watch officer, plus release FLASH (second person), manage
    AUDITOR = "auditor"  # read and export only


class AuthError(HotlineError):
    """Log-in or token refused. The message never says which of name or password was wrong."""


class AccountError(HotlineError):
    """An operator account cannot be created or changed as asked."""


@dataclass(frozen=True, slots=True)
class Operator:
    name: str
    role: Role
    language: str
    disabled: bool


@dataclass(frozen=True, slots=True)
class AuditEntry:
    n: int
    at_ms: int
    operator: str
    action: str
    target: str
    detail: str


SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSWORD_LEN = 10
SESSION_MS = 12 * 3600 * 1000  # one watch


def hash_password(password: str, *, n: int = SCRYPT_N) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=128 * n * SCRYPT_R * 2, dklen=32)  # fmt: skip
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                                p=int(p), maxmem=128 * int(n) * int(r) * 2, dklen=32)  # fmt: skip
    except ValueError:
        return False
    return hmac.compare_digest(actual, bytes.fromhex(digest))


class OperatorStore:
    def __init__(self, engine: Engine, *, scrypt_n: int = SCRYPT_N) -> None:
        self.engine = engine
        self._scrypt_n = scrypt_n  # lower only in tests

    def add(
        self, by: str, name: str, password: str, role: Role, language: str, now_ms: int
    ) -> None:
        if not name or len(name) > 64 or not name.replace("-", "").replace(".", "").isalnum():
            raise AccountError(f"operator name {name!r}: use 1-64 letters, digits, '.' or '-'")
        if len(password) < MIN_PASSWORD_LEN:
            raise AccountError(f"password too short: at least {MIN_PASSWORD_LEN} characters")
        hashed = hash_password(password, n=self._scrypt_n)
        with self.engine.begin() as conn:
            exists = conn.execute(
                select(schema.operators.c.name).where(schema.operators.c.name == name)
            ).first()
            if exists:
                raise AccountError(f"operator {name} already exists")
            conn.execute(insert(schema.operators).values(
                name=name, role=role.value, password=hashed, language=language,
                created_ms=now_ms, disabled=0))  # fmt: skip
            record_audit(
                conn, now_ms, by, "operator.add", name, f"role={role.value} lang={language}"
            )

    def get(self, name: str) -> Operator | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.operators).where(schema.operators.c.name == name)
            ).first()
        if row is None:
            return None
        return Operator(row.name, Role(row.role), row.language, bool(row.disabled))

    def all(self) -> list[Operator]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.operators).order_by(schema.operators.c.name))
            return [Operator(r.name, Role(r.role), r.language, bool(r.disabled)) for r in rows]

    def log_in(self, name: str, password: str, now_ms: int) -> str:
        """Check a password and open a session; returns the bearer token (shown once)."""
        with self.engine.begin() as conn:
            row = conn.execute(
                select(schema.operators).where(schema.operators.c.name == name)
            ).first()
            refused = row is None or row.disabled or not password_matches(password, row.password)
            if refused:  # committed, not rolled back with the refusal: failures stay on record
                record_audit(conn, now_ms, name, "login.refused", name, "")
        if refused:
            raise AuthError("log-in refused: unknown operator or wrong password")
        with self.engine.begin() as conn:
            token = secrets.token_urlsafe(32)
            conn.execute(insert(schema.sessions).values(
                token_hash=_token_hash(token), operator=name, created_ms=now_ms,
                expires_ms=now_ms + SESSION_MS))  # fmt: skip
            record_audit(conn, now_ms, name, "login", name, "")
        return token

    def authenticate(self, token: str, now_ms: int) -> Operator:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.operators, schema.sessions.c.expires_ms)
                .join(schema.sessions, schema.sessions.c.operator == schema.operators.c.name)
                .where(schema.sessions.c.token_hash == _token_hash(token))
            ).first()
        if row is None or row.expires_ms <= now_ms or row.disabled:
            raise AuthError("session unknown or expired: log in again")
        return Operator(row.name, Role(row.role), row.language, bool(row.disabled))

    def log_out(self, token: str, now_ms: int) -> None:
        with self.engine.begin() as conn:
            operator = conn.execute(
                select(schema.sessions.c.operator).where(
                    schema.sessions.c.token_hash == _token_hash(token)
                )
            ).scalar_one_or_none()
            conn.execute(
                delete(schema.sessions).where(schema.sessions.c.token_hash == _token_hash(token))
            )
            if operator:
                record_audit(conn, now_ms, operator, "logout", operator, "")

    def disable(self, by: str, name: str, now_ms: int) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(schema.operators).where(schema.operators.c.name == name).values(disabled=1)
            )
            if done.rowcount != 1:
                raise AccountError(f"no operator {name}")
            conn.execute(delete(schema.sessions).where(schema.sessions.c.operator == name))
            record_audit(conn, now_ms, by, "operator.disable", name, "")

    def record(self, operator: str, action: str, target: str, detail: str, now_ms: int) -> None:
        """Add an audit entry on its own (actions whose effect is stored elsewhere)."""
        with self.engine.begin() as conn:
            record_audit(conn, now_ms, operator, action, target, detail)

    def audit(self, after_n: int = 0, limit: int = 1000) -> list[AuditEntry]:
        t = schema.audit
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.n > after_n).order_by(t.c.n).limit(limit))
            return [
                AuditEntry(r.n, r.at_ms, r.operator, r.action, r.target, r.detail) for r in rows
            ]


def record_audit(
    conn: Connection, at_ms: int, operator: str, action: str, target: str, detail: str
) -> None:
    conn.execute(insert(schema.audit).values(
        at_ms=at_ms, operator=operator[:64], action=action, target=target[:200],
        detail=detail[:2000]))  # fmt: skip


def _token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
