"""cases read model: one row per case, unique NIK (blind index) and account

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("case_id", sa.Text, primary_key=True, comment="HMAC-SHA256 of the NIK (blind index)"),
        sa.Column("account_id", sa.Text, nullable=False, unique=True),
        sa.Column("kk_index", sa.Text, nullable=False, comment="HMAC-SHA256 of the KK number"),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("scheme_id", sa.Text, nullable=False),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("province_code", sa.Text, nullable=False),
        sa.Column("regency_code", sa.Text, nullable=False),
        sa.Column("full_name", sa.Text, nullable=False),
        sa.Column("application", JSONB, nullable=False, comment="PII: NIK and KK stored masked only"),
        sa.Column("decisions", JSONB, nullable=False),
        sa.Column("next_action", sa.Text, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cases_applied", "cases", [sa.text("applied_at DESC"), sa.text("case_id DESC")])
    op.create_index(
        "ix_cases_province_applied",
        "cases",
        ["province_code", sa.text("applied_at DESC"), sa.text("case_id DESC")],
    )
    op.create_index("ix_cases_stage_applied", "cases", ["stage", sa.text("applied_at DESC")])
    op.create_index("ix_cases_kk", "cases", ["kk_index"])
    op.create_index("ix_cases_name", "cases", [sa.text("lower(full_name) text_pattern_ops")])


def downgrade() -> None:
    op.drop_table("cases")
