"""Relay holdings: sealed items waiting to be collected by their addressee.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "relay_items",
        sa.Column("n", BigId, primary_key=True, autoincrement=True),
        sa.Column("to_party", sa.String(32), nullable=False),
        sa.Column("from_party", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("envelope_id", sa.String(64), nullable=False),
        sa.Column("item", sa.LargeBinary, nullable=False),
        sa.Column("deposited_ms", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("to_party", "envelope_id", name="uq_relay_items_to_envelope"),
    )
    op.create_index("ix_relay_items_to_n", "relay_items", ["to_party", "n"])


def downgrade() -> None:
    op.drop_table("relay_items")
