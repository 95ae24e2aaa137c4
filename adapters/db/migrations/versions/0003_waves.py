"""waves: schedule, quotas, secret seeds, priority cohorts, joiners, results

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "waves",
        sa.Column("wave_id", sa.Text, primary_key=True),
        sa.Column("number", sa.Integer, nullable=False, unique=True),
        sa.Column("scheme_id", sa.Text, nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="SCHEDULED"),
        sa.Column("national_quota", sa.Integer, nullable=False),
        sa.Column("seed_commitment", sa.Text, nullable=True, comment="SHA-256 hex of the seed, published at open"),
        sa.Column("revealed_seed", sa.Text, nullable=True, comment="published after close"),
        sa.Column("result_digest", sa.Text, nullable=True),
        sa.Column("selected_count", sa.Integer, nullable=True),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "wave_quotas",
        sa.Column("wave_id", sa.Text, sa.ForeignKey("waves.wave_id"), primary_key=True),
        sa.Column("province_code", sa.Text, primary_key=True),
        sa.Column("quota", sa.Integer, nullable=False),
    )
    op.create_table(
        "wave_seeds",
        sa.Column("wave_id", sa.Text, sa.ForeignKey("waves.wave_id"), primary_key=True),
        sa.Column("seed", sa.Text, nullable=False, comment="secret until the wave closes"),
    )
    op.create_table(
        "wave_cohorts",
        sa.Column("wave_id", sa.Text, sa.ForeignKey("waves.wave_id"), primary_key=True),
        sa.Column("nik_index", sa.Text, primary_key=True, comment="HMAC-SHA256 of the NIK (= case_id)"),
        sa.Column("cohort", sa.Text, nullable=False),
    )
    op.create_table(
        "wave_joiners",
        sa.Column("wave_id", sa.Text, sa.ForeignKey("waves.wave_id"), primary_key=True),
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("province_code", sa.Text, nullable=False),
        sa.Column("kk_index", sa.Text, nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_wave_joiners_province", "wave_joiners", ["wave_id", "province_code"])
    op.create_table(
        "wave_results",
        sa.Column("wave_id", sa.Text, sa.ForeignKey("waves.wave_id"), primary_key=True),
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("selected", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("priority", sa.Boolean, nullable=False),
        sa.Column("lottery_rank", sa.Text, nullable=False),
    )
    op.create_table(
        "wave_audit",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("wave_id", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    for table in ("wave_audit", "wave_results", "wave_joiners", "wave_cohorts", "wave_seeds", "wave_quotas", "waves"):
        op.drop_table(table)
