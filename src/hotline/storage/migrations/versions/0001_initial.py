"""Initial schema: channels, envelopes and their refs, peers, meta.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "channels",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("charter", sa.LargeBinary, nullable=False),
        sa.Column("my_party", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "envelopes",
        sa.Column("n", BigId, primary_key=True, autoincrement=True),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("id", sa.LargeBinary(32), nullable=False),
        sa.Column("sender", sa.String(32), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("prec", sa.String(12)),
        sa.Column("mark", sa.String(12)),
        sa.Column("sender_ms", sa.BigInteger, nullable=False),
        sa.Column("stored_ms", sa.BigInteger, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("channel_id", "id", name="uq_envelopes_channel_id_id"),
    )
    op.create_index("ix_envelopes_channel_n", "envelopes", ["channel_id", "n"])
    op.create_index("ix_envelopes_channel_kind", "envelopes", ["channel_id", "kind", "sender"])
    op.create_index(
        "uq_envelopes_chain",
        "envelopes",
        ["channel_id", "sender", "seq"],
        unique=True,
        sqlite_where=sa.text("seq > 0 AND role != 'evidence'"),
        postgresql_where=sa.text("seq > 0 AND role != 'evidence'"),
    )
    op.create_table(
        "envelope_refs",
        sa.Column("envelope_n", sa.BigInteger, nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("party", sa.String(32), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_refs_target", "envelope_refs", ["channel_id", "party", "seq"])
    op.create_table(
        "peers",
        sa.Column("party", sa.String(32), primary_key=True),
        sa.Column("fingerprint", sa.String(128), nullable=False),
        sa.Column("card", sa.LargeBinary, nullable=False),
        sa.Column("added_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    for table in ("meta", "peers", "envelope_refs", "envelopes", "channels"):
        op.drop_table(table)
