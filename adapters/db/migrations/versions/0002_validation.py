"""validation: ability-test attempts on the read model; the programme's own records (blacklist, recipients)

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("ability_test", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")))
    op.create_table(
        "blacklist",
        sa.Column("nik_index", sa.Text, primary_key=True, comment="HMAC-SHA256 of the NIK"),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "recipients",
        sa.Column("case_id", sa.Text, primary_key=True, comment="HMAC-SHA256 of the NIK"),
        sa.Column("kk_index", sa.Text, nullable=False),
        sa.Column("scheme_id", sa.Text, nullable=False),
        sa.Column("wave_id", sa.Text, nullable=True),
        sa.Column("selected_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_recipients_kk", "recipients", ["kk_index"])


def downgrade() -> None:
    op.drop_table("recipients")
    op.drop_table("blacklist")
    op.drop_column("cases", "ability_test")
