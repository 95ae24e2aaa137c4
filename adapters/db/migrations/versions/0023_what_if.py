"""what-ifs: a decided wave's lottery run again under other parameters (quotas, priority cohorts, household limit)
by staff, and its comparison with the real result, per province, by (real reason, what-if reason).

Nothing here refers to ``wave_results`` or ``cases``: a what-if never writes the real result. One what-if per
staff member and client key (the mutation's idempotency).

Revision ID: 0023
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0023"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "what_ifs",
        sa.Column("what_if_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("wave_id", sa.Text, sa.ForeignKey("waves.wave_id"), nullable=False),
        sa.Column("requested_by", sa.Text, nullable=False, comment="the staff member's audit name (staff:<user>)"),
        sa.Column("client_key", sa.Text, nullable=False, comment="the caller's idempotency key"),
        sa.Column("params", postgresql.JSONB, nullable=False, comment="domain.waves.what_if.WhatIfParams"),
        sa.Column("status", sa.Text, nullable=False, server_default="QUEUED"),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("selected", sa.BigInteger, comment="selected nationally in the what-if"),
        sa.Column("digest", sa.Text, comment="SHA-256 of the sorted selected case IDs, as a wave's digest"),
        sa.Column("seconds", sa.Float),
        sa.Column("error", sa.Text),
        sa.UniqueConstraint("requested_by", "client_key", name="uq_what_ifs_key"),
    )
    op.create_index("ix_what_ifs_wave", "what_ifs", ["wave_id"])
    op.create_table(
        "what_if_cells",
        sa.Column("what_if_id", sa.BigInteger, sa.ForeignKey("what_ifs.what_if_id"), primary_key=True),
        sa.Column("province_code", sa.Text, primary_key=True),
        sa.Column("real_reason", sa.Text, primary_key=True),
        sa.Column("what_if_reason", sa.Text, primary_key=True),
        sa.Column("joiners", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("what_if_cells")
    op.drop_table("what_ifs")
