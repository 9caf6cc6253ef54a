"""The node's picture: the latest state of each track, and the engine's alerts.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "picture_tracks",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("party", sa.String(32), nullable=False),
        sa.Column("time_s", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("alt_ft", sa.Float, nullable=False),
        sa.Column("speed_kt", sa.Float, nullable=False),
        sa.Column("course_deg", sa.Float, nullable=False),
        sa.Column("vrate_fpm", sa.Float, nullable=False),
        sa.Column("domain", sa.String(8), nullable=False),
        sa.Column("callsign", sa.String(64), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
    )
    op.create_table(
        "picture_alerts",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("raised_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.Column("alert", sa.Text, nullable=False),
    )
    op.create_index("ix_picture_alerts_status", "picture_alerts", ["status", "raised_ms"])


def downgrade() -> None:
    op.drop_table("picture_alerts")
    op.drop_table("picture_tracks")
