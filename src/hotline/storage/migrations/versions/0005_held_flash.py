"""FLASH notifications held for a second operator's release (two-person rule).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "held_flash",
        sa.Column("n", BigId, primary_key=True, autoincrement=True),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("prec", sa.String(12), nullable=False),
        sa.Column("mark", sa.String(12), nullable=False),
        sa.Column("recipients", sa.String(2000)),
        sa.Column("refs", sa.String(8000), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("held_ms", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_ms", sa.BigInteger),
        sa.Column("reason", sa.String(2000), nullable=False, server_default=""),
        sa.Column("sent_party", sa.String(32)),
        sa.Column("sent_seq", sa.BigInteger),
    )
    op.create_index("ix_held_flash_channel_state", "held_flash", ["channel_id", "state"])


def downgrade() -> None:
    op.drop_table("held_flash")
