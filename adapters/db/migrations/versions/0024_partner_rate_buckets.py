"""partner_rate_buckets: the partner REST API's token buckets, shared by every API replica
(``adapters.db.rate_limit``). One row per partner client code; a new table, so nothing is locked.

Revision ID: 0024
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_rate_buckets",
        sa.Column("client_code", sa.Text, primary_key=True, comment="a partner whose signature was verified"),
        sa.Column("tokens", sa.Float, nullable=False, comment="tokens left at refreshed_at"),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False, comment="database clock"),
        sa.Column("granted", sa.Boolean, nullable=False, comment="whether the last request took a token"),
    )


def downgrade() -> None:
    op.drop_table("partner_rate_buckets")
