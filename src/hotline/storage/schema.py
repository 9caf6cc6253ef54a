"""The store's tables, in SQLAlchemy Core. Migrations (alembic) create them; this is the map.

Envelopes are kept as the exact bytes that were verified (`raw`); the other columns are indexes
over their signed headers, for queries, never a second source of truth. `n` is the storage order:
replaying a channel's envelopes by `n` rebuilds its protocol state after a restart.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

# BigInteger primary keys are plain INTEGER on SQLite (so they alias the rowid).
BigId = BigInteger().with_variant(Integer(), "sqlite")

channels = Table(
    "channels",
    metadata,
    Column("id", String(64), primary_key=True),  # channel id: SHA-256 of the charter, hex
    Column("name", String(200), nullable=False),
    Column("charter", LargeBinary, nullable=False),  # the exact charter bytes
    Column("my_party", String(32), nullable=False),
    Column("state", String(16), nullable=False),  # proposed | active | closed
    Column("created_ms", BigInteger, nullable=False),
)

envelopes = Table(
    "envelopes",
    metadata,
    Column("n", BigId, primary_key=True, autoincrement=True),
    Column("channel_id", String(64), nullable=False),
    Column("id", LargeBinary(32), nullable=False),  # envelope id (SHA-256)
    Column("sender", String(32), nullable=False),
    Column("seq", BigInteger, nullable=False),  # 0 for link kinds (receipts)
    Column("kind", String(24), nullable=False),
    Column("role", String(12), nullable=False),  # own | peer | receipt | evidence
    Column("prec", String(12)),
    Column("mark", String(12)),
    Column("sender_ms", BigInteger, nullable=False),  # the sender's clock (header.t)
    Column("stored_ms", BigInteger, nullable=False),  # our clock when stored
    Column("raw", LargeBinary, nullable=False),
    UniqueConstraint("channel_id", "id", name="uq_envelopes_channel_id_id"),
    Index("ix_envelopes_channel_n", "channel_id", "n"),
    Index("ix_envelopes_channel_kind", "channel_id", "kind", "sender"),
    # One envelope per (sender, seq) in a chain; a second one is evidence of equivocation,
    # kept with role 'evidence' outside this index, never in place of the first.
    Index(
        "uq_envelopes_chain",
        "channel_id",
        "sender",
        "seq",
        unique=True,
        sqlite_where=text("seq > 0 AND role != 'evidence'"),
        postgresql_where=text("seq > 0 AND role != 'evidence'"),
    ),
)

envelope_refs = Table(
    "envelope_refs",
    metadata,
    Column("envelope_n", BigInteger, nullable=False),
    Column("channel_id", String(64), nullable=False),
    Column("party", String(32), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Index("ix_refs_target", "channel_id", "party", "seq"),
)

peers = Table(
    "peers",
    metadata,
    Column("party", String(32), primary_key=True),
    Column("fingerprint", String(128), nullable=False),
    Column("card", LargeBinary, nullable=False),
    Column("added_ms", BigInteger, nullable=False),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)

# A relay's holdings: sealed items it was given to forward (it can read only their routing).
relay_items = Table(
    "relay_items",
    metadata,
    Column("n", BigId, primary_key=True, autoincrement=True),
    Column("to_party", String(32), nullable=False),
    Column("from_party", String(32), nullable=False),
    Column("channel_id", String(64), nullable=False),
    Column("envelope_id", String(64), nullable=False),
    Column("item", LargeBinary, nullable=False),
    Column("deposited_ms", BigInteger, nullable=False),
    UniqueConstraint("to_party", "envelope_id", name="uq_relay_items_to_envelope"),
    Index("ix_relay_items_to_n", "to_party", "n"),
)

# Operators of this node: watch officers, supervisors, auditors.
operators = Table(
    "operators",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),  # watch_officer | supervisor | auditor
    Column("password", String(256), nullable=False),  # scrypt$n$r$p$salt$hash
    Column("language", String(3), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("disabled", Integer, nullable=False, server_default=text("0")),
)

# Bearer tokens, stored only as SHA-256 (a leaked database yields no usable token).
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", LargeBinary(32), primary_key=True),
    Column("operator", String(64), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
)

# Every operator action, append-only, in order.
audit = Table(
    "audit",
    metadata,
    Column("n", BigId, primary_key=True, autoincrement=True),
    Column("at_ms", BigInteger, nullable=False),
    Column("operator", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(200), nullable=False),
    Column("detail", String(2000), nullable=False),
    Index("ix_audit_operator", "operator", "n"),
)

# The node's picture (storage/picture_store.py): latest state per track, and the engine's alerts.
picture_tracks = Table(
    "picture_tracks",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("party", String(32), nullable=False),
    Column("time_s", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("alt_ft", Float, nullable=False),
    Column("speed_kt", Float, nullable=False),
    Column("course_deg", Float, nullable=False),
    Column("vrate_fpm", Float, nullable=False),
    Column("domain", String(8), nullable=False),
    Column("callsign", String(64), nullable=False),
    Column("source", String(64), nullable=False),
)

picture_alerts = Table(
    "picture_alerts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(12), nullable=False),
    Column("raised_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    Column("alert", Text, nullable=False),  # the engine's Alert as JSON, evidence included
    Index("ix_picture_alerts_status", "status", "raised_ms"),
)

# FLASH notifications held for a second operator (charter `two_person_flash`): the exact body
# and header fields, so that the release sends what the author composed and nothing else.
held_flash = Table(
    "held_flash",
    metadata,
    Column("n", BigId, primary_key=True, autoincrement=True),  # the draft's number
    Column("channel_id", String(64), nullable=False),
    Column("body", LargeBinary, nullable=False),  # canonical catalogue bytes, as checked
    Column("prec", String(12), nullable=False),
    Column("mark", String(12), nullable=False),
    Column("recipients", String(2000)),  # JSON list, NULL: every other member
    Column("refs", String(8000), nullable=False),  # JSON [[party, seq, id], ...]
    Column("author", String(64), nullable=False),
    Column("held_ms", BigInteger, nullable=False),
    Column("state", String(12), nullable=False),  # held | releasing | released | withdrawn
    Column("decided_by", String(64)),
    Column("decided_ms", BigInteger),
    Column("reason", String(2000), nullable=False, server_default=""),
    Column("sent_party", String(32)),  # the message it became, once released
    Column("sent_seq", BigInteger),
    Index("ix_held_flash_channel_state", "channel_id", "state"),
)

# Witnesses a relay signed for what we deposited (forwarded_ms = 0) or collected: evidence,
# kept for good. `routing` and `sig` are the exact signed material; the rest indexes it.
relay_witnesses = Table(
    "relay_witnesses",
    metadata,
    Column("n", BigId, primary_key=True, autoincrement=True),
    Column("relay", String(32), nullable=False),
    Column("channel_id", String(64), nullable=False),
    Column("envelope_id", String(64), nullable=False),
    Column("routing", LargeBinary, nullable=False),
    Column("deposited_ms", BigInteger, nullable=False),
    Column("forwarded_ms", BigInteger, nullable=False),
    Column("sig", LargeBinary, nullable=False),
    Column("stored_ms", BigInteger, nullable=False),
    UniqueConstraint("relay", "sig", name="uq_relay_witnesses_sig"),
    Index("ix_relay_witnesses_channel_n", "channel_id", "n"),
)
