"""Relay witnesses kept as evidence (what a relay countersigned for this node).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "relay_witnesses",
        sa.Column("n", BigId, primary_key=True, autoincrement=True),
        sa.Column("relay", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("envelope_id", sa.String(64), nullable=False),
        sa.Column("routing", sa.LargeBinary, nullable=False),
        sa.Column("deposited_ms", sa.BigInteger, nullable=False),
        sa.Column("forwarded_ms", sa.BigInteger, nullable=False),
        sa.Column("sig", sa.LargeBinary, nullable=False),
        sa.Column("stored_ms", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("relay", "sig", name="uq_relay_witnesses_sig"),
    )
    op.create_index("ix_relay_witnesses_channel_n", "relay_witnesses", ["channel_id", "n"])


def downgrade() -> None:
    op.drop_table("relay_witnesses")
